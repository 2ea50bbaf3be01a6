"""Llama (``LlamaForCausalLM``): Llama 2 7B/13B base and chat, ELYZA-japanese-Llama-2-7b(-instruct),
and Llama-family models with a BPE ``tokenizer.json`` (e.g. SmolLM2).

Hugging Face's Llama applies RoPE rotate-half style (pairs i and i + d/2), llama.cpp's ``llama``
graph pairs adjacent dimensions (2i, 2i+1). Q and K rows are therefore permuted per head — with
the query head count for Q and the key/value head count for K (grouped-query attention).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from models.errors import UnsupportedModelError

from . import register
from .base import Architecture


@register("LlamaForCausalLM")
class Llama(Architecture):
    gguf_arch = "llama"
    hf_names = ("LlamaForCausalLM",)
    TENSOR_MAP: ClassVar[tuple[tuple[str, str], ...]] = (
        # Hugging Face LlamaForCausalLM (Llama 2, ELYZA, SmolLM2) → llama.cpp llama
        ("model.embed_tokens", "token_embd"),
        ("model.layers.{bid}.input_layernorm", "blk.{bid}.attn_norm"),
        ("model.layers.{bid}.self_attn.q_proj", "blk.{bid}.attn_q"),
        ("model.layers.{bid}.self_attn.k_proj", "blk.{bid}.attn_k"),
        ("model.layers.{bid}.self_attn.v_proj", "blk.{bid}.attn_v"),
        ("model.layers.{bid}.self_attn.o_proj", "blk.{bid}.attn_output"),
        ("model.layers.{bid}.post_attention_layernorm", "blk.{bid}.ffn_norm"),
        ("model.layers.{bid}.mlp.gate_proj", "blk.{bid}.ffn_gate"),
        ("model.layers.{bid}.mlp.up_proj", "blk.{bid}.ffn_up"),
        ("model.layers.{bid}.mlp.down_proj", "blk.{bid}.ffn_down"),
        ("model.norm", "output_norm"),
        ("lm_head", "output"),
    )
    # Rotary caches some exporters save alongside the weights.
    SKIP = (r"\.rotary_emb\.inv_freq$",)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.n_embd = int(self.require("hidden_size"))
        self.n_head = int(self.require("num_attention_heads"))
        self.n_head_kv = int(config.get("num_key_value_heads") or self.n_head)
        self.head_dim = int(config.get("head_dim") or self.n_embd // self.n_head)
        act = str(config.get("hidden_act", "silu"))
        if act != "silu":
            raise UnsupportedModelError(
                f"This Llama checkpoint uses the activation {act!r}; llama.cpp's llama uses SiLU.",
                "Only standard Llama checkpoints (SiLU, SwiGLU) can be converted.",
            )
        self.rope_scaling = self._rope_scaling()

    def _rope_scaling(self) -> tuple[str, dict[str, Any]] | None:
        scaling = self.config.get("rope_scaling") or self.config.get("rope_parameters") or {}
        if not isinstance(scaling, dict):
            return None
        kind = scaling.get("rope_type", scaling.get("type", "default"))
        if kind in (None, "default"):
            return None
        if kind in ("linear", "llama3") and scaling.get("factor"):
            return str(kind), scaling
        raise UnsupportedModelError(
            f"This Llama checkpoint uses RoPE scaling {kind!r}, which Tomoshibi cannot convert yet.",
            "Supported: no scaling, linear (Llama 2 family) and llama3 (Llama 3.x family).",
        )

    def extra_tensors(self) -> dict[str, np.ndarray]:
        if self.rope_scaling is None or self.rope_scaling[0] != "llama3":
            return {}
        # Llama 3.x stretches low RoPE frequencies; llama.cpp takes the per-dimension divisors as a
        # tensor (rope_freqs) and applies them itself. Same formula as transformers' llama3 rope init.
        scaling = self.rope_scaling[1]
        factor = float(scaling["factor"])
        low, high = float(scaling.get("low_freq_factor", 1.0)), float(scaling.get("high_freq_factor", 4.0))
        old_ctx = float(scaling.get("original_max_position_embeddings", 8192))
        freqs = 1.0 / self.rope_theta() ** (np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim)
        wavelen = 2 * np.pi / freqs
        smooth = (old_ctx / wavelen - low) / (high - low)
        factors = np.where(
            wavelen < old_ctx / high,
            1.0,
            np.where(wavelen > old_ctx / low, factor, 1.0 / ((1 - smooth) / factor + smooth)),
        )
        return {"rope_freqs.weight": factors.astype(np.float32)}

    def write_parameters(self, writer: Any) -> None:
        writer.add_context_length(int(self.config.get("max_position_embeddings", 4096)))
        writer.add_embedding_length(self.n_embd)
        writer.add_block_count(self.block_count)
        writer.add_feed_forward_length(int(self.require("intermediate_size")))
        writer.add_head_count(self.n_head)
        writer.add_head_count_kv(self.n_head_kv)
        writer.add_layer_norm_rms_eps(float(self.config.get("rms_norm_eps", 1e-6)))
        writer.add_rope_freq_base(self.rope_theta())
        writer.add_rope_dimension_count(self.head_dim)
        if self.head_dim != self.n_embd // self.n_head:
            writer.add_key_length(self.head_dim)
            writer.add_value_length(self.head_dim)
        if self.rope_scaling is not None:
            import gguf

            kind, scaling = self.rope_scaling
            if kind == "linear":  # llama3 scaling travels as the rope_freqs tensor instead
                writer.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
                writer.add_rope_scaling_factor(float(scaling["factor"]))

    def transform(self, name: str, array: np.ndarray) -> np.ndarray:
        if name.endswith(("self_attn.q_proj.weight", "self_attn.q_proj.bias")):
            return _rotate_half_to_interleaved(array, self.n_head)
        if name.endswith(("self_attn.k_proj.weight", "self_attn.k_proj.bias")):
            return _rotate_half_to_interleaved(array, self.n_head_kv)
        return array


def _rotate_half_to_interleaved(array: np.ndarray, n_head: int) -> np.ndarray:
    """Rows of each head [x0..x(d/2-1), y0..y(d/2-1)] → [x0, y0, x1, y1, ...]."""
    rest = array.shape[1:]
    half = array.shape[0] // n_head // 2
    per_head = array.reshape(n_head, 2, half, *rest)
    return np.ascontiguousarray(per_head.swapaxes(1, 2)).reshape(array.shape)
