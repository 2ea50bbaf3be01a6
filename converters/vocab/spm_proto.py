"""A minimal reader of SentencePiece's ``ModelProto`` (the .model file), with no protobuf dependency.

Only the fields the GGUF vocabulary needs are decoded; the rest is skipped by wire type. Field
numbers are those of sentencepiece_model.proto.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
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


def parse_spm_model(data: bytes) -> SpmModel:
    """Decode the fields of a SentencePiece .model that the GGUF vocabulary needs."""
    model = SpmModel()
    try:
        for number, _wire, value in _fields(data):
            if number == 1:  # repeated SentencePiece pieces
                piece = Piece("")
                for n, _w, v in _fields(value):
                    if n == 1:
                        piece.text = v.decode("utf-8")
                    elif n == 2:
                        (piece.score,) = struct.unpack("<f", v)
                    elif n == 3:
                        piece.type = int(v)
                model.pieces.append(piece)
            elif number == 2:  # TrainerSpec
                for n, _w, v in _fields(value):
                    if n == 3:
                        model.model_type = MODEL_TYPES.get(int(v), str(v))
                    elif n == 24:
                        model.treat_whitespace_as_suffix = bool(v)
                    elif n == 35:
                        model.byte_fallback = bool(v)
                    elif n == 40:
                        model.unk_id = _int32(v)
                    elif n == 41:
                        model.bos_id = _int32(v)
                    elif n == 42:
                        model.eos_id = _int32(v)
                    elif n == 43:
                        model.pad_id = _int32(v)
            elif number == 3:  # NormalizerSpec
                for n, _w, v in _fields(value):
                    if n == 1:
                        model.normalizer_name = v.decode("utf-8")
                    elif n == 2:
                        model.precompiled_charsmap = bytes(v)
                    elif n == 3:
                        model.add_dummy_prefix = bool(v)
                    elif n == 4:
                        model.remove_extra_whitespaces = bool(v)
                    elif n == 5:
                        model.escape_whitespaces = bool(v)
    except (ValueError, UnicodeDecodeError, struct.error) as e:
        raise ConversionError(
            f"The SentencePiece model cannot be decoded ({e}).", "Download the tokenizer file again."
        ) from e
    if not model.pieces:
        raise ConversionError("The SentencePiece model has no pieces.", "Download the tokenizer file again.")
    return model
