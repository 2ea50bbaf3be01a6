"""Prompt-lookup speculative decoding gives the greedy answer token for token, with the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.engine import Engine
from models.events import Finished, LoadConfig, SamplingParams, Token
from models.speculative import lookup_draft

GREEDY = SamplingParams(temperature=0.0, max_tokens=96, repeat_penalty=1.0)
PASSAGE = (
    "The Shinkansen opened in 1964 between Tokyo and Osaka. Trains run every few minutes at up to "
    "320 km/h, and the average delay is under one minute. The network now reaches Hokkaido and Kyushu."
)
REQUESTS = [
    [{"role": "user", "content": f"Rewrite this text in a friendly tone, keeping every fact:\n\n{PASSAGE}"}],
    [{"role": "user", "content": f"Copy every sentence that contains a number:\n\n{PASSAGE}"}],
    [{"role": "user", "content": "Tell me a short story about a lighthouse keeper."}],
]


def test_lookup_finds_what_followed_the_last_ngram() -> None:
    history = np.array([5, 6, 7, 8, 9, 1, 2, 6, 7], dtype=np.int32)
    assert lookup_draft(history, max_ngram=2, n_draft=3) == [8, 9, 1]
    assert lookup_draft(np.array([1, 2, 3], dtype=np.int32)) == []
    # One matching token is not enough to guess (a wrong guess costs a whole batch on a CPU).
    assert lookup_draft(np.array([5, 6, 7, 1, 2, 6], dtype=np.int32)) == []


def _answer(engine: Engine, messages) -> tuple[str, tuple[int, ...]]:
    ids: list[int] = []
    finished = None
    for event in engine.chat(messages, GREEDY):
        if isinstance(event, Token):
            ids.extend(event.token_ids)
        elif isinstance(event, Finished):
            finished = event
    assert isinstance(finished, Finished), finished
    return finished.text, tuple(ids)


@pytest.fixture(scope="module")
def engines(bundled_model: Path):
    base = dict(model_path=str(bundled_model), n_ctx=1024, n_threads=1)
    with (
        Engine.start(LoadConfig(**base, extra={"speculative": False})) as plain,
        Engine.start(LoadConfig(**base, extra={"speculative": True})) as fast,
    ):
        yield plain, fast


@pytest.mark.parametrize("index", range(len(REQUESTS)))
def test_greedy_output_is_identical_with_and_without_speculation(engines, index: int) -> None:
    plain, fast = engines
    assert _answer(fast, REQUESTS[index]) == _answer(plain, REQUESTS[index])
    # Again: both KV caches now hold the first answer, and the prompt is reused from the cache (which
    # can change near-ties by itself, so each is compared with the other, not with the first pass).
    assert _answer(fast, REQUESTS[index]) == _answer(plain, REQUESTS[index])
