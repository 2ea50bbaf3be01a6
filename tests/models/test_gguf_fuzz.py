"""Seeded fuzz: mutated and truncated copies of a tiny GGUF either validate or raise ModelFileError.

Never another exception, never a hang, never a huge allocation. Each case is reproducible from its
number (the message names it).
"""

from __future__ import annotations

import random
import struct
from collections import Counter
from pathlib import Path

import pytest

from models.errors import ModelFileError
from models.gguf_info import inspect_gguf, read_header, validate_gguf
from models.memory import estimate_gguf
from tests.models.tiny_gguf import write_tiny_gguf

CASES = 1500
HUGE = (2**63, 2**64 - 1, 2**63 - 1, 2**32, 2**32 - 1, 2**40, 10**12)


def _mutate(rng: random.Random, data: bytes, header_end: int, fields: list[int]) -> tuple[str, bytes]:
    """One corruption of ``data``; ``fields`` are offsets of length/type words in the header."""
    buf = bytearray(data)
    kind = rng.choice(("flip", "byte", "huge", "type", "truncate", "cut", "small"))
    if kind == "flip":
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(header_end)
            buf[i] ^= 1 << rng.randrange(8)
    elif kind == "byte":
        buf[rng.randrange(header_end)] = rng.randrange(256)
    elif kind == "huge":
        # A length, count or dimension word set to something enormous.
        pos = rng.choice(fields) if fields and rng.random() < 0.7 else rng.randrange(4, header_end - 8)
        buf[pos : pos + 8] = struct.pack("<Q", rng.choice(HUGE))
    elif kind == "small":
        pos = rng.choice(fields) if fields else rng.randrange(4, header_end - 8)
        buf[pos : pos + 8] = struct.pack("<Q", rng.randrange(0, 300))
    elif kind == "type":
        pos = rng.randrange(4, header_end - 4)
        buf[pos : pos + 4] = struct.pack("<I", rng.randrange(0, 64))
    elif kind == "truncate":
        # Mostly inside the header, sometimes in the tensor data.
        end = rng.randrange(header_end) if rng.random() < 0.7 else rng.randrange(len(buf))
        del buf[end:]
    else:  # remove a slice of the header
        start = rng.randrange(header_end)
        del buf[start : start + rng.randint(1, 64)]
    return kind, bytes(buf)


def _length_words(path: Path) -> tuple[int, list[int]]:
    """End of the header and the offsets of string lengths / array counts / value types in it."""
    header = read_header(path)
    words = [8, 16]  # tensor count, KV count
    for f in header.fields.values():
        if f.type in (8, 9):
            words.append(f.offset - 8)  # the string length or array count
        words.append(f.offset - (16 if f.type == 9 else 12 if f.type == 8 else 4))  # the type word
    return header.data_offset, words


@pytest.mark.timeout(120)
def test_fuzz_never_crashes(tmp_path: Path) -> None:
    original = write_tiny_gguf(tmp_path / "tiny.gguf")
    data = original.read_bytes()
    header_end, words = _length_words(original)
    rng = random.Random(20261121)
    outcomes: Counter[str] = Counter()
    target = tmp_path / "case.gguf"
    for case in range(CASES):
        kind, mutated = _mutate(rng, data, header_end, words)
        target.write_bytes(mutated)
        try:
            validate_gguf(target)
            info = inspect_gguf(target)
            estimate_gguf(info, n_ctx=256, n_gpu_layers=-1)
            outcomes["valid"] += 1
        except ModelFileError as error:
            assert str(error).strip() and error.fix, f"case {case} ({kind}): message without a fix"
            outcomes["rejected"] += 1
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case} ({kind}) raised {type(error).__name__}: {error}")
    assert sum(outcomes.values()) == CASES
    # Both outcomes happen: the fuzz reaches past the first check, and corruption is caught.
    assert outcomes["rejected"] > CASES // 3
    assert outcomes["valid"] > 10


def test_every_truncation_of_the_header_is_rejected(tmp_path: Path) -> None:
    original = write_tiny_gguf(tmp_path / "tiny.gguf")
    data = original.read_bytes()
    header_end, _ = _length_words(original)
    target = tmp_path / "cut.gguf"
    # Every third cut inside the header (each field boundary is hit by some), then through the data.
    for end in [*range(0, header_end, 3), *range(header_end, len(data), 211)]:
        target.write_bytes(data[:end])
        with pytest.raises(ModelFileError):
            validate_gguf(target)
    target.write_bytes(data)
    validate_gguf(target)
    assert header_end < len(data)
