"""A minimal reader of SentencePiece's ``ModelProto`` (the .model file), with no protobuf dependency.

Only the fields the GGUF vocabulary needs are decoded; the rest is skipped by wire type. Field
numbers are those of sentencepiece_model.proto.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models.errors import ConversionError

# SentencePiece piece types; numerically identical to gguf.TokenType.
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6
MODEL_TYPES = {1: "unigram", 2: "bpe", 3: "word", 4: "char"}


@dataclass
class Piece:
    text: str
    score: float = 0.0
    type: int = NORMAL


@dataclass
class SpmModel:
    pieces: list[Piece] = field(default_factory=list)
    model_type: str = "unigram"
    byte_fallback: bool = False
    unk_id: int = 0
    bos_id: int = 1
    eos_id: int = 2
    pad_id: int = -1
    treat_whitespace_as_suffix: bool = False
    normalizer_name: str = ""
    add_dummy_prefix: bool = True
    remove_extra_whitespaces: bool = True
    escape_whitespaces: bool = True
    precompiled_charsmap: bytes = b""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if pos >= len(data):
            raise ValueError("truncated varint")
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> Iterator[tuple[int, int, Any]]:
    """Yield (field number, wire type, value) of one message; value is int or bytes."""
    pos = 0
    while pos < len(data):
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            value, pos = data[pos : pos + 8], pos + 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            value, pos = data[pos : pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if pos > len(data):
            raise ValueError("truncated field")
        yield number, wire, value


def _int32(v: int) -> int:
    v &= 0xFFFFFFFFFFFFFFFF
    return v - (1 << 64) if v >= 1 << 63 else v


def _utf8(v: bytes) -> str:
    return v.decode("utf-8")


def _float(v: bytes) -> float:
    return float(struct.unpack("<f", v)[0])


def _model_type(v: int) -> str:
    return MODEL_TYPES.get(int(v), str(v))


# Field number → (attribute, decoder) for each sub-message read; other fields are skipped.
_Fields = dict[int, tuple[str, Callable[[Any], Any]]]
_PIECE: _Fields = {1: ("text", _utf8), 2: ("score", _float), 3: ("type", int)}
_TRAINER_SPEC: _Fields = {
    3: ("model_type", _model_type),
    24: ("treat_whitespace_as_suffix", bool),
    35: ("byte_fallback", bool),
    40: ("unk_id", _int32),
    41: ("bos_id", _int32),
    42: ("eos_id", _int32),
    43: ("pad_id", _int32),
}
_NORMALIZER_SPEC: _Fields = {
    1: ("normalizer_name", _utf8),
    2: ("precompiled_charsmap", bytes),
    3: ("add_dummy_prefix", bool),
    4: ("remove_extra_whitespaces", bool),
    5: ("escape_whitespaces", bool),
}


def _read_into(target: Any, message: bytes, fields: _Fields) -> None:
    for number, _wire, value in _fields(message):
        if number in fields:
            name, decode = fields[number]
            setattr(target, name, decode(value))


def parse_spm_model(data: bytes) -> SpmModel:
    """Decode the fields of a SentencePiece .model that the GGUF vocabulary needs."""
    model = SpmModel()
    try:
        for number, _wire, value in _fields(data):
            if number == 1:  # repeated SentencePiece pieces
                piece = Piece("")
                _read_into(piece, value, _PIECE)
                model.pieces.append(piece)
            elif number == 2:
                _read_into(model, value, _TRAINER_SPEC)
            elif number == 3:
                _read_into(model, value, _NORMALIZER_SPEC)
    except (ValueError, UnicodeDecodeError, struct.error) as e:
        raise ConversionError(
            f"The SentencePiece model cannot be decoded ({e}).", "Download the tokenizer file again."
        ) from e
    if not model.pieces:
        raise ConversionError("The SentencePiece model has no pieces.", "Download the tokenizer file again.")
    return model
