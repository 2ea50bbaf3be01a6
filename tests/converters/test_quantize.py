"""llama.cpp's quantizer through Tomoshibi: quality against transformers, fallbacks, cancel, errors."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from converters.quantize import QUANT_TYPES, QuantizeProgress, detect_fallbacks, quantize
from models.errors import Cancelled, ConfigError, ConversionError, InsufficientDiskError, ModelFileError
from tests.converters.tiny import llama_cpp_logits, nmse, reference_logits

FOUR_BIT = ("Q4_0", "Q4_1", "Q4_K_S", "Q4_K_M")


@pytest.fixture(scope="module")
def llama_f16(
    tiny_checkpoint: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The shared tiny Llama, made a little more like a trained model before quantizing it.

    A random model's logits are nearly flat: its top-1 margins are far below any 4-bit rounding, so
    top-1 agreement would measure coin flips, and Q/K sharpened ×6 make attention one-hot so that
    rounding flips which token is attended. Here Q/K keep a ×2 sharpening (a wrong permutation
    still shows: the F16 check below) and the read-out is correlated with the embedding, as in
    trained models, so each position has a clear favourite that depends on token and context.
    """
    import shutil

    from safetensors.numpy import load_file, save_file

    from converters.convert import convert_checkpoint

    work = tmp_path_factory.mktemp("quant")
    folder = work / "llama"
    shutil.copytree(tiny_checkpoint("llama", "spm-bpe"), folder)
    weights = load_file(str(folder / "model.safetensors"))
    for name in weights:
        if name.endswith(("q_proj.weight", "k_proj.weight")):
            weights[name] = weights[name] / 3
    weights["lm_head.weight"] = 0.5 * weights["lm_head.weight"] + 2.0 * weights["model.embed_tokens.weight"]
    save_file(
        {n: np.ascontiguousarray(a) for n, a in weights.items()},
        str(folder / "model.safetensors"),
        {"format": "pt"},
    )
    out = work / "tiny-f16.gguf"
    convert_checkpoint(folder, out, out_type="f16")
    return folder, out


@pytest.fixture(scope="module")
def ids_and_reference(llama_f16: tuple[Path, Path]) -> tuple[list[int], np.ndarray]:
    folder, f16 = llama_f16
    rng = np.random.default_rng(7)
    ids = [1, *rng.integers(3, 800, size=63).tolist()]
    expected = reference_logits(folder, ids)
    assert nmse(llama_cpp_logits(f16, ids), expected) < 1e-4  # the starting point is exact
    return ids, expected


def _types(path: Path) -> dict[str, str]:
    from gguf import GGUFReader

    return {t.name: t.tensor_type.name for t in GGUFReader(str(path)).tensors}


@pytest.mark.parametrize("quant", list(QUANT_TYPES))
def test_every_quantization_loads_and_tracks_transformers(
    quant: str, llama_f16: tuple[Path, Path], ids_and_reference: tuple[list[int], np.ndarray], tmp_path: Path
) -> None:
    _, f16 = llama_f16
    ids, expected = ids_and_reference
    events: list[QuantizeProgress] = []
    result = quantize(f16, tmp_path / f"tiny-{quant}.gguf", quant, progress=events.append)
    assert result.path.is_file() and result.output_bytes < f16.stat().st_size
    assert result.fallbacks == ()  # hidden 256 / MLP 512: every row fits the 256-value super-blocks
    assert [e.phase for e in events][0] == "checking" and events[-1].phase == "done"
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    types = _types(result.path)
    main = {
        "Q4_0": "Q4_0",
        "Q4_1": "Q4_1",
        "Q4_K_S": "Q4_K",
        "Q4_K_M": "Q4_K",
        "Q5_K_M": "Q5_K",
        "Q6_K": "Q6_K",
        "Q8_0": "Q8_0",
    }
    assert types["blk.0.attn_q.weight"] == main[quant]
    actual = llama_cpp_logits(result.path, ids)
    error = nmse(actual, expected)
    top1 = float(np.mean(actual.argmax(-1) == expected.argmax(-1)))
    limit = {"Q8_0": 2e-3, "Q6_K": 0.01, "Q5_K_M": 0.03}.get(quant, 0.1)
    assert error < limit and top1 >= (0.7 if quant in FOUR_BIT else 0.8), (error, top1)


