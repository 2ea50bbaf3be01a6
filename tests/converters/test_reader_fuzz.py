"""Seeded fuzz of the checkpoint readers (issue 20): torch .bin pickles with shape/stride/offset
mutations and damaged zips, and safetensors headers. Every case either reads only bytes of its own
storage or ends in ConversionError; never another exception, never a view outside the storage.

The storages hold 1, 2, 3, ... so any value read from outside them (zeros, other memory) shows.
"""

from __future__ import annotations

import json
import random
import struct
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from converters.readers import read_safetensors, read_torch_bin
from models.errors import ConversionError

# --- a torch-format pickle written opcode by opcode (no torch, any values, negative ones included) ---


def _int(v: object) -> bytes:
    if isinstance(v, bool):
        return b"\x88" if v else b"\x89"
    if isinstance(v, float):
        return b"G" + struct.pack(">d", v)
    if isinstance(v, str):
        raw = v.encode()
        return b"X" + struct.pack("<I", len(raw)) + raw
    return b"I" + str(v).encode() + b"\n"


def _tuple(items: object) -> bytes:
    if not isinstance(items, list):  # a mutation put a scalar where a tuple belongs
        return _int(items)
    return b"(" + b"".join(_int(i) for i in items) + b"t"


def _pickle(tensors: list[dict[str, object]]) -> bytes:
    out = [b"\x80\x02}"]
    for t in tensors:
        name = str(t["name"]).encode()
        out.append(b"X" + struct.pack("<I", len(name)) + name)
        out.append(b"ctorch._utils\n_rebuild_tensor_v2\n(")
        key = str(t["key"]).encode()
        out.append(b"(X\x07\x00\x00\x00storagectorch\nFloatStorage\n")
        out.append(
            b"X" + struct.pack("<I", len(key)) + key + b"X\x03\x00\x00\x00cpu" + _int(t["numel"]) + b"tQ"
        )
        out.append(_int(t["offset"]) + _tuple(t["size"]) + _tuple(t["stride"]))
        out.append(b"\x89}tRs")
    out.append(b".")
    return b"".join(out)


def _write_bin(path: Path, tensors: list[dict[str, object]], storages: dict[str, bytes],
               compress: int = zipfile.ZIP_STORED, pkl: bytes | None = None) -> None:  # fmt: skip
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        zf.writestr("archive/data.pkl", pkl if pkl is not None else _pickle(tensors))
        for key, raw in storages.items():
            zf.writestr(f"archive/data/{key}", raw)


STORAGE = np.arange(1, 65, dtype=np.float32)  # 64 elements, none of them 0


def _base() -> list[dict[str, object]]:
    return [
        {"name": "w", "key": "0", "numel": 64, "offset": 0, "size": [8, 8], "stride": [8, 1]},
        {"name": "b", "key": "0", "numel": 64, "offset": 56, "size": [8], "stride": [1]},
        {"name": "t", "key": "0", "numel": 64, "offset": 3, "size": [4, 5], "stride": [1, 12]},
    ]


WEIRD = (
    -1,
    -2,
    -8,
    -64,
    -(2**31),
    -(2**63),
    0,
    1,
    7,
    63,
    64,
    65,
    2**31,
    2**32 + 1,
    2**62,
    2**63,
    10**30,
    1.5,
)


def _mutate_tensor(rng: random.Random, t: dict[str, object]) -> str:
    what = rng.choice(("offset", "size", "stride", "dims", "type", "numel", "key"))
    size, stride = t["size"], t["stride"]
    if not isinstance(size, list) or not isinstance(stride, list) or not size or not stride:
        return "none"
    size, stride = list(size), list(stride)
    if what == "offset":
        t["offset"] = rng.choice(WEIRD) if rng.random() < 0.6 else rng.randint(-100, 100)
    elif what == "size":
        size[rng.randrange(len(size))] = rng.choice(WEIRD) if rng.random() < 0.6 else rng.randint(-9, 20)
        t["size"] = size
    elif what == "stride":
        stride[rng.randrange(len(stride))] = rng.choice(WEIRD) if rng.random() < 0.6 else rng.randint(-20, 20)
        t["stride"] = stride
    elif what == "dims":
        t["size"] = size + [rng.randint(0, 3)] if rng.random() < 0.5 else size[:-1]
    elif what == "type":
        t[rng.choice(("offset", "size", "stride"))] = rng.choice(("x", 1.0, [1.5], ["a"], [True], -0.0))
    elif what == "numel":
        t["numel"] = rng.choice(WEIRD)
    else:
        t["key"] = rng.choice(("1", "../0", "0/../../x", "", "0" * 100))
    return what


