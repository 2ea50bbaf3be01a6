"""Stop during prompt processing: how long from Stop to the end of the request, for a 2,000-token prompt.

    .venv/bin/python bench/bench_stop.py [--runs 7] [--threads 2]

Stop is pressed at a random moment while the engine reads the prompt. "abort callback" is the engine
as it ships (llama.cpp checks the cancel flag between graph operations); "between tokens" turns the
callback off, which is how the engine behaved before: Stop waited for the whole prompt. Medians and
worst case, in milliseconds. Target: ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.benchmark import prompt_ids  # noqa: E402
from models.bundled import bundled_model_path  # noqa: E402
from models.cancel import CancelToken  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import Finished, LoadConfig, SamplingParams  # noqa: E402


def stop_latency(engine: Engine, ids: list[int], delay: float) -> tuple[float, str]:
    token = CancelToken()
    box: dict[str, float | str] = {}

    def run() -> None:
        for event in engine.generate(ids, SamplingParams(temperature=0.0, max_tokens=8), cancel=token):
            if isinstance(event, Finished):
                box["end"] = time.perf_counter()
                box["reason"] = event.reason

    worker = threading.Thread(target=run)
    worker.start()
    time.sleep(delay)
    pressed = time.perf_counter()
    token.cancel()
    worker.join()
    return float(box["end"]) - pressed, str(box["reason"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--prompt-tokens", type=int, default=2000)
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="measure the shipped engine only (the baseline waits for the whole prompt: slow on a busy machine)",
    )
    parser.add_argument(
        "--max-delay", type=float, default=3.0, help="Stop at a random moment up to this many seconds in"
    )
    args = parser.parse_args()
    model = str(bundled_model_path())
    engines = {
        "abort callback": Engine.start(LoadConfig(model_path=model, n_ctx=4096, n_threads=args.threads))
    }
    if not args.no_baseline:
        engines["between tokens"] = Engine.start(
            LoadConfig(model_path=model, n_ctx=4096, n_threads=args.threads, extra={"abort_callback": False})
        )
    try:
        full = args.max_delay / 0.6
        results: dict[str, list[float]] = {name: [] for name in engines}
        rng = random.Random(1)
        for index in range(args.runs):
            delay = rng.uniform(0.2, max(0.3, full * 0.6))
            for name, engine in engines.items():  # interleaved
                ids = prompt_ids(
                    lambda t, e=engine: e.tokenize(t, add_special=False), index + 1, args.prompt_tokens
                )
                seconds, reason = stop_latency(engine, ids, delay)
                assert reason == "cancelled", reason
                results[name].append(seconds)
        for name, values in results.items():
            print(
                f"{name:16} Stop → request ended: median {statistics.median(values) * 1000:7.1f} ms, "
                f"worst {max(values) * 1000:7.1f} ms  ({args.runs} runs)"
            )
    finally:
        for engine in engines.values():
            engine.close()


if __name__ == "__main__":
    main()
