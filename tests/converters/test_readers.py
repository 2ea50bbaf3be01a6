"""Checkpoint readers: safetensors by hand, torch .bin without torch, and pickles that try to run code."""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from converters.readers import open_checkpoint, read_safetensors, read_torch_bin
from models.errors import ConversionError


def _write_safetensors(path: Path, tensors: dict[str, tuple[str, np.ndarray]]) -> None:
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name, (dtype, array) in tensors.items():
        raw = array.tobytes()
        header[name] = {
            "dtype": dtype,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(head)) + head + b"".join(blobs))


def test_safetensors_reads_f32_f16_and_bf16_lazily(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 5)).astype(np.float32)
    b = rng.standard_normal((4,)).astype(np.float16)
    c = rng.standard_normal((2, 3)).astype(np.float32)
    c_bf16 = (c.view(np.uint32) >> 16).astype(np.uint16)  # truncation: exactly representable below
    path = tmp_path / "model.safetensors"
    _write_safetensors(path, {"a": ("F32", a), "b": ("F16", b), "c": ("BF16", c_bf16)})
    refs = {r.name: r for r in read_safetensors(path)}
    assert refs["a"].shape == (3, 5) and refs["c"].dtype == "BF16"
    np.testing.assert_array_equal(refs["a"].load(), a)
    np.testing.assert_array_equal(refs["b"].load(), b)
    expected_c = (c_bf16.astype(np.uint32) << 16).view(np.float32)
    np.testing.assert_array_equal(refs["c"].load(), expected_c)
    assert refs["c"].load().dtype == np.float32


def test_truncated_safetensors_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    _write_safetensors(path, {"a": ("F32", np.ones((64,), np.float32))})
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ConversionError, match="truncated"):
        read_safetensors(path)


def test_torch_bin_reads_the_same_weights_as_safetensors(tiny_checkpoint) -> None:
    safe = open_checkpoint(tiny_checkpoint("gpt_neox", "spm-unigram", "safetensors"))
    binary = open_checkpoint(tiny_checkpoint("gpt_neox", "spm-unigram", "bin"))
    assert [p.suffix for p in binary.weight_files] == [".bin"]
    # The .bin keeps causal-mask buffers that safetensors may drop; every weight must agree.
    for name, ref in safe.tensors.items():
        np.testing.assert_array_equal(binary.tensors[name].load(), ref.load(), err_msg=name)


def test_sharded_checkpoints_read_every_shard(tiny_checkpoint) -> None:
    for weights in ("sharded", "sharded-bin"):
        folder = tiny_checkpoint("llama", "spm-bpe", weights)
        ckpt = open_checkpoint(folder)
        assert len(ckpt.weight_files) > 1
        index = next(folder.glob("*.index.json"))
        assert set(json.loads(index.read_text())["weight_map"]) == set(ckpt.tensors)
        assert {r.dtype for r in ckpt} == {"BF16"}


def test_missing_shard_names_the_file(tiny_checkpoint, tmp_path: Path) -> None:
    src = tiny_checkpoint("llama", "spm-bpe", "sharded")
    copy = tmp_path / "copy"
    copy.mkdir()
    shards = sorted(src.glob("*.safetensors"))
    for f in src.iterdir():
        if f != shards[-1]:
            (copy / f.name).write_bytes(f.read_bytes())
    with pytest.raises(ConversionError, match=shards[-1].name):
        open_checkpoint(copy)


# --- pickles that try to execute code -----------------------------------------------------------------


class _System:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


class _Open:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


class _Eval:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (eval, (f"open({str(self.marker)!r}, 'w')",))


def _torch_like_zip(path: Path, payload: object) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("archive/data.pkl", pickle.dumps(payload, protocol=2))
        zf.writestr("archive/version", "3\n")


@pytest.mark.parametrize(
    ("evil", "global_name"),
    # Protocol 2 spells builtins "__builtin__"; the message names the refused global either way.
    [(_System, "system"), (_Open, ".open"), (_Eval, ".eval")],
)
def test_malicious_pickle_is_refused_and_nothing_runs(tmp_path: Path, evil: type, global_name: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "pytorch_model.bin"
    # Hidden inside an otherwise ordinary-looking state dict.
    _torch_like_zip(path, {"gpt_neox.embed_in.weight": evil(marker)})
    with pytest.raises(ConversionError) as info:
        read_torch_bin(path)
    assert global_name in str(info.value)
    assert "nothing was executed" in str(info.value)
    assert not marker.exists()
    # Sanity check that the payload is real: the ordinary unpickler does run it.
    pickle.loads(pickle.dumps(evil(marker), protocol=2))
    assert marker.exists()


def test_malicious_pickle_in_a_checkpoint_folder_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "config.json").write_text(json.dumps({"architectures": ["GPTNeoXForCausalLM"]}))
    _torch_like_zip(tmp_path / "pytorch_model.bin", _System(marker))
    with pytest.raises(ConversionError, match="refused"):
        open_checkpoint(tmp_path)
    assert not marker.exists()


def test_legacy_torch_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "pytorch_model.bin"
    path.write_bytes(pickle.dumps({"a": 1}))
    with pytest.raises(ConversionError, match="legacy"):
        read_torch_bin(path)


# Hub repo ids as sources: tests/models/test_hub_checkpoint.py (one download path, models.hub_checkpoint).


@pytest.mark.parametrize(
    "payload",
    [
        # GLOBAL torch.FloatStorage; state {"dtype": "BF16"}; BUILD.
        b"\x80\x02ctorch\nFloatStorage\n}X\x05\x00\x00\x00dtypeX\x04\x00\x00\x00BF16sb.",
        # GLOBAL the rebuild function; slot state (None, {"__defaults__": (1,)}); BUILD.
        b"\x80\x02ctorch._utils\n_rebuild_tensor_v2\nN}X\x0c\x00\x00\x00__defaults__K\x01\x85s\x86b.",
    ],
)
def test_a_pickle_cannot_tamper_with_the_allowed_stand_ins(tmp_path: Path, payload: bytes) -> None:
    """BUILD can set attributes on an object the pickle names; it must only reach a private copy."""
    import pickletools

    from converters.readers import torch_bin

    pickletools.dis(payload, out=io.StringIO())  # a well-formed pickle
    path = tmp_path / "pytorch_model.bin"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("archive/data.pkl", payload)
    with pytest.raises(ConversionError):
        read_torch_bin(path)
    assert torch_bin._ALLOWED[("torch", "FloatStorage")] == torch_bin._StorageType("F32")
    assert torch_bin._rebuild_tensor_v2.__defaults__ is None
