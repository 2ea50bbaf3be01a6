"""``pytorch_model*.bin`` (torch's zip + pickle format) read WITHOUT torch and without running code.

A pickle can name any Python callable and have it called while loading; that is how a malicious
checkpoint runs code. Here ``find_class`` admits only the handful of globals a state dict needs and
maps them to inert stand-ins defined below; any other global is refused before anything is called.
Storages are resolved to the zip's ``data/<key>`` entries and read lazily with numpy.
"""

from __future__ import annotations

import functools
import io
import pickle
import re
import struct
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import ConversionError

from .base import NUMPY_DTYPES, TensorRef, bf16_to_f32

# torch storage class name → checkpoint dtype name (safetensors spelling).
_STORAGE_DTYPES: dict[str, str] = {
    "DoubleStorage": "F64",
    "FloatStorage": "F32",
    "HalfStorage": "F16",
    "BFloat16Storage": "BF16",
    "LongStorage": "I64",
    "IntStorage": "I32",
    "ShortStorage": "I16",
    "CharStorage": "I8",
    "ByteStorage": "U8",
    "BoolStorage": "BOOL",
}
_STORAGE_KEY = re.compile(r"^[A-Za-z0-9_]{1,64}$")


@dataclass(frozen=True)
class _StorageType:
    dtype: str


@dataclass(frozen=True)
class _Storage:
    key: str
    dtype: str


@dataclass(frozen=True)
class _LazyTensor:
    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(storage: Any, offset: Any, size: Any, stride: Any, *_rest: Any) -> _LazyTensor:
    if not isinstance(storage, _Storage):
        raise ConversionError("A tensor in the checkpoint does not point at a storage.", _REFUSE_FIX)
    return _LazyTensor(storage, int(offset), tuple(int(s) for s in size), tuple(int(s) for s in stride))


def _rebuild_parameter(data: Any, *_rest: Any) -> Any:
    return data


def _ordered_dict(*args: Any) -> OrderedDict[Any, Any]:
    # Only ever called with no arguments (an empty hooks dict); items arrive through SETITEMS.
    if args:
        raise ConversionError("Unexpected OrderedDict arguments in the checkpoint pickle.", _REFUSE_FIX)
    return OrderedDict()


_REFUSE_FIX = (
    "The file may be malicious or from an unusual exporter. Use a .safetensors copy of the checkpoint "
    "(Tomoshibi never runs code from a checkpoint)."
)

# (module, name) → inert stand-in. Nothing outside this table can be referenced by the pickle.
_ALLOWED: dict[tuple[str, str], Any] = {
    ("collections", "OrderedDict"): _ordered_dict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch._utils", "_rebuild_parameter"): _rebuild_parameter,
    **{("torch", name): _StorageType(dtype) for name, dtype in _STORAGE_DTYPES.items()},
}


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, source: str) -> None:
        super().__init__(io.BytesIO(data))
        self._source = source

    def find_class(self, module: str, name: str) -> Any:
        try:
            allowed = _ALLOWED[(module, name)]
        except KeyError:
            raise ConversionError(
                f"{self._source} refers to {module}.{name}, which a weights file never needs; "
                "it was refused and nothing was executed.",
                _REFUSE_FIX,
            ) from None
        # A fresh object each time: a BUILD opcode aimed at it (which can set attributes) then
        # changes only this copy, never the shared table for later files.
        if isinstance(allowed, _StorageType):
            return _StorageType(allowed.dtype)
        return functools.partial(allowed)

    def persistent_load(self, pid: Any) -> _Storage:
        # torch writes ("storage", storage_type, key, location, numel).
        if not (isinstance(pid, tuple) and len(pid) >= 3 and pid[0] == "storage"):
            raise ConversionError(f"{self._source} has an unknown persistent id {pid!r}.", _REFUSE_FIX)
        storage_type, key = pid[1], str(pid[2])
        if not isinstance(storage_type, _StorageType) or not _STORAGE_KEY.match(key):
            raise ConversionError(f"{self._source} has a malformed storage reference.", _REFUSE_FIX)
        return _Storage(key, storage_type.dtype)


