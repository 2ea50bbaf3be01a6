"""Bits per weight, as data: per GGUF tensor type (exact) and per llama.cpp file type (measured mixes).

Also the names people use for quantizations, the KV cache types, and real models' shapes for
estimating a model that is only known by its parameter count.
"""

from __future__ import annotations

import re

from .errors import ConfigError
from .ggml_types import GGML_TYPES

# Bits per weight of each GGUF tensor type, exact from its block layout (ggml_types: bytes × 8 / elements):
# F32 32, F16/BF16 16, Q8_0 8.5, Q4_0 4.5, Q4_1 5.0, Q5_0 5.5, Q5_1 6.0, Q2_K 2.625, Q3_K 3.4375,
# Q4_K 4.5, Q5_K 5.5, Q6_K 6.5625, Q8_K 9.125, IQ2_XXS 2.0625, IQ4_XS 4.25 ...
BITS_PER_WEIGHT: dict[str, float] = {t.name: t.bits_per_weight for t in GGML_TYPES.values()}

# Average bits per weight of a whole model for each llama.cpp file type (mixes keep some tensors wider).
FILE_TYPE_BITS_PER_WEIGHT: dict[str, float] = {
    # Uniform types: the block layout above. llama.cpp keeps output.weight at Q6_K in these files,
    # which adds ~1% on a 7B model (Llama-2-7B Q4_0 is 3.83 GB = 4.54 bpw).
    "F32": 32.0, "F16": 16.0, "BF16": 16.0, "Q8_0": 8.5, "Q5_1": 6.0, "Q5_0": 5.5, "Q4_1": 5.0,
    "Q4_0": 4.5, "Q4_1_SOME_F16": 5.0,
    # K-quant mixes: llama.cpp tools/quantize/README.md, table "Llama 2 7B", bits per weight.
    "Q6_K": 6.56, "Q5_K_M": 5.68, "Q5_K_S": 5.52, "Q4_K_M": 4.84, "Q4_K_S": 4.58,
    "Q3_K_L": 4.27, "Q3_K_M": 3.91, "Q3_K_S": 3.50, "Q2_K": 3.35,
    # Not in that table: Q2_K_S is Q2_K with fewer wide tensors; our estimate, between Q2_K and its
    # 2.625-bit blocks.
    "Q2_K_S": 3.0,
    # i-quants and ternary types: llama-quantize's help text (tools/quantize/quantize.cpp QUANT_OPTIONS).
    "IQ4_NL": 4.50, "IQ4_XS": 4.25, "IQ3_M": 3.66, "IQ3_S": 3.44, "IQ3_XS": 3.3, "IQ3_XXS": 3.06,
    "IQ2_M": 2.7, "IQ2_S": 2.5, "IQ2_XS": 2.31, "IQ2_XXS": 2.06, "IQ1_M": 1.75, "IQ1_S": 1.56,
    "TQ2_0": 2.06, "TQ1_0": 1.69,
    # Block layouts (ggml_types) for the newest types.
    "MXFP4_MOE": 4.25, "NVFP4": 4.5, "Q1_0": 1.125, "Q2_0": 2.25,
}  # fmt: skip

# Names people use for a quantization → the llama.cpp name (llama-quantize takes Q4_K for Q4_K_M too).
_ALIASES = {
    "FP32": "F32", "FP16": "F16", "HALF": "F16", "BFLOAT16": "BF16", "8BIT": "Q8_0", "INT8": "Q8_0",
    "Q8": "Q8_0", "4BIT": "Q4_K_M", "INT4": "Q4_K_M", "Q4": "Q4_K_M", "Q4_K": "Q4_K_M",
    "Q5_K": "Q5_K_M", "Q3_K": "Q3_K_M", "Q5": "Q5_K_M", "Q6": "Q6_K", "Q3": "Q3_K_M", "Q2": "Q2_K",
    # Hub repositories' own mixes (Unsloth "UD ... _XL", bartowski "_L"): estimated as the nearest
    # llama.cpp mix; they keep a few more tensors wide, so real files run a few percent larger.
    "Q2_K_XL": "Q2_K", "Q2_K_L": "Q2_K", "Q3_K_XL": "Q3_K_L", "Q4_K_XL": "Q4_K_M", "Q4_K_L": "Q4_K_M",
    "Q5_K_XL": "Q5_K_M", "Q5_K_L": "Q5_K_M", "Q6_K_XL": "Q6_K", "Q6_K_L": "Q6_K", "Q8_K_XL": "Q8_0",
    "IQ2_XS_L": "IQ2_XS", "IQ3_XS_L": "IQ3_XS", "IQ4_XS_L": "IQ4_XS",
}  # fmt: skip

# Bytes per element of the KV cache for each --cache-type-k/v llama.cpp accepts.
KV_TYPES = ("f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1")

# Shapes of real models, to fill in dimensions a caller does not know (nearest parameter count).
# (parameters, n_layer, n_embd, n_head, n_head_kv)  — from each model's config.json.
REFERENCE_SHAPES: tuple[tuple[float, int, int, int, int], ...] = (
    (135e6, 30, 576, 9, 3),  # SmolLM2-135M
    (362e6, 32, 960, 15, 5),  # SmolLM2-360M
    (494e6, 24, 896, 14, 2),  # Qwen2.5-0.5B
    (1.10e9, 22, 2048, 32, 4),  # TinyLlama-1.1B
    (1.54e9, 28, 1536, 12, 2),  # Qwen2.5-1.5B
    (1.71e9, 24, 2048, 32, 32),  # SmolLM2-1.7B
    (3.21e9, 28, 3072, 24, 8),  # Llama-3.2-3B
    (3.6e9, 36, 2816, 22, 22),  # rinna japanese-gpt-neox-3.6b
    (6.74e9, 32, 4096, 32, 32),  # Llama-2-7B
    (8.03e9, 32, 4096, 32, 8),  # Llama-3-8B
    (13.0e9, 40, 5120, 40, 40),  # Llama-2-13B
    (32.8e9, 64, 5120, 40, 8),  # Qwen2.5-32B
    (70.6e9, 80, 8192, 64, 8),  # Llama-3-70B
)


def normalize_quant_name(name: str) -> str:
    return re.sub(r"[^A-Z0-9_]", "_", name.strip().upper()).removeprefix("MOSTLY_").removeprefix("ALL_")


def bits_per_weight(quant: str) -> float:
    """Average bits per weight for a file type ("Q4_K_M"), a tensor type ("Q4_K" means Q4_K_M) or an
    everyday name ("fp16", "8bit", "4bit"). ConfigError lists the known names otherwise."""
    key = normalize_quant_name(quant)
    key = _ALIASES.get(key, key)
    if key in FILE_TYPE_BITS_PER_WEIGHT:
        return FILE_TYPE_BITS_PER_WEIGHT[key]
    if key in BITS_PER_WEIGHT:
        return BITS_PER_WEIGHT[key]
    known = ", ".join(sorted(FILE_TYPE_BITS_PER_WEIGHT))
    raise ConfigError(f"Unknown quantization '{quant}'.", f"Use one of: {known}.")


def kv_bytes_per_element(kv_type: str) -> float:
    key = kv_type.strip().lower()
    if key not in KV_TYPES:
        raise ConfigError(f"Unknown KV cache type '{kv_type}'.", f"Use one of: {', '.join(KV_TYPES)}.")
    return BITS_PER_WEIGHT[key.upper()] / 8
