"""Conversion is atomic: cancel, errors and a full disk leave nothing behind; progress is reported."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from converters import convert as convert_module
from converters.convert import ConversionProgress, convert_checkpoint
from models.errors import Cancelled, ConfigError, ConversionError, InsufficientDiskError


def _only(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_progress_reports_bytes_tensors_and_eta(tiny_checkpoint, tmp_path: Path) -> None:
    folder = tiny_checkpoint("gpt_neox", "spm-unigram", "safetensors")
    seen: list[ConversionProgress] = []
    result = convert_checkpoint(folder, tmp_path / "out" / "m.gguf", out_type="q8_0", progress=seen.append)
    assert _only(tmp_path / "out") == ["m.gguf"]
    assert seen[0].bytes_done == 0 and seen[0].eta_s is None
    assert [p.tensors_done for p in seen] == list(range(len(seen)))
    assert seen[-1].tensors_done == seen[-1].tensors_total == result.n_tensors
    assert seen[-1].bytes_done == seen[-1].bytes_total and seen[-1].fraction == 1.0
    assert all(p.eta_s is not None and p.eta_s >= 0 for p in seen[1:])
    assert np.all(np.diff([p.bytes_done for p in seen]) > 0)
    assert result.architecture == "gptneox" and result.tokenizer == "sentencepiece-unigram"
    assert result.bytes_written == (tmp_path / "out" / "m.gguf").stat().st_size


def test_cancel_midway_leaves_no_file(tiny_checkpoint, tmp_path: Path) -> None:
    folder = tiny_checkpoint("llama", "spm-bpe", "safetensors")
    cancel = threading.Event()

    def on_progress(p: ConversionProgress) -> None:
        if p.tensors_done == 5:
            cancel.set()

    with pytest.raises(Cancelled):
        convert_checkpoint(folder, tmp_path / "m.gguf", progress=on_progress, cancel=cancel)
    assert _only(tmp_path) == []


def test_a_failure_while_writing_leaves_no_file(
    tiny_checkpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tiny_checkpoint("llama", "spm-bpe", "safetensors")
    real = convert_module._convert_tensor
    calls = {"n": 0}

    def failing(arch, planned):
        calls["n"] += 1
        if calls["n"] == 4:
            raise ConversionError("simulated failure", "none")
        return real(arch, planned)

    monkeypatch.setattr(convert_module, "_convert_tensor", failing)
    (tmp_path / "m.gguf").write_bytes(b"previous good file")
    with pytest.raises(ConversionError, match="simulated"):
        convert_checkpoint(folder, tmp_path / "m.gguf")
    # The earlier file at the destination is untouched and no temporary file remains.
    assert _only(tmp_path) == ["m.gguf"]
    assert (tmp_path / "m.gguf").read_bytes() == b"previous good file"


def test_disk_space_is_checked_first(
    tiny_checkpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tiny_checkpoint("llama", "spm-bpe", "safetensors")

    class Usage:
        total, used, free = 10**9, 10**9 - 1000, 1000

    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage())  # models.disk asks shutil
    with pytest.raises(InsufficientDiskError) as info:
        convert_checkpoint(folder, tmp_path / "m.gguf")
    assert "1.0 KB free" in str(info.value)  # the shared models.disk message
    assert _only(tmp_path) == []


def test_unknown_output_type_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="q8_0"):
        convert_checkpoint(tmp_path, tmp_path / "m.gguf", out_type="q4_k_m")


@pytest.mark.parametrize("out_type", ["f32", "q8_0"])
def test_peak_memory_stays_near_the_largest_tensor(tiny_checkpoint, tmp_path: Path, out_type: str) -> None:
    import tracemalloc

    from converters.readers import open_checkpoint

    folder = tiny_checkpoint("gpt_neox", "spm-unigram", "safetensors")
    checkpoint = open_checkpoint(folder)
    largest = max(t.nbytes for t in checkpoint)
    convert_checkpoint(folder, tmp_path / "warm-up.gguf", out_type=out_type)  # imports happen here
    tracemalloc.start()
    try:
        convert_checkpoint(folder, tmp_path / "m.gguf", out_type=out_type)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"{out_type}: peak {peak} B, largest tensor {largest} B, all tensors {checkpoint.total_bytes} B")
    # numpy reports its buffers to tracemalloc; the whole model never sits in memory at once.
    assert peak < 3 * largest
    assert peak < checkpoint.total_bytes / 2
