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


# Far above any real tensor, far below what would overflow numpy's int64 byte arithmetic.
_MAX_INDEX = 1 << 48
_MAX_DIMS = 8


def _index(value: Any, what: str) -> int:
    """A non-negative integer from the pickle; anything else (negative, float, huge, not a number) refused.

    Negative offsets and strides are how a checkpoint points a view outside its storage (issue 20).
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConversionError(
            f"A tensor in the checkpoint has a {what} that is not a whole number.", _REFUSE_FIX
        )
    if value < 0:
        raise ConversionError(f"A tensor in the checkpoint has a negative {what} ({value}).", _REFUSE_FIX)
    if value > _MAX_INDEX:
        raise ConversionError(f"A tensor in the checkpoint has an impossible {what} ({value}).", _REFUSE_FIX)
    return value


def _rebuild_tensor_v2(storage: Any, offset: Any, size: Any, stride: Any, *_rest: Any) -> _LazyTensor:
    if not isinstance(storage, _Storage):
        raise ConversionError("A tensor in the checkpoint does not point at a storage.", _REFUSE_FIX)
    if not isinstance(size, tuple | list) or not isinstance(stride, tuple | list):
        raise ConversionError("A tensor in the checkpoint has a malformed shape.", _REFUSE_FIX)
    if len(size) != len(stride) or len(size) > _MAX_DIMS:
        raise ConversionError(
            f"A tensor in the checkpoint has {len(size)} dimensions but {len(stride)} strides.", _REFUSE_FIX
        )
    return _LazyTensor(
        storage,
        _index(offset, "storage offset"),
        tuple(_index(s, "dimension") for s in size),
        tuple(_index(s, "stride") for s in stride),
    )


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


# data.pkl holds names and shapes only (a few MB for the largest models); its declared size is checked
# before inflating, so a compressed bomb cannot take the memory (issue 20: 1 GiB packed into 1 MB).
MAX_PICKLE_BYTES = 256 * 1024 * 1024
# torch stores weights uncompressed; a compressed storage is inflated only when its ratio is plausible
# for numbers (floats compress ~1.1×; a run of zeros ~1000×, which is how a bomb is made).
MAX_INFLATE_RATIO = 64
SMALL_STORAGE = 1024 * 1024


def _not_readable(path: Path, problem: str) -> ConversionError:
    return ConversionError(f"{path.name} is not a readable torch checkpoint: {problem}.",
                           "Download the checkpoint again; the file may be truncated or damaged.")  # fmt: skip


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError as e:
        raise _not_readable(path, e.strerror or str(e)) from None
    if not head.startswith(b"PK"):
        if head[:1] == b"\x80":  # a bare pickle: torch.save before 1.6
            raise ConversionError(
                f"{path.name} is in torch's legacy (pre-1.6) format, which Tomoshibi does not read.",
                "Use a .safetensors copy of the checkpoint, or re-save it with a recent torch.",
            )
        raise _not_readable(path, "it is not a zip archive")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise _not_readable(path, f"the zip archive is damaged ({e})") from None


def _read_entry(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """An entry's bytes, refused before inflating when its declared size is over ``limit``."""
    if info.file_size > limit:
        raise _not_readable(path, f"{info.filename} claims {info.file_size:,} bytes (at most {limit:,})")
    try:
        with zf.open(info) as entry:
            data = entry.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as e:
        raise _not_readable(path, f"{info.filename} cannot be unpacked ({e})") from None
    except Exception as e:  # zlib.error and friends from a corrupt stream
        raise _not_readable(path, f"{info.filename} cannot be unpacked ({type(e).__name__})") from None
    if len(data) > limit:
        raise _not_readable(path, f"{info.filename} is larger than it claims")
    return data


