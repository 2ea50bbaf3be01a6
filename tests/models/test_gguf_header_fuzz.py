"""Seeded fuzz over the bundled model's real header (issue 20): metadata values set to inf, NaN,
negative, huge or fractional numbers, value types swapped for floats of the same width, and random
bytes. Every case is a clear ModelFileError or a file that inspects, estimates and reports; one bad
file in the models folder never hides the good ones in the library.

The mutated header is followed by a sparse copy of the tensor data's size, so the parser reaches the
metadata checks (not the "truncated" one) without writing 100 MB per case.
"""

from __future__ import annotations

import json
import math
import random
import struct
from collections import Counter
from pathlib import Path

import pytest

from cli.gguf_report import info_dict, metadata_lines, overview_lines, tensor_lines
from models import library
from models.errors import ModelFileError
from models.gguf_info import inspect_gguf, read_header, validate_gguf
from models.gguf_parse import SCALAR_FORMATS
from models.memory import estimate_gguf
from models.paths import models_dir
from tests.models.tiny_gguf import write_tiny_gguf

CASES = 250
FLOATS = (math.inf, -math.inf, math.nan, 1e30, -1.0, 0.5, 3e9, 2.0**40, -0.0, 4096.0)
INTS = (0, 1, 2**31 - 1, 2**31, 2**32 - 1, 2**63 - 1, 2**64 - 1)


def _pack(vtype: int, value: float) -> bytes:
    fmt = SCALAR_FORMATS[vtype]
    if fmt in ("<f", "<d"):
        return struct.pack(fmt, value)
    size = struct.calcsize(fmt)
    return (int(value) % (1 << (8 * size))).to_bytes(size, "little")


def _mutate(rng: random.Random, header: bytes, scalars: list[tuple[int, int]]) -> tuple[str, bytes]:
    buf = bytearray(header)
    kind = rng.choice(("value", "value", "retype", "retype", "byte"))
    offset, vtype = rng.choice(scalars)  # offset of the value; its type word is the 4 bytes before
    if kind == "value":
        size = struct.calcsize(SCALAR_FORMATS[vtype])
        value = rng.choice(FLOATS) if SCALAR_FORMATS[vtype] in ("<f", "<d") else rng.choice(INTS)
        buf[offset : offset + size] = _pack(vtype, value)
    elif kind == "retype":
        size = struct.calcsize(SCALAR_FORMATS[vtype])
        if size not in (4, 8):
            return _mutate(rng, header, scalars)
        new = 6 if size == 4 else 12  # f32 or f64 of the same width: the file still parses
        buf[offset - 4 : offset] = struct.pack("<I", new)
        buf[offset : offset + size] = _pack(new, rng.choice(FLOATS))
    else:
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(len(buf))
            buf[pos] = rng.randrange(256)
    return kind, bytes(buf)


def _exercise(path: Path, library_too: bool) -> None:
    """What `tomoshibi info`/`inspect`, the memory fit and the library do with a file (each parse of
    the bundled header costs ~0.1 s, so validate and the library's summary run on some cases only)."""
    if library_too:
        validate_gguf(path)
    info = inspect_gguf(path)
    estimate_gguf(info, n_ctx=min(info.context_length or 512, 4096), n_gpu_layers=-1)
    overview_lines(info)
    metadata_lines(info)
    tensor_lines(info)
    json.dumps(info_dict(info, tensors=False))
    if library_too:
        library.summarize(path)


@pytest.mark.timeout(300)
def test_bundled_header_fuzz(bundled_model: Path, tmp_path: Path) -> None:
    header = read_header(bundled_model)
    with bundled_model.open("rb") as f:
        head = f.read(header.data_offset)
    total = bundled_model.stat().st_size
    scalars = [(f.offset, f.type) for f in header.fields.values() if f.type in SCALAR_FORMATS]
    assert len(scalars) > 10
    rng = random.Random(20_2612)
    outcomes: Counter[str] = Counter()
    target = tmp_path / "case.gguf"
    for case in range(CASES):
        kind, mutated = _mutate(rng, head, scalars)
        with target.open("wb") as f:
            f.write(mutated)
            f.truncate(total)  # sparse: the tensor data's size, none of its bytes
        try:
            _exercise(target, library_too=case % 8 == 0)
            outcomes["accepted"] += 1
        except ModelFileError as error:
            assert str(error).strip() and error.fix, f"case {case} ({kind}): message without a fix"
            outcomes["clear error"] += 1
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case} ({kind}) raised {type(error).__name__}: {error}")
    print(dict(outcomes))
    assert outcomes["clear error"] > CASES // 10 and outcomes["accepted"] > CASES // 10


def _with_float(path: Path, key: str, value: float) -> Path:
    """A tiny GGUF whose ``key`` (a u32) is re-typed as an f32 holding ``value``."""
    write_tiny_gguf(path)
    field = read_header(path).fields[key]
    data = bytearray(path.read_bytes())
    data[field.offset - 4 : field.offset] = struct.pack("<I", 6)
    data[field.offset : field.offset + 4] = struct.pack("<f", value)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, -3.0, 1e20, 2.5])
def test_non_finite_or_out_of_range_counts_are_clear_errors(tmp_path: Path, value: float) -> None:
    path = _with_float(tmp_path / "bad.gguf", "llama.context_length", value)
    with pytest.raises(ModelFileError, match="context_length"):
        inspect_gguf(path)


def test_one_bad_file_never_hides_the_good_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMOSHIBI_BUNDLED_MODEL", str(tmp_path / "absent.gguf"))
    root = models_dir()
    root.mkdir(parents=True, exist_ok=True)
    write_tiny_gguf(root / "a-good.gguf")
    _with_float(root / "b-nan.gguf", "llama.attention.head_count_kv", math.nan)
    _with_float(root / "c-inf.gguf", "llama.context_length", math.inf)
    write_tiny_gguf(root / "d-good.gguf")
    models = {m.name: m for m in library.list_models(include_builtin=False)}
    assert list(models) == ["a-good.gguf", "b-nan.gguf", "c-inf.gguf", "d-good.gguf"]
    assert models["a-good.gguf"].problem is None and models["d-good.gguf"].architecture == "llama"
    assert "head_count_kv" in (models["b-nan.gguf"].problem or "")
    assert "context_length" in (models["c-inf.gguf"].problem or "")
