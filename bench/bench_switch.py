"""Going back to a long conversation: first token after switching back vs a plain follow-up.

    .venv/bin/python bench/bench_switch.py [--runs 5] [--threads 2]

Two conversations of ~2,000 tokens each, A and B. Per round: a plain follow-up in A (its history is
in the KV cache), then one turn in B (which overwrites the cache), then back to A — with the
conversation key (the engine restores A's kept state) and without it (A is read again from the
start, as before). Finally the engine is restarted and A continued: its state comes from disk.
Every request comes 0.5 s after the previous answer, as a user's would (the engine copies the live
conversation's state in that idle time). Medians of time to first token; target: switch-back ≤ 1.2×
the plain follow-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.bundled import bundled_model_path  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import Finished, LoadConfig, SamplingParams, Token  # noqa: E402

PARAMS = SamplingParams(temperature=0.0, max_tokens=8, repeat_penalty=1.0)


def history(topic: str, target_tokens: int, engine: Engine) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": "You are Tomoshibi, a helpful assistant."}]
    turn = 0
    while engine.count_tokens(messages) < target_tokens:
        messages += [
            {"role": "user", "content": f"Tell me fact {turn} about {topic}, in detail. " * 6},
            {
                "role": "assistant",
                "content": f"Here is fact {turn} about {topic}: it is remarkable and well known. " * 8,
            },
        ]
        turn += 1
    return messages


THINK = 0.5  # seconds between requests: a user reads the answer and types (the engine's idle time)


def first_token(engine: Engine, messages: list[dict[str, str]], key: str | None) -> float:
    time.sleep(THINK)  # the same pause before every request, measured or not
    start = time.perf_counter()
    first = None
    for event in engine.chat(messages, PARAMS, conversation=key):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter()
        elif isinstance(event, Finished):
            first = first or time.perf_counter()
    return float(first) - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--tokens", type=int, default=2000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tomoshibi-kv-")
    config = LoadConfig(model_path=str(bundled_model_path()), n_ctx=4096, n_threads=args.threads,
                        extra={"kv_cache_dir": folder})  # fmt: skip
    figures: dict[str, list[float]] = {"plain follow-up": [], "switch back (kept state)": [],
                                       "switch back (no key: re-read)": []}  # fmt: skip
    with Engine.start(config) as engine:
        a, b = history("Mount Fuji", args.tokens, engine), history("the Seto Inland Sea", args.tokens, engine)
        print(f"conversation A: {engine.count_tokens(a)} tokens, B: {engine.count_tokens(b)} tokens")
        first_token(engine, a + [{"role": "user", "content": "Start."}], "A")
        for index in range(args.runs):
            question = [{"role": "user", "content": f"And question {index}?"}]
            a_now = a + [{"role": "user", "content": "Start."}, {"role": "assistant", "content": "OK."}]
            first_token(engine, a_now + question, "A")  # A's newest turn is now cached
            figures["plain follow-up"].append(
                first_token(
                    engine,
                    a_now
                    + question
                    + [{"role": "assistant", "content": "Yes."}, {"role": "user", "content": "More?"}],
                    "A",
                )
            )
            first_token(engine, b + question, "B")
            figures["switch back (kept state)"].append(
                first_token(
                    engine,
                    a_now
                    + question
                    + [{"role": "assistant", "content": "Yes."}, {"role": "user", "content": "Again?"}],
                    "A",
                )
            )
            first_token(engine, b + question, None)
            figures["switch back (no key: re-read)"].append(
                first_token(
                    engine,
                    a_now
                    + question
                    + [{"role": "assistant", "content": "Yes."}, {"role": "user", "content": "Once more?"}],
                    None,
                )
            )
        first_token(engine, b + [{"role": "user", "content": "Last."}], "B")  # A's state is now kept, B live
    with Engine.start(config) as engine:  # a new engine: A comes back from disk
        disk = first_token(engine, a + [{"role": "user", "content": "After a restart?"}], "A")
    plain = statistics.median(figures["plain follow-up"])
    for name, values in figures.items():
        median = statistics.median(values)
        print(
            f"{name:32} first token median {median * 1000:8.1f} ms   ({median / plain:5.2f}× the plain follow-up)"
        )
    print(
        f"{'after a restart (state from disk)':32} first token        {disk * 1000:8.1f} ms   ({disk / plain:5.2f}×)"
    )


if __name__ == "__main__":
    main()
