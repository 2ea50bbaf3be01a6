"""``tomoshibi info`` and ``tomoshibi inspect`` on the bundled model, a tiny model and broken files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from models import memory
from models.memory import MemoryBudget
from tests.models.tiny_gguf import write_tiny_gguf

GB = 10**9


@pytest.fixture
def roomy(monkeypatch: pytest.MonkeyPatch) -> MemoryBudget:
    """A machine with 16 GB free and no GPU, whatever runs the tests."""
    budget = MemoryBudget(ram_total=32 * GB, ram_available=16 * GB)
    monkeypatch.setattr(memory, "available_memory", lambda load_llama_cpp=False: budget)
    return budget


def test_info_bundled_model(
    bundled_model: Path, roomy: MemoryBudget, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["info", str(bundled_model), "--ctx", "2048"]) == 0
    out = capsys.readouterr().out
    assert "llama: 30 layers, n_embd 576, 9 heads (3 KV)" in out
    assert "Q4_1" in out and "135M" in out
    assert "chat template  yes" in out and "ChatML" in out
    assert "Memory at 2,048 tokens" in out and "KV cache       47.2 MB" in out
    assert "16.0 GB RAM available" in out and "no GPU found" in out
    assert "Verdict: fits." in out


def test_info_defaults_to_the_bundled_model(roomy: MemoryBudget, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file_type"] == "Q4_1" and doc["n_layer"] == 30
    assert doc["memory"]["n_ctx"] == 4096 and doc["memory"]["fits"] is True
    assert doc["memory"]["kv_cache_bytes"] == 2 * 30 * 4096 * 192 * 2


def test_info_does_not_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_tiny_gguf(tmp_path / "tiny.gguf")
    small = MemoryBudget(ram_total=2 * GB, ram_available=GB)
    monkeypatch.setattr(memory, "available_memory", lambda load_llama_cpp=False: small)
    assert main(["info", str(path), "--ctx", "1000000"]) == 1
    out = capsys.readouterr().out
    assert "Verdict: does NOT fit." in out
    assert "1.0 GB available" in out and "--ctx " in out
    assert "beyond the 256 the model was trained for" in out


def test_inspect_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_tiny_gguf(tmp_path / "tiny.gguf")
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Metadata (17 keys):" in out and "llama.block_count" in out
    assert "Tensors (21) by type:" in out and "Q4_0  12" in out
    assert "Layer 0 of 2" in out and "blk.0.attn_q.weight" in out and "blk.1.attn_q.weight" not in out
    assert "Outside the layers:" in out and "output.weight" in out

    assert main(["inspect", str(path), "--tensors"]) == 0
    assert "blk.1.attn_q.weight" in capsys.readouterr().out

    assert main(["inspect", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["architecture"] == "llama" and doc["tensor_count"] == len(doc["tensors"]) == 21
    assert doc["metadata"]["llama.context_length"] == 256
    q = next(t for t in doc["tensors"] if t["name"] == "blk.0.attn_q.weight")
    assert q == {
        "name": "blk.0.attn_q.weight",
        "shape": [64, 64],
        "type": "Q4_0",
        "offset": q["offset"],
        "bytes": 2304,
    }


def test_inspect_bundled_json(bundled_model: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(bundled_model), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["metadata"]["tokenizer.ggml.tokens"] == "<49,152 × str>"
    assert doc["vocab_size"] == 49152 and "<|im_start|>" in doc["chat_template"]


@pytest.mark.parametrize("command", ["info", "inspect"])
def test_broken_files_give_a_clear_message(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_tiny_gguf(tmp_path / "tiny.gguf")
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(path.read_bytes()[:-500])
    assert main([command, str(cut)]) == 2
    err = capsys.readouterr().err
    assert "truncated: tensor 'output.weight'" in err and "Traceback" not in err
    assert main([command, str(tmp_path / "missing.gguf")]) == 2
    assert "not found" in capsys.readouterr().err
