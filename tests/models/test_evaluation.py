"""Evaluation: a two-model run (the bundled model and a quantized tiny converted Llama), its HTML report,
its SQLite rows, and a model file that changed between two runs."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from html import escape
from pathlib import Path

import pytest

from models.errors import ConfigError
from models.evaluation import load_prompt_set
from models.evaluation.checks import Check, run_check
from models.evaluation.report import write_report
from models.evaluation.runner import run_evaluation
from models.evaluation.store import EvalStore
from models.paths import evaluations_dir

PROMPTS = [
    {"id": "ja-capital", "turns": ["日本の首都は？"], "checks": [{"type": "contains", "value": "東京"}]},
    {
        "id": "two-turn",
        "turns": ["What is 2 + 2?", "Now multiply it by 3."],
        "checks": [{"type": "regex", "value": ".", "turn": 1}, {"type": "exact", "value": "12", "turn": 2}],
    },
    {
        "id": "json",
        "turns": ["Give JSON with a key 'a'."],
        "checks": [{"type": "json_schema", "value": {"type": "object"}}],
    },
]
PERPLEXITY_TEXT = "吾輩は猫である。名前はまだ無い。The quick brown fox jumps over the lazy dog. " * 3


@pytest.fixture(scope="module")
def tiny_q8(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Llama checkpoint → GGUF F16 → Q8_0, through the converters (its answers are gibberish)."""
    from converters.convert import convert_checkpoint
    from converters.quantize import quantize
    from tests.converters.tiny import make_checkpoint

    root = tmp_path_factory.mktemp("eval-models")
    folder = make_checkpoint(root, "llama", "spm-bpe", "safetensors")
    f16 = root / "tiny-llama-F16.gguf"
    convert_checkpoint(folder, f16, out_type="f16")
    return quantize(f16, root / "tiny-llama-Q8_0.gguf", "Q8_0").path


def _prompt_file(folder: Path, items: list[dict]) -> Path:
    path = folder / "set.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def two_model_run(tiny_q8: Path, bundled_model: Path, tmp_path_factory: pytest.TempPathFactory):
    from models.presets import Preset, save_preset

    home = tmp_path_factory.mktemp("eval-home")
    mp = pytest.MonkeyPatch()
    mp.setenv("TOMOSHIBI_HOME", str(home))
    try:
        preset = save_preset(Preset(name="eval", system="Answer briefly, {{who}}."))
        preset = save_preset(
            Preset(name="eval", system="Answer very briefly, {{who}}.", variables={"who": "please"})
        )
        prompt_set = load_prompt_set(_prompt_file(home, PROMPTS))
        store = EvalStore()
        fractions: list[float] = []
        run = run_evaluation(
            [bundled_model, tiny_q8],
            prompt_set,
            preset=preset,
            perplexity_text=PERPLEXITY_TEXT,
            perplexity_file="ppl.txt",
            max_tokens=6,
            n_ctx=512,
            threads=1,
            store=store,
            progress=lambda _what, f: fractions.append(f),
        )
        report = write_report(run, home / "reports")
        yield run, report, store, fractions
        store.close()
    finally:
        mp.undo()


def test_every_model_answers_every_turn(two_model_run, bundled_model: Path, tiny_q8: Path):
    run, _, _, fractions = two_model_run
    assert [m.name for m in run.models] == [bundled_model.name, tiny_q8.name]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    for model in run.models:
        assert model.error == ""
        assert [(t.prompt_id, t.turn) for t in model.turns] == [
            ("ja-capital", 1),
            ("two-turn", 1),
            ("two-turn", 2),
            ("json", 1),
        ]
        assert all(
            0 < t.completion_tokens <= 6 and t.finish_reason in ("stop", "length") for t in model.turns
        )
        assert model.tokens_per_second > 0 and model.time_to_first_token > 0
        assert model.peak_rss > 10_000_000  # the engine child's VmHWM, a model's worth of memory
        assert model.perplexity is not None and model.perplexity > 1 and model.perplexity_tokens > 10
        assert model.checks_passed[1] == 4
        assert [len(t.checks) for t in model.turns] == [1, 1, 1, 1]
    q4_1, q8 = run.models
    assert (q4_1.quant, q8.quant) == ("Q4_1", "Q8_0")
    assert q8.turn("two-turn", 1).checks[0].passed  # regex "." matches any non-empty answer
    assert run.preset_name == "eval" and run.preset_version == 2
    assert run.params["temperature"] == 0.0 and run.params["seed"] == 0


