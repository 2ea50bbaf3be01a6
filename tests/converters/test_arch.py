"""Architecture modules: registry, config spellings, and the tensor reorderings checked against math."""

from __future__ import annotations

import numpy as np
import pytest

from converters.arch import architecture_for, supported_architectures
from converters.arch.gpt_neox import GPTNeoX
from converters.arch.llama import Llama
from models.errors import ConversionError, UnsupportedModelError

NEOX = {
    "architectures": ["GPTNeoXForCausalLM"],
    "hidden_size": 256,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
}
LLAMA = {
    "architectures": ["LlamaForCausalLM"],
    "hidden_size": 256,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "num_hidden_layers": 2,
    "intermediate_size": 512,
}


def test_registry_and_unsupported_message() -> None:
    assert supported_architectures() == ["GPTNeoXForCausalLM", "LlamaForCausalLM"]
    assert isinstance(architecture_for(NEOX), GPTNeoX)
    assert isinstance(architecture_for(LLAMA), Llama)
    with pytest.raises(UnsupportedModelError) as info:
        architecture_for({"architectures": ["MistralForCausalLM"]})
    assert "MistralForCausalLM" in str(info.value)
    assert "GPTNeoXForCausalLM, LlamaForCausalLM" in str(info.value)


def test_gpt_neox_accepts_both_config_spellings() -> None:
    old = GPTNeoX({**NEOX, "rotary_pct": 0.5, "rotary_emb_base": 20000})
    new = GPTNeoX(
        {
            **NEOX,
            "rope_parameters": {"rope_type": "default", "partial_rotary_factor": 0.5, "rope_theta": 20000},
        }
    )
    for arch in (old, new):
        assert arch.rope_dims == 32  # 0.5 × head_dim 64
        assert arch.rope_theta("rotary_emb_base") == 20000


def test_gpt_neox_names_and_skips() -> None:
    arch = GPTNeoX(NEOX)
    assert arch.gguf_name("gpt_neox.layers.1.attention.query_key_value.bias") == "blk.1.attn_qkv.bias"
    assert arch.gguf_name("gpt_neox.layers.10.mlp.dense_4h_to_h.weight") == "blk.10.ffn_down.weight"
    assert arch.gguf_name("embed_out.weight") == "output.weight"
    for buffer in ("attention.bias", "attention.masked_bias", "attention.rotary_emb.inv_freq"):
        assert arch.gguf_name(f"gpt_neox.layers.0.{buffer}") is None
    with pytest.raises(ConversionError, match="does not know"):
        arch.gguf_name("gpt_neox.layers.0.attention.unknown.weight")


