"""The whole conversion: cancel at any stage leaves nothing behind; direct types skip the quantizer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from converters.pipeline import PipelineProgress, convert
from models.errors import Cancelled


@pytest.mark.parametrize("stage", ["convert", "quantize", "validate"])
def test_cancel_in_any_stage_leaves_no_file(
    stage: str, tiny_checkpoint: Callable[..., Path], tmp_path: Path
) -> None:
    cancel = threading.Event()
    seen: list[str] = []

    def on_progress(p: PipelineProgress) -> None:
        seen.append(p.stage)
        if p.stage == stage:
            cancel.set()

    with pytest.raises(Cancelled):
        convert(
            tiny_checkpoint("llama", "spm-bpe"),
            tmp_path / "out.gguf",
            "Q4_0",
            progress=on_progress,
            cancel=cancel,
        )
    assert stage in seen
    assert list(tmp_path.iterdir()) == []


def test_direct_type_is_written_by_the_converter_and_validated(
    tiny_checkpoint: Callable[..., Path], tmp_path: Path
) -> None:
    report = convert(tiny_checkpoint("gpt_neox", "spm-unigram"), tmp_path / "neox-q8.gguf", "Q8_0")
    assert report.quantized is None and report.validation.ok
    assert report.validation.tokenizer == "sentencepiece"
    assert [p.name for p in tmp_path.iterdir()] == ["neox-q8.gguf"]
    assert "neox-q8.gguf" in report.text()
