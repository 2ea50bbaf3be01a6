"""What every weight reader hands to the converter: tensor names, shapes, and one tensor at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TensorRef:
    """A tensor in a checkpoint, known by its header only; ``load()`` reads it (memory-mapped if possible).

    ``dtype`` is the checkpoint's own type name ("F32", "F16", "BF16", ...). ``load()`` returns a numpy
    array: float32 for BF16 (numpy has no bfloat16; the conversion is exact), the stored type otherwise.
    """

    name: str
    shape: tuple[int, ...]
    dtype: str
    nbytes: int
    loader: Callable[[], np.ndarray]
    source: str

    def load(self) -> np.ndarray:
        return self.loader()


def bf16_to_f32(raw: np.ndarray) -> np.ndarray:
    """bfloat16 stored as uint16 → float32 (exact: bf16 is the top half of an f32)."""
    return (raw.astype(np.uint32) << 16).view(np.float32)


# Checkpoint dtype names (safetensors spelling) → numpy types; BF16 is read as uint16 then widened.
NUMPY_DTYPES: dict[str, type] = {
    "F64": np.float64,
    "F32": np.float32,
    "F16": np.float16,
    "BF16": np.uint16,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U8": np.uint8,
    "BOOL": np.bool_,
}
