"""A warm first answer: the first request after loading vs the second, with and without the warm-up.

    .venv/bin/python bench/bench_warmup.py [--threads 2] [--gen-tokens 32]

Prints time to first token and decode tokens/s of request 1 and request 2 (different prompts of the
same length) on a freshly loaded engine, with the engine's warm-up (as shipped) and without it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.benchmark import measure_engine, prompt_ids  # noqa: E402
from models.bundled import bundled_model_path  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import LoadConfig  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--gen-tokens", type=int, default=32)
    args = parser.parse_args()
    for name, extra in (("with warm-up", {}), ("without warm-up", {"no_warmup": True})):
        config = LoadConfig(
            model_path=str(bundled_model_path()), n_ctx=1024, n_threads=args.threads, extra=extra
        )
        with Engine.start(config) as engine:
            runs = []
            for index in range(2):
                ids = prompt_ids(lambda t, e=engine: e.tokenize(t, add_special=False), index, 50)
                runs.append(measure_engine(engine, ids, args.gen_tokens))
        first, second = runs
        print(
            f"{name:16} request 1: first token {first.ttft * 1000:7.0f} ms, {first.tokens_per_second:6.1f} tok/s   "
            f"request 2: {second.ttft * 1000:7.0f} ms, {second.tokens_per_second:6.1f} tok/s   "
            f"first ÷ second time to first token: {first.ttft / second.ttft:.2f}"
        )


if __name__ == "__main__":
    main()
