"""The engine loads a converted LoRA adapter with a scale, and answers like transformers + PEFT."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from models.engine import Engine
from models.events import Finished, LoadConfig, SamplingParams
from tests.converters.test_lora import TOKENIZER, _make_adapter, _peft_logits


def _first_token(engine: Engine, ids: list[int]) -> str:
    events = list(engine.generate(ids, SamplingParams(temperature=0.0, max_tokens=1, repeat_penalty=1.0)))
    finished = events[-1]
    assert isinstance(finished, Finished), finished
    return finished.text.strip()


def test_engine_applies_the_adapter_at_load_time(
    tiny_checkpoint: Callable[..., Path], tmp_path: Path
) -> None:
    from converters.convert import convert_checkpoint
    from converters.lora import convert_lora

    base = tiny_checkpoint("llama", TOKENIZER["llama"])
    adapter = _make_adapter(base, tmp_path / "adapter", "llama")
    base_gguf = tmp_path / "base-f32.gguf"
    convert_checkpoint(base, base_gguf, out_type="f32")
    lora = convert_lora(adapter, base).path

    n_vocab = json.loads((base / "config.json").read_text())["vocab_size"]
    rng = np.random.default_rng(11)
    # Find a prompt where the adapter changes the greedy next token, so the check means something.
    for _ in range(20):
        ids = [2, *rng.integers(4, n_vocab, size=12).tolist()]
        plain, adapted = _peft_logits(base, adapter, ids)
        if int(plain[-1].argmax()) != int(adapted[-1].argmax()):
            break
    config = LoadConfig(model_path=str(base_gguf), n_ctx=64)
    with Engine.start(config) as engine:
        without = _first_token(engine, ids)
        expected_plain = engine.detokenize([int(plain[-1].argmax())]).strip()
        expected_adapted = engine.detokenize([int(adapted[-1].argmax())]).strip()
    with Engine.start(
        LoadConfig(model_path=str(base_gguf), n_ctx=64, lora_path=str(lora), lora_scale=1.0)
    ) as engine:
        with_adapter = _first_token(engine, ids)
    assert without == expected_plain
    assert with_adapter == expected_adapted
    assert with_adapter != without
