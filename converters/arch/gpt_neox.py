"""GPT-NeoX (``GPTNeoXForCausalLM``): rinna japanese-gpt-neox-3.6b (+ instruction-sft/-ppo),
rinna bilingual-gpt-neox-4b, CyberAgent OpenCALM, EleutherAI Pythia.

llama.cpp's ``gptneox`` graph takes the fused QKV output as three contiguous blocks [Q; K; V]
(views at offsets 0, n_embd, 2·n_embd), while Hugging Face stores the fused weight and bias
interleaved per head [h0: q k v, h1: q k v, ...]; ``transform`` reorders them. RoPE is NeoX-style
(rotate-half) on the first rotary_pct × head_dim dimensions of each head, which is what llama.cpp
does for this architecture, so Q/K need no permutation.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from models.errors import UnsupportedModelError

from . import register
from .base import Architecture


@register("GPTNeoXForCausalLM")
class GPTNeoX(Architecture):
    gguf_arch = "gptneox"
    hf_names = ("GPTNeoXForCausalLM",)
    TENSOR_MAP: ClassVar[tuple[tuple[str, str], ...]] = (
        # Hugging Face GPTNeoXForCausalLM (rinna, OpenCALM, Pythia) → llama.cpp gptneox
        ("gpt_neox.embed_in", "token_embd"),
        ("gpt_neox.layers.{bid}.input_layernorm", "blk.{bid}.attn_norm"),
        ("gpt_neox.layers.{bid}.attention.query_key_value", "blk.{bid}.attn_qkv"),
        ("gpt_neox.layers.{bid}.attention.dense", "blk.{bid}.attn_output"),
        ("gpt_neox.layers.{bid}.post_attention_layernorm", "blk.{bid}.ffn_norm"),
        ("gpt_neox.layers.{bid}.mlp.dense_h_to_4h", "blk.{bid}.ffn_up"),
        ("gpt_neox.layers.{bid}.mlp.dense_4h_to_h", "blk.{bid}.ffn_down"),
        ("gpt_neox.final_layer_norm", "output_norm"),
        ("embed_out", "output"),
        ("lm_head", "output"),  # transformers >= 5 names the head lm_head in memory (state_dict)
    )
    # Buffers, not weights: the causal mask ("attention.bias", "masked_bias") and rotary caches.
    SKIP = (
        r"\.attention\.bias$",
        r"\.attention\.masked_bias$",
        r"\.rotary_emb\.inv_freq$",
        r"\.rotary_emb\.(cos|sin)_cached$",
    )
    # llama.cpp applies ggml's GELU; anything else would silently compute a different model.
    _ACTIVATIONS = ("gelu", "gelu_new", "gelu_fast", "gelu_pytorch_tanh")

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self.n_embd = int(self.require("hidden_size"))
        self.n_head = int(self.require("num_attention_heads"))
        if self.n_embd % self.n_head:
            raise UnsupportedModelError(
                f"hidden_size {self.n_embd} is not a multiple of num_attention_heads {self.n_head}.",
                "This checkpoint's config.json looks wrong; check it against the original.",
            )
        self.head_dim = self.n_embd // self.n_head
        act = str(config.get("hidden_act", "gelu"))
        if act not in self._ACTIVATIONS:
            raise UnsupportedModelError(
                f"This GPT-NeoX checkpoint uses the activation {act!r}; llama.cpp's gptneox uses GELU.",
                "Only GELU GPT-NeoX models (rinna, OpenCALM, Pythia) can be converted.",
            )
        if config.get("attention_bias", True) is False:
            raise UnsupportedModelError(
                "This GPT-NeoX checkpoint has no attention biases; llama.cpp's gptneox requires them.",
                "Only GPT-NeoX models with attention biases (rinna, OpenCALM, Pythia) can be converted.",
            )

    @property
    def rotary_fraction(self) -> float:
        params = self.config.get("rope_parameters") or {}
        if isinstance(params, dict) and params.get("partial_rotary_factor") is not None:
            return float(params["partial_rotary_factor"])
        for key in ("rotary_pct", "partial_rotary_factor"):
            if self.config.get(key) is not None:
                return float(self.config[key])
        return 0.25  # transformers' GPTNeoXConfig default

    @property
    def rope_dims(self) -> int:
        return int(self.rotary_fraction * self.head_dim)

    def write_parameters(self, writer: Any) -> None:
        writer.add_context_length(int(self.config.get("max_position_embeddings", 2048)))
        writer.add_embedding_length(self.n_embd)
        writer.add_block_count(self.block_count)
        writer.add_feed_forward_length(int(self.config.get("intermediate_size", 4 * self.n_embd)))
        writer.add_rope_dimension_count(self.rope_dims)
        writer.add_rope_freq_base(self.rope_theta("rotary_emb_base"))
        writer.add_head_count(self.n_head)
        writer.add_head_count_kv(self.n_head)
        writer.add_parallel_residual(bool(self.config.get("use_parallel_residual", True)))
        writer.add_layer_norm_eps(float(self.config.get("layer_norm_eps", 1e-5)))

    def aliases(self, names: set[str]) -> dict[str, str]:
        # llama.cpp's gptneox requires an output matrix; a tied checkpoint reuses the embedding.
        if "embed_out.weight" not in names and "lm_head.weight" not in names:
            return {"output.weight": "gpt_neox.embed_in.weight"}
        return {}

    def transform(self, name: str, array: np.ndarray) -> np.ndarray:
        if not name.endswith(("attention.query_key_value.weight", "attention.query_key_value.bias")):
            return array
        # [n_head, 3, head_dim, ...] → [3, n_head, head_dim, ...]: per-head q,k,v → Q block, K block, V block.
        rest = array.shape[1:]
        per_head = array.reshape(self.n_head, 3, self.head_dim, *rest)
        return np.ascontiguousarray(per_head.swapaxes(0, 1)).reshape(array.shape)
