"""ggml tensor types and llama.cpp file types, as data.

Numbers come from ggml (``ggml/src/ggml.c`` ``type_traits``: elements per block and bytes per block) and
llama.cpp (``include/llama.h`` ``enum llama_ftype``); the same values are in the ``gguf`` package
(``GGML_QUANT_SIZES``, ``LlamaFileType``) and a test checks that they agree. Kept here so validation and
memory estimates need neither numpy nor the ``gguf`` package.
"""

from __future__ import annotations

from typing import NamedTuple


class GGMLType(NamedTuple):
    name: str
    block_size: int  # elements per block
    type_size: int  # bytes per block

    @property
    def bits_per_weight(self) -> float:
        return self.type_size * 8 / self.block_size


# id → type. Ids 4, 5 (Q4_2, Q4_3), 31–33 (Q4_0_4_4 ...) and 36–38 (IQ4_NL_4_4 ...) were removed
# from ggml; files using them no longer load, so they are unknown here too.
GGML_TYPES: dict[int, GGMLType] = {
    0: GGMLType("F32", 1, 4),
    1: GGMLType("F16", 1, 2),
    2: GGMLType("Q4_0", 32, 2 + 16),
    3: GGMLType("Q4_1", 32, 2 + 2 + 16),
    6: GGMLType("Q5_0", 32, 2 + 4 + 16),
    7: GGMLType("Q5_1", 32, 2 + 2 + 4 + 16),
    8: GGMLType("Q8_0", 32, 2 + 32),
    9: GGMLType("Q8_1", 32, 4 + 4 + 32),
    10: GGMLType("Q2_K", 256, 2 + 2 + 256 // 16 + 256 // 4),
    11: GGMLType("Q3_K", 256, 2 + 256 // 4 + 256 // 8 + 12),
    12: GGMLType("Q4_K", 256, 2 + 2 + 12 + 256 // 2),
    13: GGMLType("Q5_K", 256, 2 + 2 + 12 + 256 // 2 + 256 // 8),
    14: GGMLType("Q6_K", 256, 2 + 256 // 16 + 3 * 256 // 4),
    15: GGMLType("Q8_K", 256, 4 + 256 + 2 * 256 // 16),
    16: GGMLType("IQ2_XXS", 256, 2 + 256 // 4),
    17: GGMLType("IQ2_XS", 256, 2 + 256 // 4 + 256 // 32),
    18: GGMLType("IQ3_XXS", 256, 2 + 256 // 4 + 256 // 8),
    19: GGMLType("IQ1_S", 256, 2 + 256 // 8 + 256 // 16),
    20: GGMLType("IQ4_NL", 32, 2 + 16),
    21: GGMLType("IQ3_S", 256, 2 + 256 // 4 + 256 // 8 + 256 // 32 + 4),
    22: GGMLType("IQ2_S", 256, 2 + 256 // 4 + 256 // 16),
    23: GGMLType("IQ4_XS", 256, 2 + 2 + 256 // 2 + 256 // 64),
    24: GGMLType("I8", 1, 1),
    25: GGMLType("I16", 1, 2),
    26: GGMLType("I32", 1, 4),
    27: GGMLType("I64", 1, 8),
    28: GGMLType("F64", 1, 8),
    29: GGMLType("IQ1_M", 256, 256 // 8 + 256 // 16 + 256 // 32),
    30: GGMLType("BF16", 1, 2),
    34: GGMLType("TQ1_0", 256, 2 + 4 * 13),
    35: GGMLType("TQ2_0", 256, 2 + 64),
    39: GGMLType("MXFP4", 32, 1 + 16),
    40: GGMLType("NVFP4", 64, 4 + 32),
    41: GGMLType("Q1_0", 128, 2 + 16),
    42: GGMLType(
        "Q2_0", 64, 2 + 16
    ),  # in the llama.cpp that llama-cpp-python 0.3.36 bundles; not in gguf-py yet
}

GGML_TYPE_IDS: dict[str, int] = {t.name: i for i, t in GGML_TYPES.items()}

# llama.cpp ``general.file_type`` (enum llama_ftype) → the name its quantize tool uses.
FILE_TYPES: dict[int, str] = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    4: "Q4_1_SOME_F16",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
    38: "MXFP4_MOE",
    39: "NVFP4",
    40: "Q1_0",
    41: "Q2_0",
}
FILE_TYPE_IDS: dict[str, int] = {name: i for i, name in FILE_TYPES.items()}

# llama.cpp ORs this into general.file_type when it guessed the type from the tensors.
FILE_TYPE_GUESSED = 1024


def file_type_name(value: int) -> str | None:
    """Name of a ``general.file_type`` value, or None when llama.cpp has no such file type."""
    return FILE_TYPES.get(value & ~FILE_TYPE_GUESSED)
