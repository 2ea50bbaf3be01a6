"""Going back to a conversation reuses its kept KV state (models.kv_cache), and answers exactly as a
fresh read of the whole conversation would (greedy), from memory, after idle time, and from disk."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from models.bundled import bundled_model_path
from models.engine import Engine
from models.events import Finished, LoadConfig, SamplingParams

GREEDY = SamplingParams(temperature=0.0, max_tokens=12)


def history(topic: str) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": "You are a helpful assistant."}]
    for turn in range(4):
        messages += [
            {"role": "user", "content": f"Tell me fact {turn} about {topic}, briefly."},
            {
                "role": "assistant",
                "content": f"Fact {turn} about {topic}: it is old, large and well known. " * 2,
            },
        ]
    return messages


A = history("Mount Fuji") + [{"role": "user", "content": "And how high is it?"}]
B = history("the Seto Inland Sea") + [{"role": "user", "content": "And how deep is it?"}]


def ask(engine: Engine, messages: list[dict[str, str]], key: str | None) -> Finished:
    events = list(engine.chat(messages, GREEDY, conversation=key))
    finished = events[-1]
    assert isinstance(finished, Finished), finished
    return finished


def config(folder: Path | str) -> LoadConfig:
    return LoadConfig(model_path=str(bundled_model_path()), n_ctx=2048, extra={"kv_cache_dir": str(folder)})


@pytest.fixture(scope="module")
def fresh_answers() -> dict[str, str]:
    """Each conversation read from the start by an engine that keeps nothing."""
    with Engine.start(config("")) as engine:
        return {"A": ask(engine, A, None).text, "B": ask(engine, B, None).text}


@pytest.mark.parametrize("pause", [0.0, 0.3], ids=["at-once", "after-idle"])
def test_switching_back_restores_the_state_and_answers_the_same(
    tmp_path: Path, fresh_answers: dict[str, str], pause: float
) -> None:
    with Engine.start(config(tmp_path)) as engine:
        first = ask(engine, A, "A")
        time.sleep(pause)  # 0.3 s: the engine copies A's state while idle
        ask(engine, B, "B")  # overwrites the live cache
        time.sleep(pause)
        back = ask(engine, A, "A")
    assert first.text == back.text == fresh_answers["A"]
    # A's whole prompt came back from the kept state: only the last token is decoded again.
    assert back.cached_tokens >= back.prompt_tokens - 1 > 100


def test_a_conversation_comes_back_from_disk_after_a_restart(
    tmp_path: Path, fresh_answers: dict[str, str]
) -> None:
    with Engine.start(config(tmp_path)) as engine:
        ask(engine, A, "A")
        ask(engine, B, "B")
    assert list(tmp_path.glob("*.kvstate"))  # written while idle or at close
    with Engine.start(config(tmp_path)) as engine:
        again = ask(engine, A, "A")
    assert again.text == fresh_answers["A"]
    assert again.cached_tokens >= again.prompt_tokens - 1


def test_without_a_key_the_conversation_is_read_again(tmp_path: Path) -> None:
    with Engine.start(config(tmp_path)) as engine:
        ask(engine, A, None)
        ask(engine, B, None)
        back = ask(engine, A, None)
    assert back.cached_tokens < back.prompt_tokens // 2