def read_torch_bin(path: Path) -> list[TensorRef]:
    """The tensors of one torch zip checkpoint; nothing is read until ``load()``.

    Every tensor's offset, shape and strides are checked against its storage here, before any view
    of the data can be made.
    """
    zf = _open_zip(path)
    with zf:
        names = zf.namelist()
        pkl = next((n for n in names if n.endswith("/data.pkl") or n == "data.pkl"), None)
        if pkl is None:
            raise ConversionError(f"{path.name} has no data.pkl; it is not a torch checkpoint.", _REFUSE_FIX)
        prefix = pkl[: -len("data.pkl")]
        raw = _read_entry(path, zf, zf.getinfo(pkl), MAX_PICKLE_BYTES)
        try:
            state = _RestrictedUnpickler(raw, path.name).load()
        except ConversionError:
            raise
        except Exception as e:  # a malformed pickle: any of a dozen exception types
            raise ConversionError(
                f"{path.name} is not a readable torch checkpoint ({type(e).__name__}: {e}).", _REFUSE_FIX
            ) from None
        entries = {n: zf.getinfo(n) for n in names if n.startswith(prefix + "data/")}
    if not isinstance(state, dict):
        raise ConversionError(f"{path.name} does not hold a state dict.", _REFUSE_FIX)
    file_size = path.stat().st_size
    starts: dict[str, int] = {}
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
        _check_view(path, str(name), tensor, info.file_size // itemsize)
        if info.compress_type == zipfile.ZIP_STORED:
            if info.filename not in starts:
                starts[info.filename] = _data_offset(path, info, file_size)
        elif info.file_size > SMALL_STORAGE and info.file_size > info.compress_size * MAX_INFLATE_RATIO:
            raise _not_readable(
                path,
                f"the storage of {name} is compressed {info.file_size // max(1, info.compress_size):,}× "
                "(a compressed bomb, or not weights)",
            )
        refs.append(
            TensorRef(
                name=str(name),
                shape=tensor.shape,
                dtype=tensor.storage.dtype,
                nbytes=int(np.prod(tensor.shape, dtype=np.int64)) * itemsize,
                loader=_loader(path, info, tensor, starts.get(info.filename)),
                source=path.name,
            )
        )
    return refs


def _check_view(path: Path, name: str, tensor: _LazyTensor, count: int) -> None:
    """Refuse a tensor whose elements are not all inside its storage of ``count`` elements."""
    n = 1
    for d in tensor.shape:
        n *= d
    if n == 0:
        return
    last = tensor.offset + sum((d - 1) * s for d, s in zip(tensor.shape, tensor.stride, strict=True))
    if last >= count:
        raise ConversionError(
            f"{path.name}: tensor {name} reaches element {last:,} of a storage of {count:,}.",
            "The checkpoint is damaged or crafted; download it again or use a .safetensors copy.",
        )
    if n > count:  # overlapping (stride-0) views would be copied out larger than the whole file
        raise ConversionError(
            f"{path.name}: tensor {name} has {n:,} elements but its storage only {count:,}.",
            "The checkpoint is damaged or crafted; download it again or use a .safetensors copy.",
        )


def _data_offset(path: Path, info: zipfile.ZipInfo, file_size: int) -> int:
    """Where a stored entry's bytes start, checked to lie inside the file.

    The local file header repeats name and extra-field lengths, which may differ from the central one.
    """
    try:
        with path.open("rb") as f:
            f.seek(info.header_offset)
            header = f.read(30)
    except (OSError, ValueError) as e:
        raise _not_readable(path, f"{info.filename} cannot be read ({e})") from None
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _not_readable(path, f"the zip header of {info.filename} is damaged")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = info.header_offset + 30 + name_len + extra_len
    if start + info.file_size > file_size:
        raise _not_readable(path, f"{info.filename} lies past the end of the file (truncated)")
    return start


def _loader(path: Path, info: zipfile.ZipInfo, tensor: _LazyTensor, start: int | None):  # type: ignore[no-untyped-def]
    def load() -> np.ndarray:
        np_type = np.dtype(NUMPY_DTYPES[tensor.storage.dtype]).newbyteorder("<")
        count = info.file_size // np_type.itemsize
        if start is not None and count:
            try:
                flat: np.ndarray = np.memmap(path, dtype=np_type, mode="r", offset=start, shape=(count,))
            except (OSError, ValueError) as e:  # the file changed since it was opened
                raise _not_readable(path, f"{info.filename} cannot be mapped ({e})") from None
        else:
            with _open_zip(path) as zf:
                flat = np.frombuffer(_read_entry(path, zf, info, info.file_size), dtype=np_type)
        if flat.size < count:
            raise _not_readable(path, f"{info.filename} is shorter than it claims")
        _check_view(path, "?", tensor, flat.size)  # checked at open; again, since the file is read now
        view = np.lib.stride_tricks.as_strided(
            flat[tensor.offset :],
            shape=tensor.shape,
            strides=tuple(s * np_type.itemsize for s in tensor.stride),
            writeable=False,
        )
        array = np.ascontiguousarray(view)
        return bf16_to_f32(array) if tensor.storage.dtype == "BF16" else array

    return load
