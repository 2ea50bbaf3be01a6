"""``*.safetensors`` read by parsing the header ourselves and memory-mapping the data.

The format is tiny (8-byte little-endian header length, a JSON header, raw little-endian data), and
parsing it here keeps ``safetensors`` (and torch) out of the runtime and handles BF16, which the
package's numpy framework cannot return.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

from models.errors import ConversionError

from .base import NUMPY_DTYPES, TensorRef, bf16_to_f32

_MAX_HEADER = 100 * 1024 * 1024


def read_safetensors(path: Path) -> list[TensorRef]:
    """The tensors of one safetensors file, in file order; nothing is read until ``load()``."""
    try:
        with path.open("rb") as f:
            (header_len,) = struct.unpack("<Q", f.read(8))
            if header_len <= 0 or header_len > _MAX_HEADER:
                raise ValueError(f"implausible header length {header_len}")
            header = json.loads(f.read(header_len))
    except (OSError, ValueError, struct.error) as e:
        raise ConversionError(
            f"{path.name} is not a readable safetensors file ({e}).",
            "Download the checkpoint again; the file may be truncated.",
        ) from e
    data_start = 8 + header_len
    file_size = path.stat().st_size
    refs: list[TensorRef] = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = info["dtype"]
        if dtype not in NUMPY_DTYPES:
            raise ConversionError(
                f"Tensor {name} in {path.name} has type {dtype}, which Tomoshibi cannot read.",
                "Use a checkpoint saved in float32, float16 or bfloat16.",
            )
        begin, end = (int(x) for x in info["data_offsets"])
        shape = tuple(int(d) for d in info["shape"])
        if data_start + end > file_size or end < begin:
            raise ConversionError(
                f"{path.name} is truncated (tensor {name} lies past the end of the file).",
                "Download the checkpoint again.",
            )
        refs.append(
            TensorRef(
                name=name,
                shape=shape,
                dtype=dtype,
                nbytes=end - begin,
                loader=_loader(path, data_start + begin, end - begin, dtype, shape),
                source=path.name,
            )
        )
    return refs


def _loader(path: Path, offset: int, nbytes: int, dtype: str, shape: tuple[int, ...]):  # type: ignore[no-untyped-def]
    def load() -> np.ndarray:
        np_type = np.dtype(NUMPY_DTYPES[dtype]).newbyteorder("<")
        count = nbytes // np_type.itemsize
        if count == 0:
            return np.zeros(shape, dtype=np_type)
        array = np.memmap(path, dtype=np_type, mode="r", offset=offset, shape=(count,)).reshape(shape)
        return bf16_to_f32(array) if dtype == "BF16" else array

    return load
