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


def _bad(path: Path, problem: str) -> ConversionError:
    return ConversionError(f"{path.name} is not a readable safetensors file ({problem}).",
                           "Download the checkpoint again; the file may be truncated or damaged.")  # fmt: skip


def _whole(value: object, what: str, path: Path, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 1 << 62:
        raise _bad(path, f"tensor {name} has an invalid {what} {value!r}")
    return value


def read_safetensors(path: Path) -> list[TensorRef]:
    """The tensors of one safetensors file, in file order; nothing is read until ``load()``.

    The header is the file's own claim about itself: every offset, shape and type is checked against
    the file (inside it, in order, sized exactly for its shape) before anything can be mapped.
    """
    try:
        file_size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(8)
            if len(head) < 8:
                raise ValueError("shorter than a header")
            (header_len,) = struct.unpack("<Q", head)
            if header_len < 2 or header_len > _MAX_HEADER or 8 + header_len > file_size:
                raise ValueError(f"implausible header length {header_len}")
            header = json.loads(f.read(header_len))
    except (OSError, ValueError, struct.error, RecursionError) as e:
        raise _bad(path, str(e)) from None
    if not isinstance(header, dict):
        raise _bad(path, "its header is not a JSON object")
    data_start = 8 + header_len
    data_size = file_size - data_start
    refs: list[TensorRef] = []
    spans: list[tuple[int, int, str]] = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if not isinstance(info, dict) or not isinstance(info.get("dtype"), str):
            raise _bad(path, f"tensor {name} has no type")
        dtype = info["dtype"]
        if dtype not in NUMPY_DTYPES:
            raise ConversionError(
                f"Tensor {name} in {path.name} has type {dtype}, which Tomoshibi cannot read.",
                "Use a checkpoint saved in float32, float16 or bfloat16.",
            )
        offsets, dims = info.get("data_offsets"), info.get("shape")
        if not isinstance(offsets, list) or len(offsets) != 2 or not isinstance(dims, list) or len(dims) > 8:
            raise _bad(path, f"tensor {name} has malformed offsets or shape")
        begin, end = (_whole(x, "offset", path, name) for x in offsets)
        shape = tuple(_whole(d, "dimension", path, name) for d in dims)
        if end > data_size or end < begin:
            raise ConversionError(
                f"{path.name} is truncated (tensor {name} lies past the end of the file).",
                "Download the checkpoint again.",
            )
        n = 1
        for d in shape:
            n *= d
        itemsize = np.dtype(NUMPY_DTYPES[dtype]).itemsize
        if n * itemsize != end - begin:
            raise _bad(path, f"tensor {name} has {end - begin:,} bytes but its shape {list(shape)} needs "
                             f"{n * itemsize:,}")  # fmt: skip
        spans.append((begin, end, name))
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
    spans.sort()
    for (_, prev_end, prev), (begin, end, name) in zip(spans, spans[1:], strict=False):
        if begin < prev_end and end > begin:
            raise _bad(path, f"tensors {prev} and {name} overlap")
    return refs


def _loader(path: Path, offset: int, nbytes: int, dtype: str, shape: tuple[int, ...]):  # type: ignore[no-untyped-def]
    def load() -> np.ndarray:
        np_type = np.dtype(NUMPY_DTYPES[dtype]).newbyteorder("<")
        count = nbytes // np_type.itemsize
        if count == 0:
            return np.zeros(shape, dtype=np_type)
        try:
            flat = np.memmap(path, dtype=np_type, mode="r", offset=offset, shape=(count,))
        except (OSError, ValueError) as e:  # the file shrank since its header was read
            raise _bad(path, f"its data cannot be mapped: {e}") from None
        array = flat.reshape(shape)
        return bf16_to_f32(array) if dtype == "BF16" else array

    return load
