"""GGUF inspection and validation: tiny generated files, hand-built corruptions and the bundled model."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from models import gguf_keys
from models.errors import ModelFileError
from models.ggml_types import FILE_TYPES, GGML_TYPES
from models.gguf_info import (
    inspect_gguf,
    read_header,
    read_metadata_value,
    read_metadata_values,
    validate_gguf,
)
from tests.models.tiny_gguf import (
    CHAT_TEMPLATE,
    TINY_PARAMS,
    gguf_string,
    kv_string,
    kv_u32,
    minimal_gguf,
    raw_gguf,
    tensor_info,
    write_tiny_gguf,
)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_gguf(tmp_path / "tiny.gguf")


def _write(tmp_path: Path, data: bytes, name: str = "bad.gguf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path) -> str:
    with pytest.raises(ModelFileError) as caught:
        validate_gguf(path)
    message = str(caught.value)
    assert caught.value.fix, "every error says what to do"
    return message


# --- inspection -----------------------------------------------------------------------------------


def test_inspect_tiny_model(tiny: Path) -> None:
    info = inspect_gguf(tiny)
    assert info.path == tiny
    assert info.size_bytes == tiny.stat().st_size
    assert (info.version, info.architecture, info.name) == (3, "llama", "Tiny Test Llama")
    assert info.parameter_count == TINY_PARAMS
    assert info.file_type == "Q4_0"  # general.file_type = MOSTLY_Q4_0
    assert info.quantization == "Q4_0"  # most parameters are in Q4_0 tensors
    assert info.tensor_types == {"Q4_0": 12, "F32": 5, "Q8_0": 2, "F16": 1, "Q4_K": 1}
    assert info.tensor_count == 21 == len(info.tensors)
    assert (info.context_length, info.n_layer, info.n_embd, info.n_ff) == (256, 2, 64, 128)
    assert (info.n_head, info.n_head_kv, info.n_embd_k_gqa, info.n_embd_v_gqa) == (4, 2, 32, 32)
    assert info.vocab_size == 8
    assert info.chat_template == CHAT_TEMPLATE
    assert info.tokenizer_model == "llama"
    assert (info.bos_token_id, info.eos_token_id) == (1, 2)
    assert info.has_sentencepiece is False
    assert info.weights_bytes == sum(t.n_bytes for t in info.tensors)
    # Short arrays appear in full, scalars as they are.
    assert info.metadata["tokenizer.ggml.tokens"][:3] == ["<unk>", "<s>", "</s>"]
    assert info.metadata["llama.block_count"] == 2


def test_tensor_sizes_follow_block_layouts(tiny: Path) -> None:
    by_name = {t.name: t for t in inspect_gguf(tiny).tensors}
    assert by_name["token_embd.weight"].shape == (64, 8)  # ggml order: row length first
    assert by_name["token_embd.weight"].n_bytes == 64 * 8 * 2  # F16
    assert by_name["blk.0.attn_q.weight"].n_bytes == 64 * 64 // 32 * 18  # Q4_0: 18 bytes / 32
    assert by_name["blk.0.attn_v.weight"].n_bytes == 32 * 64 // 32 * 34  # Q8_0: 34 bytes / 32
    assert by_name["output.weight"].n_bytes == 8 * 256 // 256 * 144  # Q4_K: 144 bytes / 256


def test_parser_agrees_with_gguf_package(tiny: Path) -> None:
    import gguf

    header = read_header(tiny)
    reader = gguf.GGUFReader(tiny)
    assert [t.name for t in reader.tensors] == [t.name for t in header.tensors]
    for theirs, ours in zip(reader.tensors, header.tensors, strict=True):
        assert tuple(int(d) for d in theirs.shape) == ours.shape
        assert int(theirs.tensor_type) == ours.ggml_type
        assert int(theirs.data_offset) == header.data_offset + ours.offset
        assert int(theirs.n_bytes) == ours.n_bytes
    assert {k for k in reader.fields if not k.startswith("GGUF.")} == set(header.fields)


def test_type_tables_match_gguf_package() -> None:
    import gguf

    for qtype, (block, size) in gguf.GGML_QUANT_SIZES.items():
        mine = GGML_TYPES[int(qtype)]
        assert (mine.name, mine.block_size, mine.type_size) == (qtype.name, block, size)
    for ftype in gguf.LlamaFileType:
        if ftype.name != "GUESSED":
            assert FILE_TYPES[int(ftype)] == ftype.name.removeprefix("MOSTLY_").removeprefix("ALL_")


def test_sentencepiece_and_long_values(tmp_path: Path) -> None:
    spm = "QUJD" * 40_000  # 160 KB: longer than what the parser decodes eagerly
    path = write_tiny_gguf(
        tmp_path / "spm.gguf", extra_kv={gguf_keys.SPM_MODEL: spm, gguf_keys.NEWLINE_MARKER: "<NL>"}
    )
    info = inspect_gguf(path)
    assert info.has_sentencepiece
    assert info.metadata[gguf_keys.SPM_MODEL] == "<text, 160,000 bytes>"
    assert read_metadata_value(path, gguf_keys.SPM_MODEL) == spm
    assert read_metadata_value(path, gguf_keys.NEWLINE_MARKER) == "<NL>"
    assert read_metadata_value(path, "tokenizer.chat_template") == CHAT_TEMPLATE
    assert read_metadata_value(path, "tokenizer.ggml.token_type") == [2, 3, 3, 1, 1, 1, 1, 1]
    assert read_metadata_value(path, "no.such.key", "default") == "default"
    both = read_metadata_values(path, [gguf_keys.SPM_MODEL, gguf_keys.NEWLINE_MARKER, "no.such.key"])
    assert both == {gguf_keys.SPM_MODEL: spm, gguf_keys.NEWLINE_MARKER: "<NL>"}


def test_long_arrays_are_summarized(tmp_path: Path) -> None:
    import gguf
    import numpy as np

    path = tmp_path / "vocab.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_token_list([f"t{i}" for i in range(1000)])
    w.add_tensor("w", np.zeros(32, dtype=np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    info = inspect_gguf(path)
    assert info.metadata["tokenizer.ggml.tokens"] == "<1,000 × str>"
    assert info.vocab_size == 1000  # from the token list when the architecture has no vocab_size
    assert info.file_type == info.quantization == "F32" or info.file_type is None
    assert len(read_metadata_value(path, "tokenizer.ggml.tokens")) == 1000


def test_split_model_is_read_as_a_whole(tmp_path: Path) -> None:
    write_tiny_gguf(tmp_path / "tiny.gguf", split_max_tensors=8)
    parts = sorted(tmp_path.glob("tiny-*-of-00003.gguf"))
    assert [p.name for p in parts] == [f"tiny-0000{i}-of-00003.gguf" for i in (1, 2, 3)]
    validate_gguf(parts[0])
    info = inspect_gguf(parts[0])
    assert info.split_count == 3
    assert info.parameter_count == TINY_PARAMS and info.tensor_count == 21
    assert info.size_bytes == sum(p.stat().st_size for p in parts)
    assert info.tensor_types == {"Q4_0": 12, "F32": 5, "Q8_0": 2, "F16": 1, "Q4_K": 1}
    with pytest.raises(ModelFileError, match="part 2 of 3.*\n.*tiny-00001-of-00003.gguf"):
        inspect_gguf(parts[1])
    parts[2].unlink()
    with pytest.raises(ModelFileError, match="Part 3 of 3 .* is missing"):
        validate_gguf(parts[0])


# --- the bundled model ----------------------------------------------------------------------------


def test_bundled_model_validates_and_inspects(bundled_model: Path) -> None:
    validate_gguf(bundled_model)
    info = inspect_gguf(bundled_model)
    assert info.architecture == "llama"
    assert info.file_type == "Q4_1"
    assert info.n_layer == 30
    assert (info.n_embd, info.n_head, info.n_head_kv) == (576, 9, 3)
    assert 130e6 < info.parameter_count < 140e6  # "135M"
    assert info.vocab_size == 49152
    assert info.tokenizer_model == "gpt2"  # BPE
    assert info.chat_template is not None and "<|im_start|>" in info.chat_template
    assert info.weights_bytes < info.size_bytes
    assert info.tensor_types.get("Q4_1", 0) > 100


# --- files that are not GGUF ----------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    (tmp_path / "other.gguf").write_bytes(minimal_gguf())
    message = _error(tmp_path / "model.gguf")
    assert "not found" in message and "model.gguf" in message
    assert "other.gguf" in message  # points at what is there


def test_directory(tmp_path: Path) -> None:
    assert "is a folder" in _error(tmp_path)
    (tmp_path / "config.json").write_text("{}")
    assert "tomoshibi convert" in _error(tmp_path)
    (tmp_path / "model-q4.gguf").write_bytes(minimal_gguf())
    assert "model-q4.gguf" in _error(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    assert "is empty" in _error(_write(tmp_path, b""))


def test_text_file(tmp_path: Path) -> None:
    message = _error(_write(tmp_path, b"Hello, this is not a model\n" * 10, "notes.txt"))
    assert "notes.txt" in message and "does not start with 'GGUF'" in message


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"ggjt\x03\0\0\0" + b"\0" * 40, "old GGML"),
        (struct.pack("<Q", 100) + b'{"__metadata__": {}}' + b"\0" * 90, "safetensors"),
        (b"PK\x03\x04" + b"\0" * 40, "zip"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:abc\n", "Git LFS"),
        (b"GGUF" + struct.pack("<I", 1) + b"\0" * 40, "version 1"),
        (b"GGUF" + struct.pack("<I", 99) + b"\0" * 40, "unsupported GGUF version 99"),
        (b"GGUF" + struct.pack(">I", 3) + b"\0" * 40, "big-endian"),
        (b"GG", "truncated"),
    ],
)
def test_recognizes_other_formats(tmp_path: Path, head: bytes, expected: str) -> None:
    assert expected in _error(_write(tmp_path, head))


# --- hand-built corruptions -----------------------------------------------------------------------


def test_minimal_file_is_valid(tmp_path: Path) -> None:
    validate_gguf(_write(tmp_path, minimal_gguf()))


def test_truncated_tensor_data_names_the_tensor(tmp_path: Path, tiny: Path) -> None:
    data = tiny.read_bytes()
    message = _error(_write(tmp_path, data[: len(data) - 100]))
    assert "truncated: tensor 'output.weight' needs bytes up to" in message
    assert "but the file ends at" in message and "download the file again" in message


@pytest.mark.parametrize(
    ("tensor", "expected"),
    [
        ({"ggml_type": 4}, "unknown ggml type 4"),  # Q4_2, removed from ggml
        ({"ggml_type": 1000}, "unknown ggml type 1000"),
        ({"dims": (2, 2, 2, 2, 1)}, "5 dimensions"),
        ({"dims": (2**64 - 1,)}, "negative dimension"),
        ({"dims": (2**62, 2**62)}, "overflows"),
        ({"dims": (16,), "ggml_type": 2}, "not a multiple of the Q4_0 block size 32"),
        ({"offset": 8}, "not a multiple of 32"),
        ({"offset": 64}, "truncated: tensor 'w'"),
        ({"name": "x" * 64}, "name of 64 bytes"),
    ],
)
def test_bad_tensor_info(tmp_path: Path, tensor: dict[str, object], expected: str) -> None:
    assert expected in _error(_write(tmp_path, minimal_gguf(**tensor)))


def test_overlapping_and_duplicate_tensors(tmp_path: Path) -> None:
    arch = [kv_string("general.architecture", "llama")]
    overlap = raw_gguf(arch, [tensor_info("a", (16,), 0, 0), tensor_info("b", (16,), 0, 32)], b"\0" * 128)
    assert "'a' and 'b' overlap" in _error(_write(tmp_path, overlap))
    twice = raw_gguf(arch, [tensor_info("a", (8,), 0, 0), tensor_info("a", (8,), 0, 32)], b"\0" * 64)
    assert "'a' appears twice" in _error(_write(tmp_path, twice))


def test_bad_metadata(tmp_path: Path) -> None:
    arch = kv_string("general.architecture", "llama")
    w = [tensor_info("w", (16,), 0, 0)]
    cases = {
        "appears twice": raw_gguf([arch, arch], w, b"\0" * 64),
        "unknown value type 13": raw_gguf(
            [gguf_string("k") + struct.pack("<I", 13) + b"\0" * 8], w, b"\0" * 64
        ),
        "array of arrays": raw_gguf([gguf_string("k") + struct.pack("<IIQ", 9, 9, 1)], w, b"\0" * 64),
        "more than llama.cpp reads": raw_gguf(
            [gguf_string("k") + struct.pack("<IQ", 8, 2**40)], w, b"\0" * 64
        ),
        "needs 1.0 MB": raw_gguf([gguf_string("k") + struct.pack("<IQ", 8, 10**6)], w, b"\0" * 64),
        "impossible for a": raw_gguf([arch], w, b"\0" * 64, n_tensors=2**40),
        "metadata keys": raw_gguf([arch], w, b"\0" * 64, n_kv=2**33),
        "power of two": raw_gguf([arch, kv_u32("general.alignment", 24)], w, b"\0" * 64),
        "not valid UTF-8": raw_gguf([gguf_string(b"\xff\xfe") + struct.pack("<II", 4, 1)], w, b"\0" * 64),
    }
    for expected, data in cases.items():
        assert expected in _error(_write(tmp_path, data)), expected


def test_tensor_data_must_be_packed_in_order(tmp_path: Path) -> None:
    arch = [kv_string("general.architecture", "llama")]
    gap = raw_gguf(arch, [tensor_info("a", (8,), 0, 0), tensor_info("b", (8,), 0, 64)], b"\0" * 96)
    assert "tensor 'b' starts at offset 64 but llama.cpp expects 32" in _error(_write(tmp_path, gap))
    swapped = raw_gguf(arch, [tensor_info("a", (8,), 0, 32), tensor_info("b", (8,), 0, 0)], b"\0" * 64)
    assert "tensor 'a' starts at offset 32 but llama.cpp expects 0" in _error(_write(tmp_path, swapped))


def test_custom_alignment(tmp_path: Path) -> None:
    kvs = [kv_string("general.architecture", "llama"), kv_u32("general.alignment", 64)]
    data = raw_gguf(
        kvs, [tensor_info("a", (8,), 0, 0), tensor_info("b", (8,), 0, 64)], b"\0" * 96, alignment=64
    )
    header = read_header(_write(tmp_path, data))
    assert header.alignment == 64 and header.data_offset % 64 == 0
    misaligned = raw_gguf(kvs, [tensor_info("a", (8,), 0, 32)], b"\0" * 96, alignment=64)
    assert "not a multiple of 64" in _error(_write(tmp_path, misaligned))


def test_missing_architecture_is_reported_by_inspect(tmp_path: Path) -> None:
    path = _write(tmp_path, raw_gguf([], [tensor_info("w", (16,), 0, 0)], b"\0" * 64))
    validate_gguf(path)  # structurally fine
    with pytest.raises(ModelFileError, match="general.architecture"):
        inspect_gguf(path)
