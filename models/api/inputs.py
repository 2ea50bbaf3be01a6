"""Reading the inputs of completions and embeddings: text, or token ids checked against the vocabulary."""

from __future__ import annotations

import math
from typing import Any

from . import protocol as p


def check_ids(tokens: list[int], n_vocab: int, param: str) -> None:
    for token in tokens:
        if not 0 <= token < n_vocab:
            raise p.bad_request(
                f"Token id {token} is not in the model's vocabulary (0 to {n_vocab - 1}).",
                param,
                "invalid_token_id",
            )


def shorten(vector: list[float], size: int) -> list[float]:
    """OpenAI's ``dimensions``: the first ``size`` values, normalised again to length 1."""
    head = vector[:size]
    norm = math.sqrt(math.fsum(x * x for x in head)) or 1.0
    return [x / norm for x in head]


MAX_INPUTS = 2048  # OpenAI's limit on inputs per embeddings request


def _token_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(t, int) and not isinstance(t, bool) for t in value)
    )


def embedding_inputs(raw: Any) -> list[str | list[int]]:
    """Strings and token-id lists (what LangChain's OpenAIEmbeddings sends by default)."""
    if isinstance(raw, str):
        items: list[Any] = [raw]
    elif _token_list(raw):
        items = [raw]
    elif isinstance(raw, list) and raw and all(isinstance(x, str) or _token_list(x) for x in raw):
        items = list(raw)
    else:
        raise p.bad_request("'input' must be a string, a list of strings, or token ids.", "input")
    if len(items) > MAX_INPUTS:
        raise p.bad_request(f"At most {MAX_INPUTS} inputs per request.", "input")
    if any(isinstance(x, str) and not x for x in items):
        raise p.bad_request("'input' must not contain empty strings.", "input")
    return items


def prompts(prompt: Any) -> list[str | list[int]]:
    if isinstance(prompt, str):
        return [prompt]
    if _token_list(prompt):
        return [list(prompt)]
    if isinstance(prompt, list) and prompt:
        if all(isinstance(x, str) for x in prompt):
            return list(prompt)
        if all(_token_list(x) for x in prompt):
            return [list(x) for x in prompt]
    raise p.bad_request("'prompt' must be a string, a list of strings, or token ids.", "prompt")
