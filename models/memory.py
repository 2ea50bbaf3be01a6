"""How much memory a model will need, and whether this machine has it — before anything is loaded.

The estimate adds what llama.cpp allocates: the weights (exact, from the GGUF's tensors, or from
bits per weight for a model not on disk), the KV cache, the logits buffer, the compute buffer and a
fixed runtime overhead; ``preflight`` compares it with ``available_memory()`` and raises
``InsufficientMemoryError`` naming the numbers and a context size or quantization that would fit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import ConfigError, InsufficientMemoryError
from .memory_budget import MemoryBudget, available_memory
from .quant_bits import (
    BITS_PER_WEIGHT,
    FILE_TYPE_BITS_PER_WEIGHT,
    REFERENCE_SHAPES,
    bits_per_weight,
    kv_bytes_per_element,
    normalize_quant_name,
)
from .units import format_bytes, format_count

if TYPE_CHECKING:
    from .gguf_info import GGUFInfo

# The tables live in quant_bits; they are part of this module's interface too.
__all__ = [
    "BITS_PER_WEIGHT", "FILE_TYPE_BITS_PER_WEIGHT", "MemoryBudget", "MemoryEstimate", "available_memory",
    "bits_per_weight", "estimate_gguf", "estimate_params", "fits", "kv_bytes_per_element", "preflight",
    "suggest_n_gpu_layers",
]  # fmt: skip

# llama.cpp evaluates prompts in micro-batches of n_ubatch tokens (default 512, at most n_ctx);
# llama-cpp-python's n_batch defaults to 512 too.
N_BATCH = 512
# Fixed cost of the engine process beyond llama.cpp's buffers: a Python process with llama_cpp and
# numpy imported is 45 MB RSS (measured on Linux x86-64); the engine adds its pipes, threads and
# Tomoshibi's modules. Kept at 100 MB so other platforms' larger runtimes still fit.
RUNTIME_OVERHEAD = 100_000_000
DEFAULT_MARGIN = 0.10  # preflight keeps 10 % of the estimate as headroom


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes llama.cpp will allocate for one model at one context size, split between RAM and VRAM."""

    weights_bytes: int
    kv_cache_bytes: int
    logits_bytes: int
    compute_bytes: int
    overhead_bytes: int
    total_bytes: int
    ram_bytes: int
    vram_bytes: int
    n_ctx: int
    n_gpu_layers: int = 0
    n_params: int | None = None
    quantization: str | None = None
    label: str = "the model"
    # Recomputes the same estimate at another context size / offload (for fixes that would fit).
    at: Callable[[int, int], MemoryEstimate] | None = field(default=None, repr=False, compare=False)

    @property
    def total(self) -> int:
        return self.total_bytes

    @property
    def overhead(self) -> int:
        return self.overhead_bytes

    def summary(self) -> str:
        """One line a person can read: what takes the memory, and where it goes."""
        parts = [
            f"weights {format_bytes(self.weights_bytes)}",
            f"KV cache {format_bytes(self.kv_cache_bytes)}",
            f"logits {format_bytes(self.logits_bytes)}",
            f"compute {format_bytes(self.compute_bytes)}",
            f"runtime {format_bytes(self.overhead_bytes)}",
        ]
        where = f"RAM {format_bytes(self.ram_bytes)}"
        if self.vram_bytes:
            where += f", GPU {format_bytes(self.vram_bytes)}"
        return (
            f"{self.label} at {self.n_ctx:,} tokens of context needs about "
            f"{format_bytes(self.total_bytes)} ({where}): {' + '.join(parts)}"
        )


@dataclass(frozen=True)
class LayerBytes:
    """Weight bytes of layers 0..n_layer-1 (absent layers weigh 0)."""

    n_layer: int
    by_layer: dict[int, int]

    def from_layer(self, first: int) -> int:
        """Bytes of layers ``first`` .. n_layer-1."""
        return sum(b for i, b in self.by_layer.items() if i >= first)


@dataclass(frozen=True)
class _Shape:
    """What the estimate needs to know about a model."""

    n_layer: int
    n_embd: int
    n_head: int
    n_embd_k: int  # per-token key width in the cache (n_embd × n_head_kv / n_head)
    n_embd_v: int
    n_vocab: int
    n_ff: int
    layer_bytes: LayerBytes  # weights of each repeating layer blk.N
    input_bytes: int  # token embeddings and anything else llama.cpp keeps on the CPU
    output_bytes: int  # output norm and projection: on the GPU only when every layer is


