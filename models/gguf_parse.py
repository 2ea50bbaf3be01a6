"""A small, bounded GGUF header parser for files we do not trust yet.

Every length read from the file is checked against the bytes that remain before anything is read or
allocated, so a corrupt or hostile file costs at most one pass over its header and can only end in
``ModelFileError``. Large values (vocabularies, SentencePiece models) are not decoded here: a field
records where its bytes are, and ``decode_field`` reads them on demand.

Layout (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md), little-endian:
magic "GGUF", u32 version, u64 tensor count, u64 KV count, the KVs (string key, u32 type, value), the
tensor infos (string name, u32 n_dims, u64 dims[n_dims], u32 ggml type, u64 offset), padding to
``general.alignment``, then the tensor data; each tensor's offset is relative to the data start.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from .errors import ModelFileError
from .ggml_types import GGML_TYPES
from .units import format_bytes

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
GGML_MAX_DIMS = 4
GGML_MAX_NAME = 64  # llama.cpp rejects tensor names of 64 bytes or more
# Sanity bounds far above any real model (DeepSeek-V3 has ~1,100 tensors and ~60 KVs).
MAX_TENSORS = 1 << 20
MAX_KVS = 1 << 20
MAX_KEY_BYTES = 1 << 16
# llama.cpp's own limits (ggml/src/gguf.cpp GGUF_MAX_STRING_LENGTH, GGUF_MAX_ARRAY_ELEMENTS).
MAX_STRING_BYTES = 1 << 30
MAX_ARRAY_ITEMS = 1 << 30
INT64_MAX = (1 << 63) - 1

# GGUF value types → (struct format, size). 8 = string and 9 = array are handled apart.
STRING, ARRAY = 8, 9
SCALAR_FORMATS: dict[int, str] = {
    0: "<B",  # uint8
    1: "<b",  # int8
    2: "<H",  # uint16
    3: "<h",  # int16
    4: "<I",  # uint32
    5: "<i",  # int32
    6: "<f",  # float32
    7: "<?",  # bool
    10: "<Q",  # uint64
    11: "<q",  # int64
    12: "<d",  # float64
}
VALUE_TYPE_NAMES = {
    0: "u8", 1: "i8", 2: "u16", 3: "i16", 4: "u32", 5: "i32", 6: "f32", 7: "bool",
    8: "str", 9: "array", 10: "u64", 11: "i64", 12: "f64",
}  # fmt: skip
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_SCALARS = {t: struct.Struct(f) for t, f in SCALAR_FORMATS.items()}
# Strings up to this size are decoded while parsing; longer ones (SentencePiece models) on demand.
EAGER_STRING_BYTES = 64 * 1024

REDOWNLOAD = "Download the file again, or re-convert the model to GGUF."


@dataclass(frozen=True)
class Field:
    """One metadata key. ``value`` holds scalars and short strings; arrays and long strings are lazy."""

    key: str
    type: int
    offset: int  # first byte of the payload (after the string length / array header)
    end: int  # one past the last byte of the whole value
    count: int = 1  # array items, or string bytes
    item_type: int | None = None  # arrays only
    value: Any = None

    @property
    def type_name(self) -> str:
        if self.type == ARRAY and self.item_type is not None:
            return f"array[{VALUE_TYPE_NAMES.get(self.item_type, '?')}]"
        return VALUE_TYPE_NAMES.get(self.type, "?")


@dataclass(frozen=True)
class TensorEntry:
    name: str
    shape: tuple[int, ...]  # ggml order: shape[0] is the row length
    ggml_type: int
    offset: int  # relative to the data section
    n_elements: int
    n_bytes: int

    @property
    def type_name(self) -> str:
        return GGML_TYPES[self.ggml_type].name


@dataclass(frozen=True)
class GGUFHeader:
    version: int
    fields: dict[str, Field]
    tensors: tuple[TensorEntry, ...]
    alignment: int
    data_offset: int  # absolute offset of the tensor data section
    file_size: int


def _fail(name: str, problem: str, fix: str = REDOWNLOAD) -> ModelFileError:
    return ModelFileError(f"{name} is not a usable GGUF file: {problem}.", fix)


class _Cursor:
    """Reads little-endian values from a buffer, refusing to go past its end."""

    __slots__ = ("buf", "pos", "size", "name")

    def __init__(self, buf: Any, size: int, name: str) -> None:
        self.buf, self.pos, self.size, self.name = buf, 0, size, name

    def need(self, n: int, what: str) -> None:
        if n < 0 or n > self.size - self.pos:
            raise _fail(
                self.name,
                f"truncated or corrupt: {what} needs {format_bytes(n)} at offset {self.pos:,}, "
                f"but the file ends at {self.size:,} bytes",
            )

    def u32(self, what: str) -> int:
        self.need(4, what)
        (v,) = _U32.unpack_from(self.buf, self.pos)
        self.pos += 4
        return int(v)

    def u64(self, what: str) -> int:
        self.need(8, what)
        (v,) = _U64.unpack_from(self.buf, self.pos)
        self.pos += 8
        return int(v)

    def scalar(self, vtype: int, what: str) -> Any:
        s = _SCALARS[vtype]
        self.need(s.size, what)
        (v,) = s.unpack_from(self.buf, self.pos)
        self.pos += s.size
        return v

    def string_bytes(self, what: str, limit: int | None = None) -> bytes:
        n = self.u64(f"length of {what}")
        if limit is not None and n > limit:
            raise _fail(self.name, f"{what} claims to be {n:,} bytes long (corrupt length field)")
        self.need(n, what)
        data = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return data


def _decode_text(name: str, data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _fail(name, f"{what} is not valid UTF-8 ({error.reason} at byte {error.start})") from None


def _read_field(cur: _Cursor, index: int) -> Field:
    key = _decode_text(cur.name, cur.string_bytes(f"key #{index}", MAX_KEY_BYTES), f"key #{index}")
    if not key:
        raise _fail(cur.name, f"metadata key #{index} is empty")
    vtype = cur.u32(f"type of '{key}'")
    start = cur.pos
    if vtype in _SCALARS:
        value = cur.scalar(vtype, f"value of '{key}'")
        return Field(key, vtype, start, cur.pos, value=value)
    if vtype == STRING:
        n = cur.u64(f"length of '{key}'")
        if n > MAX_STRING_BYTES:
            raise _fail(
                cur.name, f"the text of '{key}' claims {n:,} bytes, more than llama.cpp reads (1 GiB)"
            )
        cur.need(n, f"string value of '{key}'")
        payload = cur.pos
        cur.pos += n
        value = None
        if n <= EAGER_STRING_BYTES:
            raw = bytes(cur.buf[payload : payload + n])
            value = raw.decode("utf-8", errors="replace")
        return Field(key, vtype, payload, cur.pos, count=n, value=value)
    if vtype == ARRAY:
        item_type = cur.u32(f"item type of '{key}'")
        count = cur.u64(f"item count of '{key}'")
        if count > MAX_ARRAY_ITEMS:
            raise _fail(cur.name, f"array '{key}' claims {count:,} items, more than llama.cpp reads (2^30)")
        payload = cur.pos
        if item_type in _SCALARS:
            cur.need(count * _SCALARS[item_type].size, f"array '{key}' ({count:,} items)")
            cur.pos += count * _SCALARS[item_type].size
        elif item_type == STRING:
            # Each string has at least its 8-byte length: bounds the loop before it starts.
            cur.need(count * 8, f"array '{key}' ({count:,} strings)")
            buf, pos, size, unpack = cur.buf, cur.pos, cur.size, _U64.unpack_from
            for i in range(count):
                if size - pos < 8:
                    cur.pos = pos
                    cur.need(8, f"string {i} of '{key}'")
                (n,) = unpack(buf, pos)
                pos += 8
                if n > size - pos:
                    cur.pos = pos
                    cur.need(n, f"string {i} of '{key}'")
                pos += n
            cur.pos = pos
        elif item_type == ARRAY:
            raise _fail(cur.name, f"'{key}' is an array of arrays, which llama.cpp does not support")
        else:
            raise _fail(cur.name, f"array '{key}' has an unknown item type {item_type}")
        return Field(key, vtype, payload, cur.pos, count=count, item_type=item_type)
    raise _fail(cur.name, f"'{key}' has an unknown value type {vtype}")


def _read_tensor(cur: _Cursor, index: int) -> tuple[str, tuple[int, ...], int, int]:
    raw = cur.string_bytes(f"name of tensor #{index}", MAX_KEY_BYTES)
    name = _decode_text(cur.name, raw, f"name of tensor #{index}")
    if len(raw) >= GGML_MAX_NAME:
        raise _fail(cur.name, f"tensor #{index} has a name of {len(raw)} bytes (llama.cpp allows 63)")
    n_dims = cur.u32(f"dimension count of '{name}'")
    if n_dims > GGML_MAX_DIMS:
        raise _fail(cur.name, f"tensor '{name}' has {n_dims} dimensions (at most {GGML_MAX_DIMS})")
    shape = tuple(cur.u64(f"dimension {d} of '{name}'") for d in range(n_dims))
    ggml_type = cur.u32(f"type of '{name}'")
    offset = cur.u64(f"data offset of '{name}'")
    return name, shape, ggml_type, offset


def _check_tensor(name: str, fname: str, shape: tuple[int, ...], ggml_type: int) -> tuple[int, int]:
    """Element count and byte size of a tensor, or ModelFileError if its shape or type is impossible."""
    gtype = GGML_TYPES.get(ggml_type)
    if gtype is None:
        raise _fail(
            fname,
            f"tensor '{name}' has an unknown ggml type {ggml_type}",
            "The file may come from a newer or forked llama.cpp: update Tomoshibi, or re-convert it.",
        )
    n_elements = 1
    for dim in shape:
        if dim > INT64_MAX:
            raise _fail(fname, f"tensor '{name}' has a negative dimension")
        n_elements *= dim
        if n_elements > INT64_MAX:
            raise _fail(fname, f"tensor '{name}' has a shape {list(shape)} whose size overflows")
    row = shape[0] if shape else 1
    if row % gtype.block_size:
        raise _fail(
            fname,
            f"tensor '{name}' has rows of {row} elements, not a multiple of the {gtype.name} block "
            f"size {gtype.block_size}",
        )
    return n_elements, n_elements // gtype.block_size * gtype.type_size


def parse_header(buf: Any, size: int, name: str) -> GGUFHeader:
    """Parse and check a whole GGUF header from ``buf`` (bytes or mmap of ``size`` bytes)."""
    cur = _Cursor(buf, size, name)
    cur.need(4, "the GGUF magic")
    if bytes(buf[0:4]) != GGUF_MAGIC:
        raise _not_gguf(bytes(buf[0:64]), name)
    cur.pos = 4
    version = cur.u32("the version")
    if version not in SUPPORTED_VERSIONS:
        if version & 0xFFFF == 0 and version:
            raise _fail(
                name,
                "it is a big-endian GGUF file",
                "llama.cpp loads little-endian files only: download or convert the little-endian version.",
            )
        if version == 1:
            raise _fail(name, "it uses GGUF version 1, which llama.cpp no longer reads",
                        "Re-convert the model with a current converter, or download a newer GGUF.")  # fmt: skip
        raise _fail(
            name,
            f"unsupported GGUF version {version} (supported: 2 and 3)",
            "If the file is new, update Tomoshibi; otherwise download it again.",
        )
    n_tensors = cur.u64("the tensor count")
    n_kv = cur.u64("the metadata count")
    # A KV takes at least 8+1+4+1 bytes and a tensor info 8+4+4+8: bounds the loops up front.
    if n_tensors > MAX_TENSORS or n_tensors * 24 > size:
        raise _fail(name, f"it claims {n_tensors:,} tensors, impossible for a {size:,}-byte file")
    if n_kv > MAX_KVS or n_kv * 14 > size:
        raise _fail(name, f"it claims {n_kv:,} metadata keys, impossible for a {size:,}-byte file")

    fields: dict[str, Field] = {}
    for i in range(n_kv):
        field = _read_field(cur, i)
        if field.key in fields:
            raise _fail(name, f"metadata key '{field.key}' appears twice")
        fields[field.key] = field

    alignment = DEFAULT_ALIGNMENT
    if "general.alignment" in fields:
        af = fields["general.alignment"]
        if af.type != 4 or af.value == 0 or af.value & (af.value - 1):
            raise _fail(name, f"general.alignment is {af.value!r}; it must be a power of two (u32)")
        alignment = int(af.value)

    raw_tensors = [_read_tensor(cur, i) for i in range(n_tensors)]
    data_offset = -(-cur.pos // alignment) * alignment
    tensors: list[TensorEntry] = []
    seen: set[str] = set()
    for tname, shape, ggml_type, offset in raw_tensors:
        if tname in seen:
            raise _fail(name, f"tensor '{tname}' appears twice")
        seen.add(tname)
        n_elements, n_bytes = _check_tensor(tname, name, shape, ggml_type)
        if offset % alignment:
            raise _fail(name, f"tensor '{tname}' starts at offset {offset:,}, not a multiple of {alignment}")
        end = data_offset + offset + n_bytes
        if end > size:
            raise _fail(
                name,
                f"truncated: tensor '{tname}' needs bytes up to {format_bytes(end)} "
                f"but the file ends at {format_bytes(size)}",
                "The download or conversion was interrupted: download the file again, or re-convert.",
            )
        tensors.append(TensorEntry(tname, shape, ggml_type, offset, n_elements, n_bytes))
    previous: TensorEntry | None = None
    for t in sorted(tensors, key=lambda t: (t.offset, t.n_bytes)):
        if previous is not None and t.offset < previous.offset + previous.n_bytes:
            raise _fail(name, f"tensors '{previous.name}' and '{t.name}' overlap in the file")
        previous = t
    # llama.cpp also wants the data packed in tensor order, each padded to the alignment.
    expected = 0
    for t in tensors:
        if t.offset != expected:
            raise _fail(name, f"tensor '{t.name}' starts at offset {t.offset:,} but llama.cpp expects "
                        f"{expected:,} (tensors must be stored in order, without gaps)",
                        "Re-convert the model with the gguf package or llama.cpp's converter.")  # fmt: skip
        expected += -(-t.n_bytes // alignment) * alignment
    return GGUFHeader(version, fields, tuple(tensors), alignment, data_offset, size)


def _not_gguf(head: bytes, name: str) -> ModelFileError:
    """Say what the file looks like instead, when we can tell."""
    if head[:4] in (b"ggml", b"ggmf", b"ggjt", b"lmgg", b"fmgg", b"tjgg", b"ggla", b"algg"):
        return _fail(name, "it is an old GGML/GGJT model, which llama.cpp no longer reads",
                     "Download the GGUF version of this model, or convert the original checkpoint.")  # fmt: skip
    if len(head) >= 9 and head[8:9] == b"{":
        return _fail(name, "it looks like a safetensors checkpoint, not GGUF",
                     "Convert the model folder first: tomoshibi convert <folder>.")  # fmt: skip
    if head[:2] == b"PK":
        return _fail(name, "it looks like a zip archive (a PyTorch .bin or a compressed download)",
                     "Unpack it or convert the checkpoint: tomoshibi convert <folder>.")  # fmt: skip
    if head.startswith(b"version https://git-lfs"):
        return _fail(name, "it is a Git LFS pointer, not the model itself",
                     "Download the real file (git lfs pull, or from the model page).")  # fmt: skip
    shown = head[:8].decode("ascii", errors="replace")
    return _fail(name, f"it does not start with 'GGUF' (starts with {shown!r})",
                 "Choose a .gguf model file, or download the model again.")  # fmt: skip


def decode_field(buf: Any, field: Field) -> Any:
    """The full value of a field: str, list of str/numbers, or a scalar. Bounds were checked by the parser."""
    if field.type in _SCALARS:
        return field.value
    if field.type == STRING:
        if field.value is not None:
            return field.value
        return bytes(buf[field.offset : field.offset + field.count]).decode("utf-8", errors="replace")
    if field.item_type == STRING:
        out: list[str] = []
        pos = field.offset
        for _ in range(field.count):
            (n,) = _U64.unpack_from(buf, pos)
            pos += 8
            out.append(bytes(buf[pos : pos + n]).decode("utf-8", errors="replace"))
            pos += n
        return out
    assert field.item_type is not None
    fmt = SCALAR_FORMATS[field.item_type]
    return list(struct.unpack_from(f"<{field.count}{fmt[1]}", buf, field.offset))
