from __future__ import annotations

import pytest

from models.quant_names import quant_from_filename, split_part


@pytest.mark.parametrize(
    ("name", "quant"),
    [
        ("llama-2-7b-chat.Q4_K_M.gguf", "Q4_K_M"),
        ("ELYZA-japanese-Llama-2-7b-instruct-q4_K_M.gguf", "Q4_K_M"),
        ("llama-2-13b-chat.Q4_0.gguf", "Q4_0"),
        ("Qwen3-Embedding-0.6B-f16.gguf", "F16"),
        ("bge-m3-FP16.gguf", "F16"),
        ("model-IQ4_XS-00001-of-00003.gguf", "IQ4_XS"),
        ("gemma-3-4b-it-UD-Q4_K_XL.gguf", "Q4_K_XL"),
        ("model-bf16.gguf", "BF16"),
        ("multilingual-e5-small.gguf", None),
        ("q8_0tools-model.gguf", None),
    ],
)
def test_quant_from_filename(name: str, quant: str | None) -> None:
    assert quant_from_filename(name) == quant


def test_split_part() -> None:
    assert split_part("m-Q4_K_M-00002-of-00005.gguf") == (2, 5)
    assert split_part("m-Q4_K_M.gguf") is None
