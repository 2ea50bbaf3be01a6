"""The evaluation view (stored runs, key figures, report in the browser, a run on a worker thread) and
the presets view (edit, save, version, history)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from models.evaluation.checks import Check, CheckResult
from models.evaluation.results import EvalRun, ModelResult, TurnResult
from models.evaluation.store import EvalStore


def _stored_run(sha_b: str) -> EvalRun:
    check = CheckResult(Check("contains", "東京"), True)
    models = [
        ModelResult(
            "/models/a-F16.gguf",
            "a" * 64,
            2_000_000,
            "a-F16.gguf",
            "F16",
            "llama",
            0.5,
            300_000_000,
            9.5,
            100,
            turns=[TurnResult("q1", 1, "首都は？", "東京です", "stop", 10, 4, 20.0, 0.1, 0.3, (check,))],
        ),
        ModelResult(
            "/models/a-Q4_K_M.gguf",
            sha_b,
            600_000,
            "a-Q4_K_M.gguf",
            "Q4_K_M",
            "llama",
            0.3,
            120_000_000,
            10.25,
            100,
            turns=[
                TurnResult(
                    "q1",
                    1,
                    "首都は？",
                    "京都",
                    "stop",
                    10,
                    2,
                    45.5,
                    0.05,
                    0.1,
                    (CheckResult(check.check, False, "missing"),),
                )
            ],
        ),
    ]
    return EvalRun(
        time.time(),
        "0.1.0",
        "set",
        "f" * 64,
        [{"id": "q1", "turns": ["首都は？"], "lang": "ja"}],
        "mail",
        3,
        {"temperature": 0.0},
        None,
        models,
    )


@pytest.fixture
def view(qtbot):
    from desktop.evaluation_view import EvaluationView

    with EvalStore() as store:
        store.save_run(_stored_run("b" * 64))
        store.save_run(_stored_run("c" * 64))  # the Q4_K_M file changed between the runs
    widget = EvaluationView()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def _cells(table, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_runs_and_key_figures_are_listed_and_a_changed_file_is_flagged(view):
    assert view.runs.rowCount() == 2
    newest = _cells(view.runs, 0)
    assert newest[0] == "2 ⚠" and "a-F16.gguf, a-Q4_K_M.gguf" == newest[2] and newest[3] == "mail v3"
    assert _cells(view.runs, 1)[0] == "1"
    assert view.selected_run() == 2
    assert _cells(view.figures, 0)[:7] == ["a-F16.gguf", "F16", "20.0", "100 ms", "300 MB", "1/1", "9.500"]
    q4 = _cells(view.figures, 1)
    assert q4[0] == "a-Q4_K_M.gguf ⚠" and q4[2] == "45.5" and q4[5] == "0/1" and q4[7] == "c" * 12
    view.runs.selectRow(1)
    assert _cells(view.figures, 1)[0] == "a-Q4_K_M.gguf"


def test_open_report_writes_it_if_needed_and_hands_it_to_the_browser(view, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    with qtbot.waitSignal(view.report_opened) as signal:
        view.open_button.click()
    path = Path(signal.args[0])
    assert opened == [str(path)] and path.suffix == ".html"
    html = path.read_text(encoding="utf-8")
    assert "a-Q4_K_M.gguf" in html and "<svg" in html and "changed since run 1" in html
    assert view.open_report(2) == path  # written once, reused


def test_a_run_on_the_worker_thread_keeps_the_window_responsive(
    view, qtbot, bundled_model: Path, tmp_path: Path
):
    prompts = tmp_path / "one.jsonl"
    prompts.write_text(json.dumps({"id": "hi", "turns": ["Say hi."]}) + "\n", encoding="utf-8")
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(50)
    with qtbot.waitSignal(view.run_finished, timeout=180_000) as signal:
        view.start_run([str(bundled_model)], str(prompts), max_tokens=3)
        assert not view.run_button.isEnabled()
    timer.stop()
    assert signal.args == [3]
    assert view.selected_run() == 3 and view.run_button.isEnabled()
    assert _cells(view.figures, 0)[0] == bundled_model.name
    assert len(ticks) > 3  # the event loop kept running while the model loaded and answered


def test_presets_view_edits_save_new_versions_and_shows_history(qtbot):
    from desktop.presets_view import PresetsView

    widget = PresetsView()
    qtbot.addWidget(widget)
    widget.show()
    names = [widget.list.item(i).text() for i in range(widget.list.count())]
    assert names == ["business-mail-ja  v1", "english-assistant  v1", "json-extraction  v1"]
    widget.list.setCurrentRow(1)
    assert widget.name.text() == "english-assistant" and widget.version.text() == "Version 1"
    assert widget.save().version == 1  # nothing changed: no new version
    widget.system.setPlainText("You are Tomoshibi. Answer in {{tone}} English.")
    with qtbot.waitSignal(widget.saved) as signal:
        widget.save_button.click()
    assert signal.args == ["english-assistant", 2]
    assert (
        widget.version.text() == "Version 2" and widget.list.currentItem().text() == "english-assistant  v2"
    )
    assert [widget.history.item(i).data(256) for i in range(widget.history.count())] == [2, 1]
    widget.history.setCurrentRow(1)
    assert "-You are Tomoshibi, a helpful assistant" in widget.diff.toPlainText()
    widget.restore_selected_version()
    assert widget.save().version == 3
    from models.presets import get_preset, get_version

    assert get_preset("english-assistant").system == get_version("english-assistant", 1).system

    widget.schema.setPlainText("{not json")
    with qtbot.waitSignal(widget.failed):
        widget.save_button.click()
    assert "does not parse" in widget.status.text() and get_preset("english-assistant").version == 3

    widget.new_preset()
    assert widget.version.text() == "Not saved yet"
    widget.name.setText("メモ")
    widget.system.setPlainText("Summarize.")
    assert widget.save().version == 1 and get_preset("メモ").sampling_options == {}


def test_cancel_stops_a_run_without_storing_it(view, qtbot, bundled_model: Path, tmp_path: Path):
    prompts = tmp_path / "two.jsonl"
    prompts.write_text(json.dumps({"id": "a", "turns": ["Count to ten.", "Again."]}) + "\n", encoding="utf-8")
    with qtbot.waitSignal(view.failed, timeout=120_000) as signal:
        view.start_run([str(bundled_model)], str(prompts), max_tokens=64)
        view.cancel_button.click()
    assert "cancelled" in signal.args[0]
    assert view.runs.rowCount() == 2 and view.run_button.isEnabled() and view.cancel_button.isHidden()