def _check_accepted(path: Path, outcomes: Counter[str], case: int, values_intact: bool = True) -> None:
    allowed = set(STORAGE.tolist())
    for ref in read_torch_bin(path):
        try:
            array = ref.load()
        except ConversionError:
            outcomes["clear error at load"] += 1
            continue
        values = set(np.asarray(array, dtype=np.float64).ravel().tolist())
        assert values_intact or array.size <= STORAGE.size
        assert not values_intact or values <= allowed, (
            f"case {case}: {ref.name} read values from outside its storage"
        )
    outcomes["accepted"] += 1


@pytest.mark.timeout(120)
def test_torch_bin_shape_stride_offset_fuzz(tmp_path: Path) -> None:
    rng = random.Random(2026_12_01)
    outcomes: Counter[str] = Counter()
    path = tmp_path / "pytorch_model.bin"
    for case in range(600):
        tensors = _base()
        for _ in range(rng.randint(1, 3)):
            _mutate_tensor(rng, rng.choice(tensors))
        _write_bin(path, tensors, {"0": STORAGE.tobytes()})
        try:
            _check_accepted(path, outcomes, case)
        except ConversionError as error:
            assert str(error).strip() and error.fix, f"case {case}: message without a fix"
            outcomes["clear error"] += 1
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case} raised {type(error).__name__}: {error}")
    print(dict(outcomes))
    assert outcomes["clear error"] > 200 and outcomes["accepted"] > 20


@pytest.mark.parametrize(
    ("offset", "size", "stride"),
    [
        (-8, [8], [1]),
        (0, [8], [-1]),
        (63, [8], [-1]),
        (0, [-1, 8], [8, 1]),
        (60, [8], [1]),
        (0, [2, 2], [0, 0]),
    ],
)
def test_views_outside_or_over_the_storage_are_refused(tmp_path: Path, offset, size, stride) -> None:
    path = tmp_path / "pytorch_model.bin"
    t = {"name": "w", "key": "0", "numel": 64, "offset": offset, "size": size, "stride": stride}
    _write_bin(path, [t], {"0": STORAGE[:2].tobytes() if stride == [0, 0] else STORAGE.tobytes()})
    if stride == [0, 0]:  # 2 elements seen through a 2x2 view of stride 0: inside, but overlapping
        with pytest.raises(ConversionError):
            read_torch_bin(path)
        return
    with pytest.raises(ConversionError, match="negative|storage"):
        read_torch_bin(path)


@pytest.mark.timeout(120)
def test_damaged_zips_are_clear_errors(tmp_path: Path) -> None:
    good = tmp_path / "good.bin"
    _write_bin(good, _base(), {"0": STORAGE.tobytes()})
    data = good.read_bytes()
    local = [i for i in range(len(data)) if data.startswith(b"PK\x03\x04", i)]
    rng = random.Random(7)
    outcomes: Counter[str] = Counter()
    path = tmp_path / "pytorch_model.bin"
    cases = [data[:n] for n in range(0, len(data), 7)]  # every 7th truncation
    for _ in range(300):
        buf = bytearray(data)
        pos = rng.choice(local) + rng.randrange(30) if rng.random() < 0.6 else rng.randrange(len(buf))
        buf[pos] = rng.randrange(256)
        cases.append(bytes(buf))
    for case, blob in enumerate(cases):
        path.write_bytes(blob)
        try:
            # A flipped byte inside the storage is read as it is (zip has no check on stored data).
            _check_accepted(path, outcomes, case, values_intact=False)
        except ConversionError:
            outcomes["clear error"] += 1
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"zip case {case} raised {type(error).__name__}: {error}")
    print(dict(outcomes))
    assert outcomes["clear error"] > len(cases) // 4


