"""Faster than one token at a time: prompt-lookup speculative decoding for greedy answers.

When an answer quotes its prompt (rewriting, extraction, documents, code), the next tokens can be
guessed by finding the last few generated tokens earlier in the prompt and copying what followed
(prompt-lookup decoding, https://github.com/apoorvumang/prompt-lookup-decoding). The guesses and the
current token are decoded in one batch; every guess that equals the model's own greedy choice is
accepted, so several tokens cost one decode — and the output is the greedy output, token for token.

Used for greedy requests only (temperature 0, no repeat penalty, no grammar): there "the model's own
choice" is the argmax and verifying a guess is exact. A draft *model* with the same vocabulary plugs
in as another ``propose`` function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

MAX_NGRAM = 3
MIN_NGRAM = 2  # one matching token guesses wrong most of the time, and a wrong guess costs a batch
MAX_DRAFT = 10
FIRST_DRAFT = 3


def lookup_draft(
    history: np.ndarray, max_ngram: int = MAX_NGRAM, n_draft: int = MAX_DRAFT, min_ngram: int = MIN_NGRAM
) -> list[int]:
    """Tokens that followed the latest earlier occurrence of the history's last n-gram (longest n first)."""
    length = len(history)
    for n in range(min(max_ngram, length - 1), min_ngram - 1, -1):
        tail = history[length - n :]
        windows = np.lib.stride_tricks.sliding_window_view(history[: length - 1], n)
        hits = np.nonzero(np.all(windows == tail, axis=1))[0]
        for start in hits[::-1]:  # the most recent occurrence first: it is the most likely to go on
            begin = int(start) + n
            if begin < length:
                return [int(t) for t in history[begin : min(begin + n_draft, length)]]
    return []


def speculative_greedy(
    llm: Any, tokens: Sequence[int], propose: Callable[[np.ndarray], list[int]] = lookup_draft
) -> Iterator[int]:
    """Greedy tokens after ``tokens`` (the same ones ``llm.generate(temp=0)`` gives), several per decode
    when ``propose`` guesses right. Keeps llama-cpp-python's ``input_ids``/``n_tokens`` in step with
    the KV cache, so its prefix reuse works for the next request as usual.

    On a CPU a batch costs nearly as many times a single token as it has tokens beyond a few, so a
    long wrong guess is expensive: the guess grows by two while all of it is accepted and shrinks to
    what was accepted (at least one) when it is not (the schedule of Hugging Face's assisted
    generation)."""
    import llama_cpp

    ctx, n_vocab, n_ctx = llm._ctx.ctx, llm.n_vocab(), llm.n_ctx()
    prompt = list(tokens)
    # Reuse the cached prefix, as llm.generate does; at least the last prompt token is decoded again
    # so that its logits are fresh.
    keep = 0
    for a, b in zip(llm.input_ids[: llm.n_tokens], prompt, strict=False):
        if a != b:
            break
        keep += 1
    keep = min(keep, len(prompt) - 1)
    llm.n_tokens = keep
    llm.eval(prompt[keep:])

    def argmax(index: int) -> int:
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, index), shape=(n_vocab,))
        return int(np.argmax(logits))

    token = argmax(-1)
    history = np.asarray(prompt + [token], dtype=np.int32)
    n_draft = FIRST_DRAFT
    while True:
        yield token
        room = n_ctx - llm.n_tokens - 1
        if room <= 0:
            return
        draft = propose(history)[: max(0, min(n_draft, room - 1))]
        batch = [token, *draft]
        n_past = llm.n_tokens
        llm._batch.set_batch(batch=batch, n_past=n_past, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm.input_ids[n_past : n_past + len(batch)] = batch
        accepted: list[int] = []
        for index in range(len(batch)):
            choice = argmax(index)
            accepted.append(choice)
            if index >= len(draft) or draft[index] != choice:
                break
        # batch[0] and the drafts that matched are now in the cache; the rest is thrown away.
        llm.n_tokens = n_past + len(accepted)
        if len(accepted) < len(batch):
            llm._ctx.kv_cache_seq_rm(-1, llm.n_tokens, -1)
        if draft:
            matched = len(accepted) - 1
            n_draft = min(MAX_DRAFT, n_draft + 2) if matched == len(draft) else max(1, matched)
        history = np.concatenate([history, np.asarray(accepted, dtype=np.int32)])
        yield from accepted[:-1]
        token = accepted[-1]