def compute_buffer_bytes(s: _Shape, n_ctx: int) -> int:
    """llama.cpp's compute buffer: the worst-case graph for one micro-batch at full context.

    ggml's allocator reuses memory between nodes, so the buffer is close to the largest live set:
    the KQ mask (n_ctx × n_ubatch floats) plus either the attention scores (n_head × n_ctx × n_ubatch
    floats: llama-cpp-python leaves flash attention off) with a few n_embd- and n_ff-wide activations,
    or the output projection (n_vocab × n_ubatch floats) at the end of the graph, whichever is larger.
    Checked against llama.cpp's own report for the bundled model (30 layers, 9 heads, vocab 49,152):
    103.0 / 104.2 / 174.5 MB at n_ctx 512 / 2048 / 8192, where this gives 104.1 / 107.2 / 178.8 MB.
    """
    n_ubatch = min(N_BATCH, n_ctx)
    attention = s.n_head * n_ctx + 4 * s.n_embd + 2 * s.n_ff
    output = s.n_vocab + 2 * s.n_embd
    return 4 * n_ubatch * (n_ctx + max(attention, output))


def _estimate(s: _Shape, n_ctx: int, n_gpu_layers: int, kv_type: str, label: str,
              n_params: int | None, quant: str | None) -> MemoryEstimate:  # fmt: skip
    if n_ctx < 1:
        raise ConfigError(f"The context size must be at least 1 token (got {n_ctx}).", "Use --ctx 2048.")
    per_elem = kv_bytes_per_element(kv_type)
    kv_per_layer = math.ceil(n_ctx * (s.n_embd_k + s.n_embd_v) * per_elem)  # keys and values
    # llama.cpp offloads the last n_gpu_layers repeating layers, then the output layer; -1 = all.
    offloaded = s.n_layer + 1 if n_gpu_layers < 0 else min(n_gpu_layers, s.n_layer + 1)
    gpu_layers = min(offloaded, s.n_layer)
    first_gpu = s.n_layer - gpu_layers
    layers_gpu = s.layer_bytes.from_layer(first_gpu)
    weights = s.layer_bytes.from_layer(0) + s.input_bytes + s.output_bytes
    weights_gpu = layers_gpu + (s.output_bytes if offloaded > s.n_layer else 0)
    kv = kv_per_layer * s.n_layer
    kv_gpu = kv_per_layer * gpu_layers
    logits = s.n_vocab * min(N_BATCH, n_ctx) * 4
    compute = compute_buffer_bytes(s, n_ctx)
    compute_gpu = compute if offloaded > 0 else 0
    overhead = RUNTIME_OVERHEAD
    total = weights + kv + logits + compute + overhead
    vram = weights_gpu + kv_gpu + compute_gpu

    def at(ctx: int, ngl: int) -> MemoryEstimate:
        return _estimate(s, ctx, ngl, kv_type, label, n_params, quant)

    return MemoryEstimate(
        weights_bytes=weights, kv_cache_bytes=kv, logits_bytes=logits, compute_bytes=compute,
        overhead_bytes=overhead, total_bytes=total, ram_bytes=total - vram, vram_bytes=vram,
        n_ctx=n_ctx, n_gpu_layers=offloaded, n_params=n_params, quantization=quant, label=label, at=at,
    )  # fmt: skip


def estimate_gguf(info: GGUFInfo, n_ctx: int, n_gpu_layers: int = 0, kv_type: str = "f16") -> MemoryEstimate:
    """Memory for a GGUF file on disk at ``n_ctx`` tokens; weights are the file's exact tensor bytes."""
    n_layer = info.n_layer or 0
    # Keyed by layer, not a list: a corrupt block_count must not allocate a billion entries.
    by_layer: dict[int, int] = {}
    input_bytes = output_bytes = 0
    for t in info.tensors:
        m = re.match(r"blk\.(\d+)\.", t.name)
        if m and int(m.group(1)) < n_layer:
            by_layer[int(m.group(1))] = by_layer.get(int(m.group(1)), 0) + t.n_bytes
        elif t.name.startswith("output"):
            output_bytes += t.n_bytes
        else:
            input_bytes += t.n_bytes
    n_embd = info.n_embd or 0
    n_head = info.n_head or 1
    shape = _Shape(
        n_layer=n_layer,
        n_embd=n_embd,
        n_head=n_head,
        n_embd_k=info.n_embd_k_gqa or 0,
        n_embd_v=info.n_embd_v_gqa or 0,
        n_vocab=info.vocab_size or 0,
        n_ff=info.n_ff or 4 * n_embd,
        layer_bytes=LayerBytes(n_layer, by_layer),
        input_bytes=input_bytes,
        output_bytes=output_bytes,
    )
    label = info.name or info.path.name
    return _estimate(shape, n_ctx, n_gpu_layers, kv_type, label, info.parameter_count, info.file_type)