def test_importance_matrix_from_calibration_text(
    llama_f16: tuple[Path, Path], ids_and_reference: tuple[list[int], np.ndarray], tmp_path: Path
) -> None:
    from converters.imatrix import compute_imatrix, default_calibration_text

    _, f16 = llama_f16
    text = default_calibration_text()
    assert "灯" in text and len(text) > 1000
    matrix = compute_imatrix(str(f16), text[:400], n_ctx=128)
    # Every matrix multiplication of both blocks: q, k, v, output, gate, up, down.
    assert len(matrix) == 14
    assert matrix["blk.0.attn_q.weight"].shape == (256,) and matrix["blk.1.ffn_down.weight"].shape == (512,)
    assert all(np.isfinite(v).all() and (v >= 0).all() and v.max() > 0 for v in matrix.values())
    # The imatrix changes what llama.cpp writes, and the result is still a good 4-bit model.
    ids, expected = ids_and_reference
    plain = quantize(f16, tmp_path / "plain.gguf", "Q4_0")
    weighted = quantize(f16, tmp_path / "imatrix.gguf", "Q4_0", imatrix=matrix)
    assert weighted.imatrix_tensors == 14
    assert plain.path.read_bytes() != weighted.path.read_bytes()
    actual = llama_cpp_logits(weighted.path, ids)
    assert nmse(actual, expected) < 0.1


def test_k_quant_fallback_is_detected_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from converters.convert import convert_checkpoint
    from tests.converters import tiny

    monkeypatch.setattr(tiny, "HIDDEN", 320)  # 320 % 256 != 0: llama.cpp cannot use Q4_K for these rows
    folder = tiny.make_checkpoint(tmp_path, "llama", "spm-bpe", "safetensors")
    f16 = tmp_path / "odd-f16.gguf"
    convert_checkpoint(folder, f16, out_type="f16")
    result = quantize(f16, tmp_path / "odd-q4km.gguf", "Q4_K_M")
    names = {f.name for f in result.fallbacks}
    assert "blk.0.attn_q.weight" in names and all(f.row_size == 320 for f in result.fallbacks)
    assert all(not f.stored_as.endswith("_K") for f in result.fallbacks)
    assert result.notes and "not divisible by 256" in result.notes[0]
    assert detect_fallbacks(result.path, "Q4_K_M") == result.fallbacks
    assert detect_fallbacks(result.path, "Q4_0") == ()


def test_cancel_terminates_the_child_and_leaves_no_file(llama_f16: tuple[Path, Path], tmp_path: Path) -> None:
    _, f16 = llama_f16
    cancel = threading.Event()

    def on_progress(p: QuantizeProgress) -> None:
        if p.phase == "quantizing":
            cancel.set()

    with pytest.raises(Cancelled):
        quantize(f16, tmp_path / "never.gguf", "Q4_K_M", progress=on_progress, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_clear_errors(llama_f16: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, f16 = llama_f16
    with pytest.raises(ConfigError, match="Q4_K_M"):
        quantize(f16, tmp_path / "x.gguf", "Q3_XL")
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not a gguf at all" * 100)
    with pytest.raises(ModelFileError):
        quantize(junk, tmp_path / "x.gguf", "Q4_0")
    q8 = quantize(f16, tmp_path / "q8.gguf", "Q8_0").path
    with pytest.raises(ConversionError, match="already quantized"):
        quantize(q8, tmp_path / "x.gguf", "Q4_0")
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**12, 10**12 - 1000, 1000))
    with pytest.raises(InsufficientDiskError, match="free"):
        quantize(f16, tmp_path / "x.gguf", "Q4_0")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.gguf", "q8.gguf"]


def _die(report: Callable[[object], None]) -> None:
    os._exit(3)  # what a llama.cpp abort looks like from the outside


def test_a_crash_in_the_child_becomes_a_conversion_error() -> None:
    from models.child_process import run_in_child

    with pytest.raises(ConversionError, match="code 3"):
        run_in_child(_die, (), what="Quantization")
