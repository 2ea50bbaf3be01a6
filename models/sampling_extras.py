"""What the engine process adds to llama-cpp-python's sampling for OpenAI's parameters.

Runs inside the engine process (``models.worker`` calls it): a grammar check with llama.cpp's own parser,
``logit_bias`` as a logits processor, per-token log-probabilities read from the context's logits, the
check that prompt token ids belong to the vocabulary, and how much of a prompt the KV cache already holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .errors import ConfigError

# llama.cpp's grammar parser refuses a repetition above this many copies (MAX_REPETITION_THRESHOLD).
LLAMA_REPETITION_LIMIT = 2000


def check_grammar(vocab: Any, grammar: str) -> None:
    """ConfigError unless llama.cpp itself can build ``grammar``.

    llama-cpp-python does not look at llama.cpp's answer: a grammar llama.cpp refuses (too many
    repetitions, an undefined rule, left recursion) becomes a NULL sampler and the process segfaults
    at the first token. Building it once here, with the same function, turns that into an error.
    """
    import llama_cpp

    sampler = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode("utf-8"), b"root")
    if not sampler:
        raise ConfigError(
            "llama.cpp cannot build the output grammar (too many repetitions or rules, or a malformed rule).",
            "Simplify the JSON schema: smaller maxLength/maxItems and {m,n} bounds, fewer nested levels.",
        )
    llama_cpp.llama_sampler_free(sampler)


def check_token_ids(tokens: Sequence[int], n_vocab: int) -> None:
    """ConfigError for an id outside the vocabulary (llama_decode aborts on one)."""
    for token in tokens:
        if not 0 <= token < n_vocab:
            raise ConfigError(
                f"Token id {token} is not in the model's vocabulary (0 to {n_vocab - 1}).",
                "Send token ids from this model's tokenizer.",
            )


def logits_processors(bias: Sequence[tuple[int, float]]) -> list[Any] | None:
    """llama-cpp-python logits processors applying OpenAI's ``logit_bias`` (-100 bans, +100 forces)."""
    if not bias:
        return None
    import numpy as np

    ids = np.array([t for t, _ in bias], dtype=np.intc)
    values = np.array([-np.inf if b <= -100 else b for _, b in bias], dtype=np.single)

    def apply(_input_ids: Any, logits: Any) -> Any:
        # The custom sampler runs first in the chain, so ``logits`` is the whole vocabulary in id order.
        if len(logits) > int(ids.max()):
            logits[ids] += values
        return logits

    return [apply]


def token_logprobs(llm: Any, token: int, top_n: int) -> tuple[str, float, tuple[tuple[str, float], ...]]:
    """(text, logprob, top alternatives) of ``token``, read from the logits that chose it.

    Called right after llama-cpp-python yields the token: the context's last logits are still the
    ones it was sampled from (the token itself is evaluated on the next step).
    """
    import llama_cpp
    import numpy as np

    n_vocab = llm.n_vocab()
    pointer = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    logits = np.ctypeslib.as_array(pointer, shape=(n_vocab,)).astype(np.float64)
    peak = float(logits.max())
    log_total = peak + float(np.log(np.exp(logits - peak).sum()))

    def text(t: int) -> str:
        return llm.detokenize([int(t)], special=True).decode("utf-8", errors="replace")

    top: tuple[tuple[str, float], ...] = ()
    if top_n > 0:
        best = np.argpartition(-logits, min(top_n, n_vocab - 1))[:top_n]
        best = best[np.argsort(-logits[best])]
        top = tuple((text(int(t)), float(logits[t]) - log_total) for t in best)
    return text(token), float(logits[token]) - log_total, top


def cached_prefix(llm: Any, tokens: Sequence[int]) -> int:
    """Prompt tokens the KV cache already holds from the previous request (llama-cpp-python reuses them)."""
    held = llm._input_ids[: llm.n_tokens]
    count = 0
    for a, b in zip(held, tokens, strict=False):
        if a != b:
            break
        count += 1
    return min(count, max(0, len(tokens) - 1))