def test_greedy_answers_repeat_exactly(tiny_q8: Path, tmp_path: Path):
    prompt_set = load_prompt_set(_prompt_file(tmp_path, PROMPTS[1:2]))
    runs = [
        run_evaluation([tiny_q8], prompt_set, max_tokens=6, n_ctx=512, threads=1, store=EvalStore(":memory:"))
        for _ in range(2)
    ]
    first, second = ([t.answer for t in r.models[0].turns] for r in runs)
    assert first == second and len(first) == 2


def test_report_shows_models_answers_figures_and_plots(two_model_run, artifacts_dir: Path):
    run, report, _, _ = two_model_run
    html = report.read_text(encoding="utf-8")
    shutil.copy(report, artifacts_dir / "evaluation-report.html")
    assert html.startswith("<!DOCTYPE html>") and "</html>" in html
    assert "<script" not in html and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for model in run.models:
        assert escape(model.name) in html and model.sha256[:12] in html
        for turn in model.turns:
            assert escape(turn.answer) in html
        assert f"{model.tokens_per_second:.1f}" in html
        assert f"{model.perplexity:.3f}" in html
    assert html.count("<svg") == 4
    for title in ("Tokens per second", "Peak memory", "Perplexity per quantization", "Time to first token"):
        assert title in html
    charts = html[html.index("<svg") : html.rindex("</svg>")]
    assert ">Q4_1<" in html and ">Q8_0<" in html  # the summary's quantization column
    assert (
        ">SmolLM2-135M-Instruct.Q4_1<" in charts and ">tiny-llama-Q8_0<" in charts
    )  # bars keep the quantization visible
    assert "Turn 2: Now multiply it by 3." in html and "日本の首都は？" in html
    assert "eval v2" in html and "0.1.0" in html
    assert "✓" in html or "✗" in html


