"""Tiny GGUF files for tests, written with the ``gguf`` package's own writer (llama architecture keys)."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

CHAT_TEMPLATE = (
    "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)

# The tiny model's shape: 2 layers, n_embd 64, 4 heads of which 2 KV heads, vocab 8, n_ff 128.
N_LAYER, N_EMBD, N_HEAD, N_HEAD_KV, N_FF, N_VOCAB, N_CTX = 2, 64, 4, 2, 128, 8, 256


def _quantized(rng: np.random.Generator, qtype: object, rows: int, cols: int) -> np.ndarray:
    import gguf

    block, size = gguf.GGML_QUANT_SIZES[qtype]
    return rng.integers(0, 256, size=(rows, cols // block * size), dtype=np.uint8)


def write_tiny_gguf(
    path: Path, *, extra_kv: dict[str, str] | None = None, seed: int = 0, split_max_tensors: int = 0
) -> Path:
    """A llama-architecture GGUF with F32, F16, Q8_0, Q4_0 and Q4_K tensors and a ChatML template.

    Only ever inspected, never run: the weights are random bytes. ``TINY_PARAMS`` is its element count.
    With ``split_max_tensors`` the writer makes parts ``tiny-00001-of-0000N.gguf`` ... next to ``path``.
    """
    import gguf

    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(path, "llama", split_max_tensors=split_max_tensors)
    w.add_name("Tiny Test Llama")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    w.add_tokenizer_model("llama")
    tokens = ["<unk>", "<s>", "</s>", "a", "b", "c", "\n", "▁"]
    w.add_token_list(tokens)
    w.add_token_scores([0.0] * len(tokens))
    w.add_token_types([2, 3, 3, 1, 1, 1, 1, 1])
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_chat_template(CHAT_TEMPLATE)
    for key, value in (extra_kv or {}).items():
        w.add_string(key, value)

    Q4_0, Q8_0, Q4_K = (gguf.GGMLQuantizationType.Q4_0, gguf.GGMLQuantizationType.Q8_0,
                        gguf.GGMLQuantizationType.Q4_K)  # fmt: skip
    w.add_tensor("token_embd.weight", rng.standard_normal((N_VOCAB, N_EMBD)).astype(np.float16))
    w.add_tensor("output_norm.weight", np.ones(N_EMBD, dtype=np.float32))
    kv = N_EMBD * N_HEAD_KV // N_HEAD
    for i in range(N_LAYER):
        b = f"blk.{i}"
        w.add_tensor(f"{b}.attn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor(f"{b}.attn_q.weight", _quantized(rng, Q4_0, N_EMBD, N_EMBD), raw_dtype=Q4_0)
        w.add_tensor(f"{b}.attn_k.weight", _quantized(rng, Q4_0, kv, N_EMBD), raw_dtype=Q4_0)
        w.add_tensor(f"{b}.attn_v.weight", _quantized(rng, Q8_0, kv, N_EMBD), raw_dtype=Q8_0)
        w.add_tensor(f"{b}.attn_output.weight", _quantized(rng, Q4_0, N_EMBD, N_EMBD), raw_dtype=Q4_0)
        w.add_tensor(f"{b}.ffn_norm.weight", np.ones(N_EMBD, dtype=np.float32))
        w.add_tensor(f"{b}.ffn_gate.weight", _quantized(rng, Q4_0, N_FF, N_EMBD), raw_dtype=Q4_0)
        w.add_tensor(f"{b}.ffn_up.weight", _quantized(rng, Q4_0, N_FF, N_EMBD), raw_dtype=Q4_0)
        w.add_tensor(f"{b}.ffn_down.weight", _quantized(rng, Q4_0, N_EMBD, N_FF), raw_dtype=Q4_0)
    # Q4_K blocks hold 256 elements, wider than n_embd: this tensor has 256-wide rows (shape only).
    w.add_tensor("output.weight", _quantized(rng, Q4_K, N_VOCAB, 256), raw_dtype=Q4_K)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


# Elements per tensor, summed by hand from the shapes above.
_LAYER = N_EMBD + N_EMBD * N_EMBD + 32 * N_EMBD + 32 * N_EMBD + N_EMBD * N_EMBD + N_EMBD + 3 * N_FF * N_EMBD
TINY_PARAMS = N_VOCAB * N_EMBD + N_EMBD + N_LAYER * _LAYER + N_VOCAB * 256


# --- hand-built files, for corruptions the gguf writer refuses to produce -------------------------


def gguf_string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def kv_string(key: str, value: str) -> bytes:
    return gguf_string(key) + struct.pack("<I", 8) + gguf_string(value)


def kv_u32(key: str, value: int) -> bytes:
    return gguf_string(key) + struct.pack("<II", 4, value)


def tensor_info(name: str, dims: tuple[int, ...], ggml_type: int, offset: int) -> bytes:
    return (
        gguf_string(name)
        + struct.pack("<I", len(dims))
        + b"".join(struct.pack("<Q", d) for d in dims)
        + struct.pack("<IQ", ggml_type, offset)
    )


def raw_gguf(
    kvs: list[bytes],
    tensors: list[bytes],
    data: bytes = b"",
    *,
    version: int = 3,
    n_tensors: int | None = None,
    n_kv: int | None = None,
    alignment: int = 32,
) -> bytes:
    """A GGUF file from pre-encoded KVs and tensor infos, padded to ``alignment`` before ``data``."""
    head = b"GGUF" + struct.pack(
        "<IQQ", version, len(tensors) if n_tensors is None else n_tensors, len(kvs) if n_kv is None else n_kv
    )
    body = head + b"".join(kvs) + b"".join(tensors)
    pad = -len(body) % alignment
    return body + b"\0" * pad + data


def minimal_gguf(data_bytes: int = 64, **tensor: object) -> bytes:
    """One F32 tensor 'w' of 16 elements (64 bytes) after an architecture key."""
    name = str(tensor.get("name", "w"))
    dims = tuple(tensor.get("dims", (16,)))  # type: ignore[arg-type]
    ggml_type = int(tensor.get("ggml_type", 0))  # type: ignore[call-overload]
    offset = int(tensor.get("offset", 0))  # type: ignore[call-overload]
    return raw_gguf(
        [kv_string("general.architecture", "llama")],
        [tensor_info(name, dims, ggml_type, offset)],
        b"\0" * data_bytes,
    )
