"""Perplexity of a GGUF on a text, computed from llama.cpp's logits the way ``llama-perplexity`` does:
windows of ``n_ctx`` tokens (after a BOS when the model adds one), the second half of each scored.

Shared by the converters' validation (F16 vs quantized on the same token ids) and the evaluation's
per-model perplexity, so both report the same number for the same file and text.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .child_process import CancelEvent, capture_llama_log, run_in_child
from .errors import EngineError


def perplexity_from_logits(logits: np.ndarray, tokens: list[int], first: int) -> tuple[float, int]:
    """Sum of negative log-likelihoods of ``tokens[first+1:]`` given the logits before each, and the count."""
    scores = logits[first : len(tokens) - 1].astype(np.float64)
    targets = np.asarray(tokens[first + 1 :])
    peak = scores.max(axis=1, keepdims=True)
    log_z = peak[:, 0] + np.log(np.exp(scores - peak).sum(axis=1))
    nll = log_z - scores[np.arange(len(targets)), targets]
    return float(nll.sum()), len(targets)


def windows(tokens: list[int], n_ctx: int, bos: int | None) -> list[tuple[list[int], int]]:
    """(window, first scored position) pairs; short texts give one window scored from its middle."""
    body = n_ctx - (1 if bos is not None else 0)
    out: list[tuple[list[int], int]] = []
    for start in range(0, max(1, len(tokens)), body):
        chunk = tokens[start : start + body]
        if len(chunk) < 8 and out:
            break
        window = ([bos] if bos is not None else []) + chunk
        out.append((window, len(window) // 2))
    return out


def score_tokens(llm: Any, tokens: list[int], n_ctx: int, report: Callable[[Any], None]) -> tuple[float, int]:
    """(perplexity, tokens scored) of ``tokens`` under a ``llama_cpp.Llama`` made with ``logits_all``."""
    import llama_cpp

    bos = llm.token_bos() if llama_cpp.llama_vocab_get_add_bos(llm._model.vocab) else None
    nll, count = 0.0, 0
    parts = windows(tokens, n_ctx, bos)
    for i, (window, first) in enumerate(parts):
        llm.reset()
        llm.eval(window)
        part, n = perplexity_from_logits(np.asarray(llm.scores[: len(window)]), window, first)
        nll, count = nll + part, count + n
        report((i + 1, len(parts)))
    return (math.exp(nll / count) if count else float("nan")), count


def text_encoder(llm: Any, path: str) -> Callable[..., list[int]]:
    """How the model's text becomes ids: the SentencePiece model a Tomoshibi conversion embeds (what
    the engine uses for such files), else llama.cpp's own tokenizer."""
    from . import gguf_keys
    from .gguf_info import read_metadata_value
    from .tokenizer import LlamaCppTokenizer, SentencePieceTokenizer

    spm_b64 = read_metadata_value(path, gguf_keys.SPM_MODEL)
    if spm_b64:
        return SentencePieceTokenizer(str(spm_b64), llm.token_bos(), {}).encode
    return LlamaCppTokenizer(llm).encode


def _perplexity_in_child(report: Any, path: str, n_ctx: int, text: str) -> tuple[float, int, float]:
    import llama_cpp

    capture_llama_log()
    llm = llama_cpp.Llama(
        model_path=path, n_ctx=n_ctx, n_batch=n_ctx, logits_all=True, verbose=False, n_gpu_layers=0
    )
    started = time.monotonic()
    ppl, scored = score_tokens(llm, text_encoder(llm, path)(text, add_bos=False), n_ctx, report)
    return ppl, scored, time.monotonic() - started


def file_perplexity(
    path: str | Path, text: str, n_ctx: int = 512, cancel: CancelEvent | None = None
) -> tuple[float, int, float]:
    """(perplexity, tokens scored, seconds) of the GGUF ``path`` on ``text``, in a child process.

    Raises Cancelled, or EngineError when llama.cpp cannot load the file or dies.
    """
    return run_in_child(
        _perplexity_in_child, (str(path), n_ctx, text), what="Perplexity", cancel=cancel, failure=EngineError
    )
