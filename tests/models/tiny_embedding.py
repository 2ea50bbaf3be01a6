"""A tiny embedding GGUF, generated: llama architecture with mean pooling, a real vocabulary copied
from another GGUF (the bundled SmolLM2's), and weights that make it a lexical embedder.

Every attention and feed-forward output matrix is zero, so each layer adds nothing to the residual
stream: a token's final state is its (normalized) embedding row, and the pooled sentence vector is
the mean of random token vectors — a random projection of the bag of tokens. Texts that share
tokens get similar vectors; a paraphrase with no shared token does not. That is enough to exercise
the whole embedding path (load, pooling, batching, vector search, fusion) with numbers that mean
something, in a file of a few MB.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

N_EMBD, N_LAYER, N_HEAD, N_FF = 128, 1, 2, 128


def write_tiny_embedding_gguf(path: Path, vocab_from: Path, seed: int = 0) -> Path:
    import gguf

    reader = gguf.GGUFReader(str(vocab_from))
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_name("Tiny Lexical Embedder")
    w.add_context_length(2048)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_pooling_type(gguf.PoolingType.MEAN)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    n_vocab = 0
    for field in reader.fields.values():
        if not field.name.startswith("tokenizer.") or field.name == "tokenizer.chat_template":
            continue
        value = field.contents()
        if field.name == "tokenizer.ggml.tokens":
            n_vocab = len(value)
        if field.types[0] == gguf.GGUFValueType.ARRAY:
            w.add_key_value(field.name, value, field.types[0], sub_type=field.types[-1])
        else:
            w.add_key_value(field.name, value, field.types[0])
    w.add_tensor("token_embd.weight", rng.standard_normal((n_vocab, N_EMBD)).astype(np.float16))
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    zero = np.zeros
    for i in range(N_LAYER):
        b = f"blk.{i}"
        w.add_tensor(f"{b}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        for name in ("attn_q", "attn_k", "attn_v"):
            w.add_tensor(f"{b}.{name}.weight", rng.standard_normal((N_EMBD, N_EMBD)).astype(np.float16))
        w.add_tensor(f"{b}.attn_output.weight", zero((N_EMBD, N_EMBD), np.float16))
        w.add_tensor(f"{b}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor(f"{b}.ffn_gate.weight", rng.standard_normal((N_FF, N_EMBD)).astype(np.float16))
        w.add_tensor(f"{b}.ffn_up.weight", rng.standard_normal((N_FF, N_EMBD)).astype(np.float16))
        w.add_tensor(f"{b}.ffn_down.weight", zero((N_EMBD, N_FF), np.float16))
    # No output.weight: llama.cpp ties it to token_embd, and an embedder never uses it.
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path
