"""The engine's own token loop: llama_decode and llama.cpp's sampler chain, with nothing per token in
Python but the loop itself.

``Llama.generate`` from llama-cpp-python costs ~1 ms a token above llama.cpp on a small model
(bench/bench_engine.py: 0.86× llama-bench's decode): each token goes through its Python batch setup,
a copy of the whole vocabulary's logits into a NumPy score table and a Python sampler wrapper. Here a
token is one ``llama_decode`` of a one-token batch and one ``llama_sampler_sample`` of the same chain
llama-cpp-python builds (penalties, top-k, typical, top-p, min-p, temperature, then a seeded draw, or
greedy), so what is left is llama.cpp's own time.

Requests that need llama-cpp-python's Python hooks (a grammar, ``logit_bias``, log-probabilities) still
use ``Llama.generate``. The loop keeps the Llama object's ``input_ids``/``n_tokens`` in step with the KV
cache, so its prefix reuse, ``models.kv_cache`` and the next ``generate`` see what is there.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .events import SamplingParams

# llama-cpp-python's Llama(last_n_tokens_size=64): how far back the repeat penalties look.
PENALTY_LAST_N = 64


def sampler_chain(llama_cpp: Any, params: SamplingParams, seed: int, n_vocab: int) -> Any:
    """llama.cpp's sampler chain for ``params``, in llama-cpp-python's order (``Llama._init_sampler``)."""
    chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    add = lambda sampler: llama_cpp.llama_sampler_chain_add(chain, sampler)  # noqa: E731
    if _penalised(params):
        add(
            llama_cpp.llama_sampler_init_penalties(
                n_vocab,
                PENALTY_LAST_N,
                params.repeat_penalty,
                params.frequency_penalty,
                params.presence_penalty,
            )
        )
    if params.temperature <= 0:
        add(llama_cpp.llama_sampler_init_greedy())
        return chain
    add(llama_cpp.llama_sampler_init_top_k(params.top_k))
    add(llama_cpp.llama_sampler_init_typical(1.0, 1))
    add(llama_cpp.llama_sampler_init_top_p(params.top_p, 1))
    add(llama_cpp.llama_sampler_init_min_p(params.min_p, 1))
    add(llama_cpp.llama_sampler_init_temp(params.temperature))
    add(llama_cpp.llama_sampler_init_dist(seed & 0xFFFFFFFF))
    return chain


def _penalised(params: SamplingParams) -> bool:
    return params.repeat_penalty != 1.0 or bool(params.presence_penalty or params.frequency_penalty)


def fits(params: SamplingParams) -> bool:
    """Whether this loop can answer ``params`` (no Python hook in the sampler)."""
    return not params.grammar and not params.logit_bias and params.logprobs is None


def _decode(llama_cpp: Any, ctx: Any, ids: Any, count: int) -> None:
    code = llama_cpp.llama_decode(ctx, llama_cpp.llama_batch_get_one(ids, count))
    if code != 0:  # 2: stopped by the abort callback (Stop); 1: no room in the KV cache
        raise RuntimeError(f"llama_decode returned {code}")


def sampled_tokens(llm: Any, tokens: Sequence[int], params: SamplingParams, seed: int) -> Iterator[int]:
    """Tokens after the prompt ``tokens``, one at a time, as ``llm.generate`` with the same settings
    gives them. The prompt's longest prefix already in the KV cache is not read again (at least its
    last token is, for fresh logits)."""
    import llama_cpp

    ctx = llm._ctx.ctx
    prompt = list(tokens)
    keep = 0
    held = llm.input_ids  # the whole array (_input_ids is its first n_tokens)
    for a, b in zip(held[: llm.n_tokens], prompt, strict=False):
        if a != b:
            break
        keep += 1
    keep = min(keep, len(prompt) - 1)
    llm.n_tokens = keep
    llm._ctx.kv_cache_seq_rm(-1, keep, -1)
    chain = sampler_chain(llama_cpp, params, seed, llm.n_vocab())
    try:
        n_batch = max(1, int(llm.n_batch))
        rest = prompt[keep:]
        for start in range(0, len(rest), n_batch):
            piece = rest[start : start + n_batch]
            _decode(llama_cpp, ctx, (llama_cpp.llama_token * len(piece))(*piece), len(piece))
            held[llm.n_tokens : llm.n_tokens + len(piece)] = piece
            llm.n_tokens += len(piece)
        one = (llama_cpp.llama_token * 1)()
        sample, decode = llama_cpp.llama_sampler_sample, llama_cpp.llama_decode
        batch_one = llama_cpp.llama_batch_get_one
        n_ctx = llm.n_ctx()
        if params.temperature <= 0 and not _penalised(params):
            # Greedy: the argmax of the logits llama.cpp already holds, without the chain's copy of the
            # whole vocabulary into a candidates array (~0.1 ms a token on a 49k vocabulary).
            import numpy as np

            n_vocab = llm.n_vocab()
            logits_at = llama_cpp.llama_get_logits_ith

            def sample(_chain: Any, ctx: Any, index: int) -> int:
                return int(np.argmax(np.ctypeslib.as_array(logits_at(ctx, index), shape=(n_vocab,))))

        while True:
            token = sample(chain, ctx, -1)
            yield token
            if llm.n_tokens >= n_ctx:
                return
            one[0] = token
            code = decode(ctx, batch_one(one, 1))
            if code != 0:
                raise RuntimeError(f"llama_decode returned {code}")
            held[llm.n_tokens] = token
            llm.n_tokens += 1
    finally:
        llama_cpp.llama_sampler_free(chain)