def _reference_shape(n_params: float) -> tuple[float, int, int, int, int]:
    return min(REFERENCE_SHAPES, key=lambda r: abs(math.log(r[0] / n_params)))


def estimate_params(
    n_params: float,
    quant: str,
    n_ctx: int = 2048,
    n_layer: int | None = None,
    n_embd: int | None = None,
    n_head: int | None = None,
    n_head_kv: int | None = None,
    vocab_size: int = 32000,
    n_gpu_layers: int = 0,
    kv_type: str = "f16",
) -> MemoryEstimate:
    """Memory for a model that is not on disk yet (a download or a conversion), from its size.

    Weights are ``n_params × bits_per_weight(quant) / 8``, with the output matrix at Q6_K at least:
    about 2 bytes per parameter in F16, 1.06 in Q8_0, 0.56–0.6 in 4-bit (Q4_0 4.5, Q4_K_M 4.84 bits).
    Unknown dimensions come from the real model of the nearest size in ``REFERENCE_SHAPES``.
    """
    if n_params <= 0:
        raise ConfigError(f"A model must have parameters (got {n_params}).", "Pass the parameter count.")
    ref = _reference_shape(n_params)
    n_layer = n_layer or ref[1]
    n_embd = n_embd or ref[2]
    n_head = n_head or ref[3]
    if n_head_kv is None:
        # Keep the reference model's grouping (e.g. 4 query heads per KV head) at this head count.
        n_head_kv = max(1, round(n_head * ref[4] / ref[3]))
    bpw = bits_per_weight(quant)
    # llama-quantize keeps the output matrix (the embeddings, when tied) at Q6_K or wider; it weighs
    # little in a 7B model but ~20 % of a 135M one with a 49k vocabulary.
    embd_params = min(n_params / 2, vocab_size * n_embd)
    weights = int((n_params - embd_params) * bpw / 8 + embd_params * max(bpw, BITS_PER_WEIGHT["Q6_K"]) / 8)
    embd_bytes = min(weights // 2, int(embd_params * bpw / 8))
    layer = (weights - 2 * embd_bytes) // n_layer if weights > 2 * embd_bytes else weights // (n_layer + 2)
    rest = weights - layer * n_layer
    kv_width = n_embd * n_head_kv // n_head
    shape = _Shape(
        n_layer=n_layer, n_embd=n_embd, n_head=n_head, n_embd_k=kv_width, n_embd_v=kv_width,
        n_vocab=vocab_size, n_ff=int(8 * n_embd / 3),
        layer_bytes=LayerBytes(n_layer, dict.fromkeys(range(n_layer), layer)),
        input_bytes=rest - rest // 2, output_bytes=rest // 2,
    )  # fmt: skip
    label = f"a {format_count(n_params)} model in {quant}"
    return _estimate(shape, n_ctx, n_gpu_layers, kv_type, label, int(n_params), quant)


# --- does it fit? ----------------------------------------------------------------------------------


def _shortfall(est: MemoryEstimate, budget: MemoryBudget, margin: float) -> tuple[str, int, int] | None:
    """(where, bytes needed, bytes available) for the first memory that is too small, or None.

    It fits when the estimate plus ``margin`` of headroom is at most what is available.
    """
    if budget.vram_free is None or budget.unified:
        # No separate GPU memory: CPU builds keep everything in RAM; Apple GPUs share it.
        checks = [("RAM", est.total_bytes, budget.ram_available)]
    else:
        checks = [
            ("RAM", est.ram_bytes, budget.ram_available),
            ("GPU memory", est.vram_bytes, budget.vram_free),
        ]
    for where, need, have in checks:
        if need * (1 + margin) > have:
            return where, need, have
    return None


def fits(est: MemoryEstimate, budget: MemoryBudget | None = None, margin: float = DEFAULT_MARGIN) -> bool:
    return _shortfall(est, budget or available_memory(), margin) is None


def largest_fitting_ctx(
    est: MemoryEstimate, budget: MemoryBudget, margin: float = DEFAULT_MARGIN
) -> int | None:
    """The largest context (a multiple of 256, below ``est.n_ctx``) that fits, or None."""
    if est.at is None:
        return None
    lo, hi = 1, (est.n_ctx - 1) // 256  # in units of 256 tokens
    best = None
    while lo <= hi:
        mid = (lo + hi) // 2
        if _shortfall(est.at(mid * 256, est.n_gpu_layers), budget, margin) is None:
            best, lo = mid * 256, mid + 1
        else:
            hi = mid - 1
    return best


def preflight(
    estimate: MemoryEstimate, budget: MemoryBudget | None = None, margin: float = DEFAULT_MARGIN
) -> MemoryBudget:
    """Raise InsufficientMemoryError (the numbers and concrete fixes) unless the estimate fits.

    ``margin`` is the headroom kept on top of the estimate (0.10 = 10 %). Returns the budget used.
    """
    budget = budget or available_memory()
    short = _shortfall(estimate, budget, margin)
    if short is None:
        return budget
    where, need, have = short
    headroom = f" + {margin:.0%} headroom" if margin else ""
    problem = (
        f"Not enough {where} for {estimate.label} at {estimate.n_ctx:,} tokens of context: "
        f"needs {format_bytes(need)}{headroom}, {format_bytes(have)} available."
    )
    fixes: list[str] = []
    if where == "GPU memory":
        layers = _largest_fitting_offload(estimate, budget, margin)
        fixes.append(f"offload fewer layers to the GPU (n_gpu_layers = {layers}, or auto)")
    ctx = largest_fitting_ctx(estimate, budget, margin)
    if ctx is not None:
        fixes.append(f"a context of {ctx:,} tokens or less (--ctx {ctx})")
    if where == "RAM":
        smaller = _smaller_quantization(estimate, budget, margin)
        if smaller:
            fixes.append(smaller)
        fixes.append("close other programs")
    fixes.append("or choose a smaller model")
    raise InsufficientMemoryError(problem, "Try: " + "; ".join(fixes) + ".")


def _largest_fitting_offload(est: MemoryEstimate, budget: MemoryBudget, margin: float) -> int:
    """The most layers that fit in GPU memory at this context (0 when none do)."""
    if est.at is None:
        return 0
    lo, hi = 0, est.n_gpu_layers
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _shortfall(est.at(est.n_ctx, mid), budget, margin) is None:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _smaller_quantization(est: MemoryEstimate, budget: MemoryBudget, margin: float) -> str | None:
    """'use Q4_K_M (about 4.1 GB)' when the same model quantized further would fit."""
    if not est.n_params:
        return None
    current = FILE_TYPE_BITS_PER_WEIGHT.get(normalize_quant_name(est.quantization or ""), 99.0)
    for name in ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q3_K_M", "IQ2_M"):
        if FILE_TYPE_BITS_PER_WEIGHT[name] >= current:
            continue
        weights = int(est.n_params * FILE_TYPE_BITS_PER_WEIGHT[name] / 8)
        total = est.total_bytes - est.weights_bytes + weights
        if total * (1 + margin) <= budget.ram_available:
            return f"a smaller quantization of this model such as {name} (about {format_bytes(total)} in all)"
    return None


def suggest_n_gpu_layers(
    info: GGUFInfo, n_ctx: int, vram_free: int | None, kv_type: str = "f16", margin: float = DEFAULT_MARGIN
) -> int:
    """How many layers to offload for "auto = all that fit": n_layer + 1 means every layer and the
    output; 0 means none (no GPU, or not even one layer fits)."""
    if not vram_free or not info.n_layer:
        return 0

    def fit(n: int) -> bool:
        return estimate_gguf(info, n_ctx, n, kv_type).vram_bytes * (1 + margin) <= vram_free

    # VRAM grows with every offloaded layer: bisect for the last count that fits.
    lo, hi = 0, info.n_layer + 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fit(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
