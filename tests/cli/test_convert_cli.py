"""``tomoshibi convert | quantize | lora | profiles`` end to end on a tiny checkpoint."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    from tests.converters.tiny import make_checkpoint

    root, cache = tmp_path_factory.mktemp("cli-checkpoints"), {}

    def get(arch: str, tokenizer: str) -> Path:
        if (arch, tokenizer) not in cache:
            cache[arch, tokenizer] = make_checkpoint(root, arch, tokenizer, "safetensors")
        return cache[arch, tokenizer]

    return get


def test_convert_quantize_validate_and_place_atomically(
    tiny_checkpoint: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tiny_checkpoint("llama", "spm-bpe")
    calib = tmp_path / "calib.txt"
    calib.write_text(
        "吾輩は猫である。名前はまだ無い。The quick brown fox jumps over the lazy dog.\n" * 8, encoding="utf-8"
    )
    out = tmp_path / "models" / "tiny-q4_k_m.gguf"
    rc = main(["convert", str(src), "--out", str(out), "--quant", "Q4_K_M", "--calib", str(calib)])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert out.is_file() and sorted(p.name for p in out.parent.iterdir()) == [out.name]
    assert (
        "loads in llama.cpp" in captured.out
        and "perplexity" in captured.out
        and "Q4_K_M / F16" in captured.out
    )
    assert "importance matrix: 14 tensors" in captured.out
    assert "validate" in captured.err  # the progress line

    from models import gguf_keys
    from models.gguf_info import inspect_gguf, read_metadata_value

    assert inspect_gguf(out).file_type == "Q4_K_M"
    record = json.loads(read_metadata_value(out, gguf_keys.CONVERSION + ".quantization"))
    assert record["quant"] == "Q4_K_M" and record["imatrix"] is True
    assert read_metadata_value(out, gguf_keys.CONVERSION)  # the converter's own provenance survives

    q8 = tmp_path / "tiny-q8.gguf"
    assert main(["quantize", str(out), str(q8), "--type", "Q8_0"]) == 2  # already quantized: refused
    assert "already quantized" in capsys.readouterr().err and not q8.exists()


def test_convert_with_a_profile_picks_the_quantization(
    tiny_checkpoint: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "phone.gguf"
    assert (
        main(
            [
                "convert",
                str(tiny_checkpoint("gpt_neox", "spm-unigram")),
                "--out",
                str(out),
                "--profile",
                "phone-4gb",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "recommended: Q4_K_M" in text and "phone-4gb" in text
    from models.gguf_info import inspect_gguf

    assert inspect_gguf(out).file_type == "Q4_K_M"


def test_profiles_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    listing = capsys.readouterr().out
    assert all(name in listing for name in ("desktop-24gb", "laptop-16gb", "mac-8gb", "phone-4gb"))
    assert main(["profiles", "13e9", "--profile", "mac-8gb"]) == 0
    assert "nothing fits" in capsys.readouterr().out
    assert main(["profiles", "--profile", "watch-1gb"]) == 2
    assert "phone-4gb" in capsys.readouterr().err


def test_lora_command_errors_are_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lora", str(tmp_path), "--base", str(tmp_path)]) == 2
    assert "adapter_config.json" in capsys.readouterr().err
