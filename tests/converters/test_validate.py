"""Validation after a conversion: load in llama.cpp, tokenizer round trip, perplexity side by side."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from converters.validate import TOKENIZER_SAMPLES, validate_file
from models.perplexity import perplexity_from_logits


@pytest.fixture(scope="module")
def neox_files(
    tiny_checkpoint: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    from converters.convert import convert_checkpoint
    from converters.quantize import quantize

    folder = tmp_path_factory.mktemp("validate")
    f16 = folder / "neox-f16.gguf"
    convert_checkpoint(tiny_checkpoint("gpt_neox", "spm-unigram"), f16, out_type="f16")
    q4 = quantize(f16, folder / "neox-q4_k_m.gguf", "Q4_K_M").path
    return f16, q4


def test_perplexity_from_logits_is_the_exp_of_the_mean_nll() -> None:
    logits = np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1], [1 / 3, 1 / 3, 1 / 3]]))
    nll, n = perplexity_from_logits(logits, [0, 1, 0, 2], first=0)
    assert n == 3
    assert math.exp(nll / n) == pytest.approx(
        math.exp(-(math.log(0.25) + math.log(0.1) + math.log(1 / 3)) / 3)
    )


def test_report_for_a_sentencepiece_model_with_perplexity(neox_files: tuple[Path, Path]) -> None:
    from converters.imatrix import default_calibration_text

    f16, q4 = neox_files
    report = validate_file(
        q4, reference=f16, calibration_text=default_calibration_text()[:1200], n_ctx=256, label="Q4_K_M"
    )
    assert report.loaded and report.architecture == "gptneox"
    assert report.tokenizer == "sentencepiece"  # the converter embedded spiece.model
    assert report.samples == len(TOKENIZER_SAMPLES) and report.roundtrip_ok == report.samples and report.ok
    assert report.llama_agreement is not None and 0.0 <= report.llama_agreement <= 1.0
    f16_row, q4_row = report.perplexity
    assert (f16_row.label, q4_row.label) == ("F16", "Q4_K_M")
    assert f16_row.tokens_scored == q4_row.tokens_scored > 100  # the same ids for both files
    assert 1.0 < f16_row.perplexity < 5000 and 1.0 < q4_row.perplexity < 5000
    assert 0.7 < q4_row.perplexity / f16_row.perplexity < 1.5
    text = report.text()
    assert "loads in llama.cpp" in text and "Q4_K_M / F16" in text


def test_a_file_llama_cpp_cannot_load_gives_a_report_not_a_crash(
    neox_files: tuple[Path, Path], tmp_path: Path
) -> None:
    f16, _ = neox_files
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(f16.read_bytes()[: f16.stat().st_size // 2])
    report = validate_file(broken)
    assert not report.loaded and report.error and not report.ok
    assert "could NOT load" in report.text()