def read_torch_bin(path: Path) -> list[TensorRef]:
    """The tensors of one torch zip checkpoint; nothing is read until ``load()``."""
    if not zipfile.is_zipfile(path):
        raise ConversionError(
            f"{path.name} is in torch's legacy (pre-1.6) format, which Tomoshibi does not read.",
            "Use a .safetensors copy of the checkpoint, or re-save it with a recent torch.",
        )
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        pkl = next((n for n in names if n.endswith("/data.pkl") or n == "data.pkl"), None)
        if pkl is None:
            raise ConversionError(f"{path.name} has no data.pkl; it is not a torch checkpoint.", _REFUSE_FIX)
        prefix = pkl[: -len("data.pkl")]
        try:
            state = _RestrictedUnpickler(zf.read(pkl), path.name).load()
        except ConversionError:
            raise
        except Exception as e:  # a malformed pickle: any of a dozen exception types
            raise ConversionError(
                f"{path.name} is not a readable torch checkpoint ({e}).", _REFUSE_FIX
            ) from e
        entries = {n: zf.getinfo(n) for n in names if n.startswith(prefix + "data/")}
    if not isinstance(state, dict):
        raise ConversionError(f"{path.name} does not hold a state dict.", _REFUSE_FIX)
    refs: list[TensorRef] = []
    for name, tensor in state.items():
        if not isinstance(tensor, _LazyTensor):
            continue  # e.g. a stray integer entry; never a weight
        info = entries.get(f"{prefix}data/{tensor.storage.key}")
        if info is None:
            raise ConversionError(
                f"{path.name}: storage of {name} is missing.", "Download the checkpoint again."
            )
        itemsize = np.dtype(NUMPY_DTYPES[tensor.storage.dtype]).itemsize
        refs.append(
            TensorRef(
                name=str(name),
                shape=tensor.shape,
                dtype=tensor.storage.dtype,
                nbytes=int(np.prod(tensor.shape, dtype=np.int64)) * itemsize,
                loader=_loader(path, info, tensor),
                source=path.name,
            )
        )
    return refs


def _data_offset(path: Path, info: zipfile.ZipInfo) -> int:
    # The local file header repeats name and extra-field lengths, which may differ from the central one.
    with path.open("rb") as f:
        f.seek(info.header_offset)
        header = f.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    return info.header_offset + 30 + name_len + extra_len


def _loader(path: Path, info: zipfile.ZipInfo, tensor: _LazyTensor):  # type: ignore[no-untyped-def]
    def load() -> np.ndarray:
        np_type = np.dtype(NUMPY_DTYPES[tensor.storage.dtype]).newbyteorder("<")
        count = info.file_size // np_type.itemsize
        if info.compress_type == zipfile.ZIP_STORED and count:
            flat: np.ndarray = np.memmap(
                path, dtype=np_type, mode="r", offset=_data_offset(path, info), shape=(count,)
            )
        else:
            with zipfile.ZipFile(path) as zf:
                flat = np.frombuffer(zf.read(info), dtype=np_type)
        n = int(np.prod(tensor.shape, dtype=np.int64))
        needed = tensor.offset + (
            sum((d - 1) * s for d, s in zip(tensor.shape, tensor.stride, strict=True)) + 1 if n else 0
        )
        if needed > count:
            raise ConversionError(
                f"{path.name}: a tensor lies past the end of its storage.", "Download the checkpoint again."
            )
        view = np.lib.stride_tricks.as_strided(
            flat[tensor.offset :],
            shape=tensor.shape,
            strides=tuple(s * np_type.itemsize for s in tensor.stride),
            writeable=False,
        )
        array = np.ascontiguousarray(view)
        return bf16_to_f32(array) if tensor.storage.dtype == "BF16" else array

    return load
