"""PEFT LoRA adapters → GGUF adapters: llama.cpp with the adapter vs transformers + PEFT."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from converters.lora import convert_lora
from models.errors import ConversionError, UnsupportedModelError
from tests.converters.tiny import nmse

TARGETS = {
    "llama": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    "gpt_neox": ["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"],
}
TOKENIZER = {"llama": "spm-bpe", "gpt_neox": "spm-unigram"}


def _make_adapter(base: Path, out: Path, arch: str, **lora_kwargs: object) -> Path:
    import peft
    import torch
    import transformers

    model = transformers.AutoModelForCausalLM.from_pretrained(base, torch_dtype=torch.float32)
    config = peft.LoraConfig(
        r=8, lora_alpha=16, target_modules=TARGETS[arch], lora_dropout=0.0, **lora_kwargs
    )
    peft_model = peft.get_peft_model(model, config)
    torch.manual_seed(99)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:  # PEFT starts B at zero (a no-op adapter); make it matter
                p.normal_(0.0, 0.15)
    peft_model.save_pretrained(out)
    return out


def _peft_logits(base: Path, adapter: Path, ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    import peft
    import torch
    import transformers

    model = transformers.AutoModelForCausalLM.from_pretrained(base, torch_dtype=torch.float32)
    with torch.no_grad():
        plain = model(torch.tensor([ids])).logits[0].numpy()
        tuned = peft.PeftModel.from_pretrained(model, adapter).eval()
        adapted = tuned(torch.tensor([ids])).logits[0].numpy()
    return plain, adapted


def _llama_cpp_logits(model: Path, lora: Path, ids: list[int], scale: float = 1.0) -> np.ndarray:
    import llama_cpp

    llm = llama_cpp.Llama(
        str(model),
        n_ctx=64,
        n_batch=64,
        logits_all=True,
        verbose=False,
        n_threads=2,
        lora_path=str(lora),
        lora_scale=scale,
    )
    try:
        llm.eval(ids)
        return np.array(llm.scores[: len(ids)], dtype=np.float32)
    finally:
        llm.close()


@pytest.mark.parametrize(
    ("arch", "extra"), [("llama", {}), ("gpt_neox", {"use_rslora": True})], ids=["llama", "gpt_neox-rslora"]
)
def test_adapter_in_llama_cpp_matches_transformers_with_peft(
    arch: str, extra: dict[str, object], tiny_checkpoint: Callable[..., Path], tmp_path: Path
) -> None:
    from converters.convert import convert_checkpoint

    base = tiny_checkpoint(arch, TOKENIZER[arch])
    adapter = _make_adapter(base, tmp_path / "adapter", arch, **extra)
    base_gguf = tmp_path / "base-f32.gguf"
    convert_checkpoint(base, base_gguf, out_type="f32")
    result = convert_lora(adapter, base)
    assert result.path == adapter / "adapter-f32.gguf" and result.rank == 8
    n_layers = 2
    assert result.tensors == len(TARGETS[arch]) * n_layers

    from gguf import GGUFReader

    reader = GGUFReader(str(result.path))
    assert bytes(reader.fields["general.type"].parts[-1]).decode() == "adapter"
    assert bytes(reader.fields["adapter.type"].parts[-1]).decode() == "lora"
    names = {t.name for t in reader.tensors}
    assert (
        ("blk.0.attn_q.weight.lora_a" in names)
        if arch == "llama"
        else ("blk.1.attn_qkv.weight.lora_b" in names)
    )

    rng = np.random.default_rng(3)
    n_vocab = json.loads((base / "config.json").read_text())["vocab_size"]
    ids = [2, *rng.integers(4, n_vocab, size=23).tolist()]
    plain, expected = _peft_logits(base, adapter, ids)
    assert nmse(plain, expected) > 0.05  # the adapter really changes the model
    actual = _llama_cpp_logits(base_gguf, result.path, ids)
    assert nmse(actual, expected) < 1e-3
    # Scale 0 switches the adapter off: back to the base model.
    assert nmse(_llama_cpp_logits(base_gguf, result.path, ids, scale=0.0), plain) < 1e-3


def test_unsupported_adapters_are_refused_clearly(
    tiny_checkpoint: Callable[..., Path], tmp_path: Path
) -> None:
    base = tiny_checkpoint("llama", "spm-bpe")
    with pytest.raises(ConversionError, match="adapter_config.json"):
        convert_lora(tmp_path, base)
    folder = tmp_path / "dora"
    folder.mkdir()
    (folder / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "use_dora": True, "r": 4}))
    with pytest.raises(UnsupportedModelError, match="DoRA"):
        convert_lora(folder, base)
    (folder / "adapter_config.json").write_text(
        json.dumps({"peft_type": "LORA", "r": 4, "modules_to_save": ["lm_head"]})
    )
    with pytest.raises(UnsupportedModelError, match="Merge"):
        convert_lora(folder, base)
    assert not list(folder.glob("*.gguf"))