def test_compressed_bombs_are_refused_before_inflating(tmp_path: Path, monkeypatch) -> None:
    import tracemalloc

    from converters.readers import torch_bin

    monkeypatch.setattr(torch_bin, "MAX_PICKLE_BYTES", 4 << 20)  # the real limit is 256 MB; same path
    pkl_bomb, storage_bomb = tmp_path / "a.bin", tmp_path / "b.bin"
    # A data.pkl of 16 MB of padding, deflated to a few KB.
    pkl = _pickle(_base())[:-1] + b"N" * (16 << 20) + b"0."
    _write_bin(pkl_bomb, _base(), {"0": STORAGE.tobytes()}, compress=zipfile.ZIP_DEFLATED, pkl=pkl)
    # A storage of 64 MB of zeros deflated ~1000×.
    big = {"name": "w", "key": "0", "numel": 16 << 20, "offset": 0, "size": [16 << 20], "stride": [1]}
    _write_bin(storage_bomb, [big], {"0": bytes(64 << 20)}, compress=zipfile.ZIP_DEFLATED)
    del pkl
    tracemalloc.start()
    with pytest.raises(ConversionError, match="claims"):
        read_torch_bin(pkl_bomb)
    with pytest.raises(ConversionError, match="compressed"):
        read_torch_bin(storage_bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 << 20, f"peak {peak:,} bytes"


# --- safetensors headers ---------------------------------------------------------------------------


def _safetensors(header: object, data: bytes, header_len: int | None = None) -> bytes:
    raw = json.dumps(header).encode() if not isinstance(header, bytes) else header
    return struct.pack("<Q", len(raw) if header_len is None else header_len) + raw + data


def _base_header() -> dict[str, object]:
    return {
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [4, 4], "data_offsets": [0, 64]},
        "b": {"dtype": "F32", "shape": [8], "data_offsets": [64, 96]},
        "c": {"dtype": "F16", "shape": [2, 8], "data_offsets": [96, 128]},
    }


@pytest.mark.timeout(120)
def test_safetensors_header_fuzz(tmp_path: Path) -> None:
    data = np.arange(1, 33, dtype=np.float32).tobytes()
    rng = random.Random(20)
    outcomes: Counter[str] = Counter()
    path = tmp_path / "model.safetensors"
    for case in range(600):
        header = _base_header()
        header_len = None
        blob_data = data
        for _ in range(rng.choice((0, 1, 1, 2, 3))):  # some untouched: the reader still accepts those
            t = header[rng.choice("abc")]
            if not isinstance(t, dict) or "data_offsets" not in t:
                continue  # replaced by an earlier mutation
            what = rng.choice(("offsets", "shape", "dtype", "len", "cut", "type", "json"))
            if what == "offsets":
                t["data_offsets"][rng.randrange(2)] = (
                    rng.choice(WEIRD) if rng.random() < 0.5 else rng.randint(-64, 200)
                )
            elif what == "shape":
                t["shape"] = [rng.choice((*WEIRD, 0, 2, 4, 8, 16)) for _ in range(rng.randint(0, 3))]
            elif what == "dtype":
                t["dtype"] = rng.choice(("F64", "BF16", "I8", "BOOL", "F8_E4M3", "", 3, None))
            elif what == "len":
                header_len = rng.choice((0, 1, 7, 2**63, 2**64 - 1, 10**8, rng.randrange(400)))
            elif what == "cut":
                blob_data = data[: rng.randrange(len(data))]
            elif what == "type":
                header[rng.choice("abc")] = rng.choice((None, 1, "x", [1, 2], {"dtype": "F32"}))
            else:
                header = rng.choice(
                    ([1, 2], "x", 5, None, b"{" * 100000, b"\xff\xfe", b"[" * 50000 + b"]" * 50000)
                )
                break
        path.write_bytes(_safetensors(header, blob_data, header_len))
        try:
            for ref in read_safetensors(path):
                array = ref.load()
                assert array.size * array.itemsize <= ref.nbytes * 2 or ref.dtype == "BF16"
            outcomes["accepted"] += 1
        except ConversionError as error:
            assert str(error).strip() and error.fix
            outcomes["clear error"] += 1
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"safetensors case {case} raised {type(error).__name__}: {error}")
    print(dict(outcomes))
    assert outcomes["clear error"] > 200 and outcomes["accepted"] > 10