def test_sqlite_rows_keep_hashes_preset_version_and_answers(
    two_model_run, bundled_model: Path, tiny_q8: Path
):
    run, _, store, _ = two_model_run
    with sqlite3.connect(store.path) as db:
        row = db.execute(
            "SELECT tomoshibi_version, preset_name, preset_version, prompt_set_sha256 FROM runs"
        ).fetchone()
        assert row[:3] == ("0.1.0", "eval", 2) and len(row[3]) == 64
        hashes = dict(db.execute("SELECT path, sha256 FROM run_models ORDER BY position").fetchall())
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 8
        migrations = [r[0] for r in db.execute("SELECT name FROM _migrations")]
        columns = {
            table: [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            for table in ("runs", "run_models", "answers", "file_hashes")
        }
    assert migrations == ["m001_initial"]
    assert {"tomoshibi_version", "preset_name", "preset_version", "prompt_set_sha256"} <= set(columns["runs"])
    assert {"sha256", "peak_rss", "perplexity", "quant"} <= set(columns["run_models"])
    assert {"answer", "tokens_per_second", "time_to_first_token", "checks"} <= set(columns["answers"])
    assert columns["file_hashes"] == ["path", "size", "mtime_ns", "sha256"]
    for path in (bundled_model, tiny_q8):
        assert hashes[str(path.resolve())] == hashlib.sha256(path.read_bytes()).hexdigest()
    loaded = store.load_run(run.id)
    assert [m.sha256 for m in loaded.models] == [m.sha256 for m in run.models]
    assert loaded.models[1].turns == run.models[1].turns
    assert loaded.models[0].checks_passed == run.models[0].checks_passed


def test_a_changed_model_file_is_flagged(tiny_q8: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from cli.main import main

    model = tmp_path / "mine.gguf"
    shutil.copy(tiny_q8, model)
    prompts = _prompt_file(tmp_path, PROMPTS[:1])
    args = [
        "eval",
        "--models",
        str(model),
        "--prompts",
        str(prompts),
        "--max-tokens",
        "2",
        "--ctx",
        "256",
        "--threads",
        "1",
        "--out",
        str(tmp_path / "out"),
    ]
    assert main(args) == 0
    # The same path now holds another file (say, re-downloaded or re-quantized).
    shutil.copy(tiny_q8.with_name("tiny-llama-F16.gguf"), model)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "changed since run 1" in out
    with EvalStore() as store:
        changes = store.model_changes()
        assert [(c.old_run, c.new_run) for c in changes] == [(1, 2)]
        assert changes[0].new_sha256 == hashlib.sha256(model.read_bytes()).hexdigest()
        report = Path(store.load_run(2).report_path or "")
    assert "changed since run 1" in report.read_text(encoding="utf-8")
    assert main(["eval", "--history"]) == 0
    history = capsys.readouterr().out
    assert "run 2" in history and "run 1" in history and "! " in history
    assert main(["eval", "--compare", "1", "2"]) == 0
    assert "the file changed" in capsys.readouterr().out
    assert (evaluations_dir() / "results.sqlite3").is_file()


def test_hash_is_cached_by_path_size_and_mtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from models.evaluation import hashing

    path = tmp_path / "m.gguf"
    path.write_bytes(b"one")
    calls = []
    real = hashing.sha256_file
    monkeypatch.setattr(hashing, "sha256_file", lambda p: calls.append(p) or real(p))
    with EvalStore() as store:
        assert store.sha256(path) == hashlib.sha256(b"one").hexdigest()
        assert store.sha256(path) == hashlib.sha256(b"one").hexdigest()
        assert len(calls) == 1
        path.write_bytes(b"two!")
        assert store.sha256(path) == hashlib.sha256(b"two!").hexdigest()
        assert len(calls) == 2


def test_checks():
    assert run_check(Check("exact", "lantern", ignore_case=True), "  Lantern \n").passed
    assert not run_check(Check("exact", "lantern"), "Lantern").passed
    assert run_check(Check("contains", "東京"), "首都は東京です").passed
    assert run_check(Check("regex", r"(10|十)時"), "十時に始まります").passed
    schema = {"type": "object", "required": ["name"]}
    assert run_check(Check("json_schema", schema), 'Sure:\n```json\n{"name": "Yuki"}\n```').passed
    missing = run_check(Check("json_schema", schema), '{"city": "Osaka"}')
    assert not missing.passed and "name" in missing.detail
    assert run_check(Check("json_schema", schema), "no json here").detail == "no JSON in the answer"


def test_bundled_prompt_set_and_bad_sets(tmp_path: Path):
    default = load_prompt_set()
    assert len(default.items) >= 10
    assert any(len(i.turns) == 2 for i in default.items)
    assert {i.lang for i in default.items} == {"ja", "en"}
    assert {c.kind for i in default.items for c in i.checks} == {"exact", "contains", "regex", "json_schema"}
    bad = tmp_path / "bad.jsonl"
    for line, message in [
        ('{"id": "a"}', "no id or no turns"),
        ('{"id": "a", "turns": ["x"], "checks": [{"type": "fuzzy", "value": "x"}]}', "unknown type"),
        ('{"id": "a", "turns": ["x"], "checks": [{"type": "contains", "value": "x", "turn": 2}]}', "turn 2"),
        ('{"id": "a", "turns": ["x"], "checks": [{"type": "regex", "value": "("}]}', "does not compile"),
        ("not json", "line 1 is not JSON"),
    ]:
        bad.write_text(line + "\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_prompt_set(bad)


def test_a_model_that_cannot_load_is_reported_and_the_run_goes_on(tiny_q8: Path, tmp_path: Path):
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 60)
    prompt_set = load_prompt_set(_prompt_file(tmp_path, PROMPTS[:1]))
    run = run_evaluation(
        [broken, tiny_q8], prompt_set, max_tokens=2, n_ctx=256, threads=1, store=EvalStore(":memory:")
    )
    bad, good = run.models
    assert bad.error and bad.turns == [] and len(bad.sha256) == 64
    assert good.error == "" and len(good.turns) == 1
    html = write_report(run, tmp_path / "r.html").read_text(encoding="utf-8")
    assert escape(bad.error.splitlines()[0]) in html and "not asked" in html