def test_gpt_neox_qkv_reorder_matches_the_per_head_layout() -> None:
    arch = GPTNeoX(NEOX)
    n_head, head_dim, n_embd = 4, 64, 256
    # Label each fused row by (head, which of q/k/v, dim) as Hugging Face lays them out.
    rows = np.array([[h, j, d] for h in range(n_head) for j in range(3) for d in range(head_dim)], np.float32)
    weight = np.zeros((3 * n_embd, n_embd), np.float32)
    weight[:, :3] = rows
    out = arch.transform("gpt_neox.layers.0.attention.query_key_value.weight", weight)
    for block, which in enumerate("qkv"):
        part = out[block * n_embd : (block + 1) * n_embd]
        assert (part[:, 1] == "qkv".index(which)).all()
        assert (part[:, 0] == np.repeat(np.arange(n_head), head_dim)).all()
        assert (part[:, 2] == np.tile(np.arange(head_dim), n_head)).all()
    bias = rows[:, 1] * 100 + rows[:, 0] * 10
    out_b = arch.transform("gpt_neox.layers.0.attention.query_key_value.bias", bias)
    assert (out_b[:n_embd] // 100 == 0).all() and (out_b[n_embd : 2 * n_embd] // 100 == 1).all()


def _rope_rotate_half(x: np.ndarray, pos: int, base: float = 10000.0) -> np.ndarray:
    d = x.shape[-1]
    freqs = base ** (-np.arange(0, d, 2) / d) * pos
    cos, sin = np.cos(np.concatenate([freqs, freqs])), np.sin(np.concatenate([freqs, freqs]))
    rotated = np.concatenate([-x[..., d // 2 :], x[..., : d // 2]], axis=-1)
    return x * cos + rotated * sin


def _rope_interleaved(x: np.ndarray, pos: int, base: float = 10000.0) -> np.ndarray:
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2) / d) * pos
    even, odd = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = even * np.cos(theta) - odd * np.sin(theta)
    out[..., 1::2] = even * np.sin(theta) + odd * np.cos(theta)
    return out


@pytest.mark.parametrize(("proj", "heads"), [("q_proj", 4), ("k_proj", 2)])
def test_llama_permutation_turns_rotate_half_into_interleaved_rope(proj: str, heads: int) -> None:
    arch = Llama(LLAMA)
    head_dim = 64
    rng = np.random.default_rng(0)
    weight = rng.standard_normal((heads * head_dim, 256)).astype(np.float64)
    x = rng.standard_normal(256)
    permuted = arch.transform(f"model.layers.0.self_attn.{proj}.weight", weight)
    for pos in (0, 3, 17):
        hf = _rope_rotate_half((weight @ x).reshape(heads, head_dim), pos)
        cpp = _rope_interleaved((permuted @ x).reshape(heads, head_dim), pos)
        # Attention scores are dot products within a head; they must agree after the permutation.
        np.testing.assert_allclose(np.einsum("hd,hd->h", hf, hf), np.einsum("hd,hd->h", cpp, cpp))
        # And the per-head vectors are the same values in the interleaved order.
        order = np.stack([np.arange(head_dim // 2), np.arange(head_dim // 2) + head_dim // 2], 1).ravel()
        np.testing.assert_allclose(hf[:, order], cpp, atol=1e-9)


def test_llama_rejects_what_it_cannot_compute() -> None:
    with pytest.raises(UnsupportedModelError, match="RoPE scaling"):
        Llama({**LLAMA, "rope_scaling": {"rope_type": "yarn", "factor": 4.0}})
    with pytest.raises(UnsupportedModelError, match="activation"):
        Llama({**LLAMA, "hidden_act": "gelu"})
    assert (
        Llama({**LLAMA, "rope_parameters": {"rope_type": "default", "rope_theta": 500000.0}}).rope_theta()
        == 500000.0
    )


# The configs of the checkpoints the issue names (abridged to what the converter reads).
RINNA_36B = {
    "architectures": ["GPTNeoXForCausalLM"], "hidden_size": 2816, "num_attention_heads": 22,
    "num_hidden_layers": 36, "intermediate_size": 11264, "max_position_embeddings": 2048,
    "rotary_pct": 1.0, "rotary_emb_base": 10000, "use_parallel_residual": False,
    "layer_norm_eps": 1e-5, "hidden_act": "gelu", "vocab_size": 32000,
}  # fmt: skip
OPEN_CALM_7B = {
    "architectures": ["GPTNeoXForCausalLM"], "hidden_size": 4096, "num_attention_heads": 32,
    "num_hidden_layers": 32, "intermediate_size": 16384, "rotary_pct": 1.0, "rotary_emb_base": 10000,
    "use_parallel_residual": True, "layer_norm_eps": 1e-5, "hidden_act": "gelu", "vocab_size": 52224,
}  # fmt: skip
LLAMA2_7B = {
    "architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "num_attention_heads": 32,
    "num_key_value_heads": 32, "num_hidden_layers": 32, "intermediate_size": 11008,
    "max_position_embeddings": 4096, "rms_norm_eps": 1e-5, "rope_scaling": None, "rope_theta": 10000.0,
    "hidden_act": "silu", "vocab_size": 32000,
}  # fmt: skip


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (RINNA_36B, {"gptneox.rope.dimension_count": 128, "gptneox.use_parallel_residual": False,
                     "gptneox.attention.head_count": 22, "gptneox.feed_forward_length": 11264}),
        (OPEN_CALM_7B, {"gptneox.rope.dimension_count": 128, "gptneox.use_parallel_residual": True}),
        (LLAMA2_7B, {"llama.rope.dimension_count": 128, "llama.attention.head_count_kv": 32,
                     "llama.context_length": 4096, "llama.feed_forward_length": 11008}),
    ],
)  # fmt: skip
def test_real_checkpoint_configs_give_llama_cpp_parameters(
    config: dict[str, object], expected: dict[str, object]
) -> None:
    import gguf

    arch = architecture_for(config)
    writer = gguf.GGUFWriter(None, arch.gguf_arch)
    arch.write_parameters(writer)
    written = {key: value.value for key, value in writer.kv_data[0].items()}
    for key, value in expected.items():
        assert written[key] == value, key
