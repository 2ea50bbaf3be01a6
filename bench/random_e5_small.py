"""A random-weight GGUF with the shape of multilingual-e5-small, for speed measurements only.

Embedding speed does not depend on the weights, only on the architecture and sizes, and on how many
tokens a text becomes: so this file has e5-small's exact shape (BERT, 12 layers, width 384, 12 heads,
FFN 1536, 512 positions, mean pooling, a 250,002-piece SentencePiece-unigram vocabulary like
XLM-R's) and a vocabulary built so that Japanese text splits into about as many pieces as XLM-R's
does (~1.5 characters a token: the single characters, plus the common two- and three-character runs
of the bench's own text). Its vectors mean nothing. Written once per folder and reused.

``write_random_ruri_v3_30m`` writes the same for ruri-v3-30m's shape (ModernBERT, about half e5-small's
work per token), with the same vocabulary builder, so both split Japanese text alike.

    .venv/bin/python bench/random_e5_small.py OUT.gguf [--type f16|bf16|q8_0|q4_0]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

N_LAYER, N_EMBD, N_HEAD, N_FF, N_CTX, N_VOCAB = 12, 384, 12, 1536, 512, 250_002
TYPES = ("f16", "bf16", "q8_0", "q4_0")


def _vocabulary(
    sample_text: Callable[[random.Random, int], str], n_vocab: int = N_VOCAB
) -> tuple[list[str], list[float]]:
    rng = random.Random(5)
    pieces = ["<s>", "<pad>", "</s>", "<unk>"]
    scores = [0.0, 0.0, 0.0, 0.0]
    seen = set(pieces)

    def add(piece: str, score: float) -> None:
        if piece not in seen and len(pieces) < n_vocab - 1:
            seen.add(piece)
            pieces.append(piece)
            scores.append(score)

    text = sample_text(rng, 400_000)
    runs: Counter[str] = Counter()
    for n in (2, 3):
        runs.update(text[i : i + n] for i in range(0, len(text) - n, 1))
    # Multi-character runs score above single characters, the most frequent best (as in a trained
    # unigram model), so the tokenizer prefers them where they occur.
    for rank, (piece, _) in enumerate(runs.most_common(120_000)):
        add(piece, -6.0 - rank / 40_000)
    for c in sorted(set(text)) + [chr(c) for c in range(0x20, 0x7F)] + ["▁"]:
        add(c, -12.0)
    for word in "the of and to in is for on that with as by it was be at from this are or an".split():
        add("▁" + word, -7.0)
    while len(pieces) < n_vocab - 1:  # the rest of a 250k vocabulary: rare pieces that cost only memory
        add("▁" + "".join(chr(0x61 + rng.randrange(26)) for _ in range(rng.randint(3, 9))), -15.0)
    pieces.append("<mask>")
    scores.append(0.0)
    return pieces, scores


def _add_unigram_tokenizer(w: Any, pieces: list[str], scores: list[float]) -> None:
    """The vocabulary as a SentencePiece unigram tokenizer (llama.cpp's "t5"), XLM-R's special ids."""
    import gguf

    w.add_tokenizer_model("t5")  # llama.cpp's name for SentencePiece unigram (XLM-R's tokenizer)
    w.add_tokenizer_pre("default")
    w.add_token_list(pieces)
    w.add_token_scores(scores)
    types = [gguf.TokenType.NORMAL] * len(pieces)
    for i in (0, 1, 2, len(pieces) - 1):
        types[i] = gguf.TokenType.CONTROL
    types[3] = gguf.TokenType.UNKNOWN
    w.add_token_types(types)
    w.add_bos_token_id(0)
    w.add_pad_token_id(1)
    w.add_eos_token_id(2)
    w.add_unk_token_id(3)
    w.add_add_bos_token(True)
    w.add_add_eos_token(True)
    w.add_add_space_prefix(True)
    w.add_remove_extra_whitespaces(True)


def _add_matrix(w: Any, rng: np.random.Generator, qt: Any, name: str, rows: int, cols: int) -> None:
    """A random weight matrix, F16 (``qt`` None) or quantized to ``qt``."""
    import gguf

    data = (rng.standard_normal((rows, cols)) * 0.05).astype(np.float32)
    if qt is None:
        w.add_tensor(name, data.astype(np.float16))
    else:
        w.add_tensor(name, gguf.quants.quantize(data, qt), raw_dtype=qt)


def _qtype(name: str) -> Any:
    """The gguf type of the matrices for a ``--type`` name; None for F16 (numpy's own float16)."""
    import gguf

    return None if name == "f16" else gguf.GGMLQuantizationType[name.upper()]


def write_random_e5_small(
    path: Path,
    sample_text: Callable[[random.Random, int], str],
    qtype: str = "f16",
    n_layer: int = N_LAYER,
    n_vocab: int = N_VOCAB,
) -> Path:
    """The file described above; a smaller ``n_layer``/``n_vocab`` only for tests of the encoder path."""
    import gguf

    rng = np.random.default_rng(0)
    pieces, scores = _vocabulary(sample_text, n_vocab)
    w = gguf.GGUFWriter(path, "bert")
    w.add_name("random multilingual-e5-small (bench only)")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_feed_forward_length(N_FF)
    w.add_block_count(n_layer)
    w.add_head_count(N_HEAD)
    w.add_layer_norm_eps(1e-12)
    w.add_causal_attention(False)
    w.add_pooling_type(gguf.PoolingType.MEAN)
    w.add_token_type_count(1)  # XLM-R has one token type
    _add_unigram_tokenizer(w, pieces, scores)

    qt = _qtype(qtype)

    def vector(n: int, value: float | None = None) -> np.ndarray:
        if value is not None:
            return np.full(n, value, np.float32)
        return (rng.standard_normal(n) * 0.02).astype(np.float32)

    w.add_tensor("token_embd.weight", (rng.standard_normal((len(pieces), N_EMBD)) * 0.05).astype(np.float16))
    w.add_tensor("token_types.weight", vector(N_EMBD).reshape(1, N_EMBD))
    w.add_tensor("position_embd.weight", (rng.standard_normal((N_CTX, N_EMBD)) * 0.05).astype(np.float32))
    w.add_tensor("token_embd_norm.weight", vector(N_EMBD, 1.0))
    w.add_tensor("token_embd_norm.bias", vector(N_EMBD))
    for i in range(n_layer):
        for part in ("attn_q", "attn_k", "attn_v", "attn_output"):
            _add_matrix(w, rng, qt, f"blk.{i}.{part}.weight", N_EMBD, N_EMBD)
            w.add_tensor(f"blk.{i}.{part}.bias", vector(N_EMBD))
        w.add_tensor(f"blk.{i}.attn_output_norm.weight", vector(N_EMBD, 1.0))
        w.add_tensor(f"blk.{i}.attn_output_norm.bias", vector(N_EMBD))
        _add_matrix(w, rng, qt, f"blk.{i}.ffn_up.weight", N_FF, N_EMBD)
        w.add_tensor(f"blk.{i}.ffn_up.bias", vector(N_FF))
        _add_matrix(w, rng, qt, f"blk.{i}.ffn_down.weight", N_EMBD, N_FF)
        w.add_tensor(f"blk.{i}.ffn_down.bias", vector(N_EMBD))
        w.add_tensor(f"blk.{i}.layer_output_norm.weight", vector(N_EMBD, 1.0))
        w.add_tensor(f"blk.{i}.layer_output_norm.bias", vector(N_EMBD))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


# ruri-v3-30m's shape (cl-nagoya/ruri-v3-30m's config.json: ModernBERT, 10 layers, width 256, 4 heads,
# GeGLU FFN 1024, a 102,400-piece Japanese SentencePiece vocabulary), the smaller encoder issue 14 names.
RURI_V3_30M = {"n_layer": 10, "n_embd": 256, "n_head": 4, "n_ff": 1024, "n_vocab": 102_400}


def write_random_ruri_v3_30m(
    path: Path, sample_text: Callable[[random.Random, int], str], qtype: str = "f16"
) -> Path:
    """A random-weight ModernBERT GGUF of ruri-v3-30m's shape, for speed only. Every layer attends
    globally (the real model's sliding-window layers attend over 128 tokens only), so it errs slow."""
    import gguf

    shape = RURI_V3_30M
    n_embd, n_ff, n_layer = shape["n_embd"], shape["n_ff"], shape["n_layer"]
    rng = np.random.default_rng(0)
    pieces, scores = _vocabulary(sample_text, shape["n_vocab"])
    w = gguf.GGUFWriter(path, "modern-bert")
    w.add_name("random ruri-v3-30m (bench only)")
    w.add_context_length(8192)
    w.add_embedding_length(n_embd)
    w.add_feed_forward_length(n_ff)
    w.add_block_count(n_layer)
    w.add_head_count(shape["n_head"])
    w.add_head_count_kv(shape["n_head"])
    w.add_layer_norm_eps(1e-5)
    w.add_rope_freq_base(160_000.0)
    w.add_causal_attention(False)
    w.add_pooling_type(gguf.PoolingType.MEAN)
    _add_unigram_tokenizer(w, pieces, scores)
    qt = _qtype(qtype)

    ones = np.ones(n_embd, np.float32)
    w.add_tensor("token_embd.weight", (rng.standard_normal((len(pieces), n_embd)) * 0.05).astype(np.float16))
    w.add_tensor("token_embd_norm.weight", ones)
    w.add_tensor("output_norm.weight", ones)
    for i in range(n_layer):
        if i:
            w.add_tensor(f"blk.{i}.attn_norm.weight", ones)
        _add_matrix(w, rng, qt, f"blk.{i}.attn_qkv.weight", 3 * n_embd, n_embd)
        _add_matrix(w, rng, qt, f"blk.{i}.attn_output.weight", n_embd, n_embd)
        _add_matrix(w, rng, qt, f"blk.{i}.ffn_up.weight", 2 * n_ff, n_embd)
        _add_matrix(w, rng, qt, f"blk.{i}.ffn_down.weight", n_embd, n_ff)
        w.add_tensor(f"blk.{i}.ffn_norm.weight", ones)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path


def main() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_documents import japanese_text

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument("--type", default="f16", choices=TYPES)
    args = parser.parse_args()
    write_random_e5_small(args.out, japanese_text, args.type)
    print(args.out, f"{args.out.stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
