"""Memory estimates against hand-computed numbers, the pre-flight's verdicts and its suggested fixes."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from models import memory_budget
from models.errors import ConfigError, InsufficientMemoryError
from models.ggml_types import FILE_TYPES
from models.gguf_info import GGUFInfo, inspect_gguf
from models.memory import (
    BITS_PER_WEIGHT,
    FILE_TYPE_BITS_PER_WEIGHT,
    MemoryBudget,
    available_memory,
    bits_per_weight,
    estimate_gguf,
    estimate_params,
    fits,
    preflight,
    suggest_n_gpu_layers,
)
from tests.models.tiny_gguf import write_tiny_gguf

GB = 10**9
# The tiny model's weights by hand (see tiny_gguf): per layer two F32 norms (64×4 B each), q and o
# 64×64 in Q4_0 (18 B / 32), k 32×64 in Q4_0, v 32×64 in Q8_0 (34 B / 32), gate/up/down 128×64 in Q4_0.
TINY_LAYER = 2 * 256 + 2 * 2304 + 1152 + 2176 + 3 * 4608  # 22,272
TINY_OUTPUT = 256 + 8 * 144  # output_norm F32 + output.weight Q4_K (144 B / 256)
TINY_INPUT = 8 * 64 * 2  # token_embd F16


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> GGUFInfo:
    return inspect_gguf(write_tiny_gguf(tmp_path_factory.mktemp("mem") / "tiny.gguf"))


def test_bits_per_weight_table() -> None:
    expected = {
        "F32": 32, "F16": 16, "BF16": 16, "Q8_0": 8.5, "Q4_0": 4.5, "Q4_1": 5.0, "Q5_0": 5.5, "Q5_1": 6.0,
        "Q2_K": 2.625, "Q3_K": 3.4375, "Q4_K": 4.5, "Q5_K": 5.5, "Q6_K": 6.5625, "Q8_K": 9.125,
        "IQ2_XXS": 2.0625, "IQ4_XS": 4.25, "IQ4_NL": 4.5,
    }  # fmt: skip
    for name, bpw in expected.items():
        assert BITS_PER_WEIGHT[name] == bpw, name
    assert set(FILE_TYPES.values()) <= set(FILE_TYPE_BITS_PER_WEIGHT)  # every llama.cpp file type
    assert FILE_TYPE_BITS_PER_WEIGHT["Q4_K_M"] == pytest.approx(4.84)


def test_quantization_names() -> None:
    assert bits_per_weight("q4_k_m") == bits_per_weight("Q4_K") == bits_per_weight("4bit") == 4.84
    assert bits_per_weight("fp16") == bits_per_weight("MOSTLY_F16") == 16
    assert bits_per_weight("8bit") == 8.5
    assert bits_per_weight("Q4_K_XL") == 4.84  # a hub mix, estimated as the nearest llama.cpp one
    with pytest.raises(ConfigError, match="Q4_K_M"):
        bits_per_weight("Q7_X")


def test_tiny_weights_and_kv_by_hand(tiny: GGUFInfo) -> None:
    est = estimate_gguf(tiny, n_ctx=256)
    assert est.weights_bytes == 2 * TINY_LAYER + TINY_OUTPUT + TINY_INPUT == tiny.weights_bytes
    # 2 × n_layer × n_ctx × n_embd_kv × 2 bytes, n_embd_kv = 64 × 2 / 4 = 32
    assert est.kv_cache_bytes == 2 * 2 * 256 * 32 * 2 == 65_536
    assert est.logits_bytes == 8 * 256 * 4  # n_vocab × n_batch (capped at n_ctx) × 4
    parts = est.weights_bytes + est.kv_cache_bytes + est.logits_bytes + est.compute_bytes + est.overhead_bytes
    assert est.total_bytes == est.total == parts
    assert (est.ram_bytes, est.vram_bytes) == (est.total_bytes, 0)
    assert estimate_gguf(tiny, 256, kv_type="q8_0").kv_cache_bytes == 2 * 256 * 64 * 34 // 32
    assert estimate_gguf(tiny, 512).compute_bytes > est.compute_bytes  # attention grows with context


def test_gpu_split_follows_offloaded_layers(tiny: GGUFInfo) -> None:
    kv_layer = 256 * 64 * 2
    base = estimate_gguf(tiny, 256)
    one = estimate_gguf(tiny, 256, n_gpu_layers=1)
    assert one.vram_bytes == TINY_LAYER + kv_layer + base.compute_bytes
    two = estimate_gguf(tiny, 256, n_gpu_layers=2)
    assert two.vram_bytes == 2 * TINY_LAYER + 2 * kv_layer + base.compute_bytes
    every = estimate_gguf(tiny, 256, n_gpu_layers=-1)
    assert every.vram_bytes == two.vram_bytes + TINY_OUTPUT  # the output layer goes last
    assert (
        every.n_gpu_layers == 3 and estimate_gguf(tiny, 256, n_gpu_layers=99).vram_bytes == every.vram_bytes
    )
    for est in (one, two, every):
        assert est.ram_bytes + est.vram_bytes == est.total_bytes


def test_bundled_model_by_hand(bundled_model: Path) -> None:
    info = inspect_gguf(bundled_model)
    est = estimate_gguf(info, n_ctx=2048)
    # 30 layers, n_embd 576, 9 heads, 3 KV heads → 192 KV values per token and layer, f16.
    assert est.kv_cache_bytes == 2 * 30 * 2048 * 192 * 2 == 47_185_920
    assert est.logits_bytes == 49152 * 512 * 4 == 100_663_296
    assert est.weights_bytes == info.weights_bytes
    assert "at 2,048 tokens" in est.summary() and "KV cache 47.2 MB" in est.summary()
    # The same model described only by its size lands close to the file's real numbers.
    guess = estimate_params(info.parameter_count, "Q4_1", n_ctx=2048, vocab_size=49152)
    assert guess.kv_cache_bytes == est.kv_cache_bytes  # SmolLM2-135M is a reference shape
    assert guess.weights_bytes == pytest.approx(est.weights_bytes, rel=0.08)  # its embeddings are Q8_0


def test_estimate_params_bytes_per_parameter() -> None:
    assert estimate_params(7e9, "f16").weights_bytes == 14 * GB  # 2 bytes / parameter
    assert estimate_params(7e9, "8bit").weights_bytes == 7e9 * 1.0625
    # 4-bit: the body at its own bits, the 32000 × 4096 output matrix at Q6_K's 6.5625 bits.
    embd = 32000 * 4096
    assert estimate_params(7e9, "Q4_0").weights_bytes == int((7e9 - embd) * 4.5 / 8 + embd * 6.5625 / 8)
    assert estimate_params(7e9, "Q4_0").weights_bytes / 7e9 == pytest.approx(0.567, abs=0.001)
    assert estimate_params(7e9, "Q4_K_M").weights_bytes / 7e9 == pytest.approx(0.61, abs=0.01)


def test_estimate_params_dimensions() -> None:
    # Llama-3-8B's shape is inferred: 32 layers, 8 KV heads of 128 → 1024 values per token and layer.
    assert estimate_params(8e9, "Q4_K_M", n_ctx=4096).kv_cache_bytes == 2 * 32 * 4096 * 1024 * 2
    explicit = estimate_params(1e9, "f16", n_ctx=2048, n_layer=10, n_embd=1000, n_head=10, n_head_kv=5)
    assert explicit.kv_cache_bytes == 2 * 10 * 2048 * 500 * 2
    assert estimate_params(1e9, "f16", vocab_size=50000).logits_bytes == 50000 * 512 * 4


def test_preflight_passes_when_it_fits(tiny: GGUFInfo) -> None:
    budget = MemoryBudget(ram_total=64 * GB, ram_available=32 * GB)
    assert preflight(estimate_gguf(tiny, 256), budget) is budget


def test_preflight_names_numbers_and_a_context_that_fits() -> None:
    est = estimate_params(8e9, "Q4_K_M", n_ctx=32768)
    budget = MemoryBudget(ram_total=16 * GB, ram_available=int(7.9 * GB))
    with pytest.raises(InsufficientMemoryError) as caught:
        preflight(est, budget)
    message = str(caught.value)
    assert f"needs {est.total_bytes / GB:.1f} GB + 10% headroom, 7.9 GB available" in message
    ctx = int(re.search(r"--ctx (\d+)", message).group(1))  # type: ignore[union-attr]
    assert ctx % 256 == 0 and ctx < 32768
    assert est.at is not None
    assert fits(est.at(ctx, 0), budget) and not fits(est.at(ctx + 256, 0), budget)


def test_preflight_suggests_smaller_quantization_when_context_cannot_help() -> None:
    est = estimate_params(8e9, "F16", n_ctx=2048)
    with pytest.raises(InsufficientMemoryError) as caught:
        preflight(est, MemoryBudget(ram_total=16 * GB, ram_available=10 * GB))
    message = str(caught.value)
    assert "--ctx" not in message
    assert "smaller quantization" in message and "smaller model" in message


def test_preflight_checks_gpu_memory(tiny: GGUFInfo) -> None:
    every = estimate_gguf(tiny, 256, n_gpu_layers=-1)
    small_gpu = MemoryBudget(32 * GB, 16 * GB, vram_total=10**6, vram_free=10**6, gpu_name="Tiny GPU")
    with pytest.raises(InsufficientMemoryError, match="(?s)GPU memory.*n_gpu_layers = 0"):
        preflight(every, small_gpu)
    one_layer = estimate_gguf(tiny, 256, n_gpu_layers=1).vram_bytes
    one_layer_gpu = MemoryBudget(32 * GB, 16 * GB, 10**9, int(one_layer * 1.1) + 1, "Small GPU")
    with pytest.raises(InsufficientMemoryError, match="n_gpu_layers = 1"):
        preflight(every, one_layer_gpu)
    # No GPU: llama.cpp keeps everything in RAM, so only RAM counts.
    preflight(every, MemoryBudget(32 * GB, 16 * GB))
    # Apple unified memory: the whole model against the RAM.
    preflight(every, MemoryBudget(32 * GB, 16 * GB, 32 * GB, 16 * GB, "Apple GPU", unified=True))
    with pytest.raises(InsufficientMemoryError, match="RAM"):
        preflight(every, MemoryBudget(32 * GB, 10**6, 32 * GB, 10**6, "Apple GPU", unified=True))


def test_suggest_n_gpu_layers(tiny: GGUFInfo) -> None:
    assert suggest_n_gpu_layers(tiny, 256, None) == 0
    assert suggest_n_gpu_layers(tiny, 256, 100 * GB) == 3  # both layers and the output
    one = estimate_gguf(tiny, 256, n_gpu_layers=1).vram_bytes
    assert suggest_n_gpu_layers(tiny, 256, int(one * 1.1) + 1) == 1
    assert suggest_n_gpu_layers(tiny, 256, one) == 0  # the 10 % margin


def test_available_memory_without_gpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_budget.shutil, "which", lambda name: None)
    monkeypatch.setattr(memory_budget, "_gpu_from_llama_cpp", lambda load: None)
    monkeypatch.setattr(memory_budget, "_is_apple_silicon", lambda: False)
    budget = available_memory()
    assert 0 < budget.ram_available <= budget.ram_total
    assert (budget.vram_total, budget.vram_free, budget.gpu_name) == (None, None, None)


def _fake_nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    exe = tmp_path / "bin" / "nvidia-smi"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\n" + script)
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(exe.parent))
    monkeypatch.setattr(memory_budget, "_gpu_from_llama_cpp", lambda load: None)
    monkeypatch.setattr(memory_budget, "_is_apple_silicon", lambda: False)


def test_available_memory_reads_nvidia_smi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_nvidia_smi(
        tmp_path,
        monkeypatch,
        'echo "8192, 6000, NVIDIA GeForce RTX 3070"\necho "24576, 20000, NVIDIA RTX 4090"\n',
    )
    budget = available_memory()
    assert (budget.vram_total, budget.vram_free) == (24576 << 20, 20000 << 20)
    assert budget.gpu_name == "NVIDIA RTX 4090"


def test_available_memory_survives_a_broken_driver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_nvidia_smi(tmp_path, monkeypatch, 'echo "NVIDIA-SMI has failed" >&2\nexit 9\n')
    assert available_memory().vram_free is None


def test_available_memory_apple_is_unified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory_budget, "_is_apple_silicon", lambda: True)
    budget = available_memory()
    assert budget.unified and budget.vram_total == budget.ram_total


def test_ggml_device_probe_on_this_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ctypes calls into libggml work; a CPU-only build lists no GPU."""
    monkeypatch.setattr(memory_budget, "gpu_backend_shipped", lambda: True)
    gpu = memory_budget._gpu_from_llama_cpp(load=True)
    assert gpu is None or (gpu[0] >= gpu[1] >= 0 and gpu[2])
