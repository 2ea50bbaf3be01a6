"""Tensor types in the GGUF: float16 sources pass through bit-exact, vectors stay F32, Q8_0 falls back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from converters.convert import convert_checkpoint, tensor_type
from tests.converters.test_readers import _write_safetensors
from tests.converters.tiny import _write_tokenizer


def _neox_f16_checkpoint(folder: Path, ffn: int) -> dict[str, np.ndarray]:
    """A GPT-NeoX checkpoint in float16 (as rinna ships), built with numpy only."""
    folder.mkdir()
    vocab = _write_tokenizer(folder, "gpt_neox", "spm-unigram")
    hidden, n_vocab = 64, (vocab + 63) // 64 * 64
    rng = np.random.default_rng(3)
    shapes = {
        "gpt_neox.embed_in.weight": (n_vocab, hidden),
        "embed_out.weight": (n_vocab, hidden),
        "gpt_neox.final_layer_norm.weight": (hidden,),
        "gpt_neox.final_layer_norm.bias": (hidden,),
        "gpt_neox.layers.0.input_layernorm.weight": (hidden,),
        "gpt_neox.layers.0.input_layernorm.bias": (hidden,),
        "gpt_neox.layers.0.post_attention_layernorm.weight": (hidden,),
        "gpt_neox.layers.0.post_attention_layernorm.bias": (hidden,),
        "gpt_neox.layers.0.attention.query_key_value.weight": (3 * hidden, hidden),
        "gpt_neox.layers.0.attention.query_key_value.bias": (3 * hidden,),
        "gpt_neox.layers.0.attention.dense.weight": (hidden, hidden),
        "gpt_neox.layers.0.attention.dense.bias": (hidden,),
        "gpt_neox.layers.0.mlp.dense_h_to_4h.weight": (ffn, hidden),
        "gpt_neox.layers.0.mlp.dense_h_to_4h.bias": (ffn,),
        "gpt_neox.layers.0.mlp.dense_4h_to_h.weight": (hidden, ffn),
        "gpt_neox.layers.0.mlp.dense_4h_to_h.bias": (hidden,),
    }
    tensors = {name: rng.standard_normal(shape).astype(np.float16) for name, shape in shapes.items()}
    _write_safetensors(folder / "model.safetensors", {n: ("F16", a) for n, a in tensors.items()})
    config = {
        "architectures": ["GPTNeoXForCausalLM"], "hidden_size": hidden, "num_attention_heads": 2,
        "num_hidden_layers": 1, "intermediate_size": ffn, "rotary_pct": 1.0, "vocab_size": n_vocab,
    }  # fmt: skip
    (folder / "config.json").write_text(json.dumps(config))
    return tensors


def _gguf_tensors(path: Path) -> dict[str, tuple[str, np.ndarray]]:
    import gguf

    reader = gguf.GGUFReader(path)
    return {t.name: (t.tensor_type.name, np.array(t.data)) for t in reader.tensors}


def test_float16_weights_pass_through_bit_exact(tmp_path: Path) -> None:
    source = _neox_f16_checkpoint(tmp_path / "ckpt", ffn=256)
    result = convert_checkpoint(tmp_path / "ckpt", tmp_path / "m.gguf", out_type="f16")
    out = _gguf_tensors(result.path)
    kind, embd = out["token_embd.weight"]
    assert kind == "F16" and embd.tobytes() == source["gpt_neox.embed_in.weight"].tobytes()
    kind, up = out["blk.0.ffn_up.weight"]
    assert up.tobytes() == source["gpt_neox.layers.0.mlp.dense_h_to_4h.weight"].tobytes()
    kind, norm = out["blk.0.attn_norm.bias"]
    assert kind == "F32"
    np.testing.assert_array_equal(norm, source["gpt_neox.layers.0.input_layernorm.bias"].astype(np.float32))
    # The fused QKV is reordered, not rounded: the same values, Q block first.
    qkv = source["gpt_neox.layers.0.attention.query_key_value.weight"]
    per_head = qkv.reshape(2, 3, 32, 64)
    expected = np.concatenate([per_head[:, j].reshape(64, 64) for j in range(3)])
    assert out["blk.0.attn_qkv.weight"][1].tobytes() == expected.tobytes()


def test_q8_0_falls_back_to_f16_for_rows_that_do_not_fit_its_blocks(tmp_path: Path) -> None:
    _neox_f16_checkpoint(tmp_path / "ckpt", ffn=240)  # 240 is not a multiple of 32
    result = convert_checkpoint(tmp_path / "ckpt", tmp_path / "m.gguf", out_type="q8_0")
    types = {name: kind for name, (kind, _) in _gguf_tensors(result.path).items()}
    assert types["blk.0.ffn_down.weight"] == "F16"  # rows of 240 values
    assert types["blk.0.ffn_up.weight"] == "Q8_0"  # rows of 64 values
    assert types["token_embd.weight"] == "Q8_0"
    assert types["blk.0.ffn_up.bias"] == "F32"


@pytest.mark.parametrize(
    ("out_type", "shape", "expected"),
    [("f16", (64,), "F32"), ("bf16", (8, 64), "BF16"), ("f32", (8, 64), "F32"), ("q8_0", (8, 40), "F16")],
)
def test_tensor_type_rules(out_type: str, shape: tuple[int, ...], expected: str) -> None:
    assert tensor_type("blk.0.x.weight", shape, out_type).name == expected
