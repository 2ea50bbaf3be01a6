"""End to end: tiny checkpoints → GGUF → llama.cpp logits against transformers on the same ids."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from converters.arch.base import Architecture
from converters.convert import convert_checkpoint
from tests.converters.tiny import llama_cpp_logits, nmse, reference_logits

# NMSE bounds of the issue, per output type. BF16 keeps 8 mantissa bits, close to Q8_0's precision.
BOUNDS = {"f32": 1e-5, "f16": 1e-4, "bf16": 2e-3, "q8_0": 2e-3}

CASES = [
    # (arch, tokenizer, weights, out types)
    ("gpt_neox", "spm-unigram", "safetensors", ("f32", "f16", "bf16", "q8_0")),  # rinna-like
    ("gpt_neox", "spm-unigram", "bin", ("f32",)),  # rinna ships pytorch_model.bin
    ("gpt_neox", "bpe-json", "safetensors", ("f16",)),  # OpenCALM-like, parallel residual
    ("llama", "spm-bpe", "safetensors", ("f32", "f16", "q8_0")),  # Llama 2 / ELYZA-like, GQA
    ("llama", "spm-bpe", "sharded", ("f32",)),  # bf16 shards
    ("llama", "spm-bpe", "sharded-bin", ("f16",)),
    ("llama", "bpe-json", "safetensors", ("f16",)),  # Llama-family BPE
    ("llama3", "bpe-json", "safetensors", ("f32",)),  # Llama 3.x RoPE scaling (rope_freqs)
]


def _ids(n_vocab_tokenizer: int) -> list[int]:
    rng = np.random.default_rng(7)
    return [int(i) for i in rng.integers(4, n_vocab_tokenizer - 1, size=24)]


@pytest.mark.parametrize(("arch", "tokenizer", "weights", "out_types"), CASES, ids=lambda v: str(v))
def test_logits_match_transformers(
    tiny_checkpoint, tmp_path: Path, arch: str, tokenizer: str, weights: str, out_types: tuple[str, ...]
) -> None:
    folder = tiny_checkpoint(arch, tokenizer, weights)
    ids = _ids(500)
    expected = reference_logits(folder, ids)
    for out_type in out_types:
        result = convert_checkpoint(folder, tmp_path / f"model-{out_type}.gguf", out_type=out_type)
        got = llama_cpp_logits(result.path, ids)
        error = nmse(got, expected)
        top1 = float(np.mean(got.argmax(-1) == expected.argmax(-1)))
        print(f"{arch}/{tokenizer}/{weights} {out_type}: NMSE {error:.2e}, top-1 agreement {top1:.2f}")
        assert error < BOUNDS[out_type], f"{out_type}: NMSE {error:.3e}"


@pytest.mark.parametrize(("arch", "tokenizer"), [("gpt_neox", "spm-unigram"), ("llama", "spm-bpe")])
def test_a_missing_reorder_would_not_hide(
    tiny_checkpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arch: str, tokenizer: str
) -> None:
    """The test models are sharp enough that skipping the QKV reorder / RoPE permutation is caught."""
    folder = tiny_checkpoint(arch, tokenizer, "safetensors")
    ids = _ids(500)
    monkeypatch.setattr(Architecture, "transform", lambda self, name, array: array)
    from converters.arch import gpt_neox, llama

    monkeypatch.setattr(gpt_neox.GPTNeoX, "transform", Architecture.transform)
    monkeypatch.setattr(llama.Llama, "transform", Architecture.transform)
    result = convert_checkpoint(folder, tmp_path / "wrong.gguf", out_type="f32")
    error = nmse(llama_cpp_logits(result.path, ids), reference_logits(folder, ids))
    print(f"{arch} without reorder: NMSE {error:.2e}")
    assert error > 1e-2
