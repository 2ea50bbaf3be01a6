"""Decode speed on a busy machine, per thread count and thread-waiting policy.

    .venv/bin/python bench/bench_threads.py [--runs 3] [--busy 0,1]

For each machine state (``--busy``: cores kept busy in the background by ``stress-ng --cpu N`` when
installed, else Python spin loops), the engine decodes 128 tokens with each setting, interleaved round
by round. llama.cpp's CPU threads meet at a barrier after every operation; when one of them has lost
its core, the others either spin (OpenMP's default, ~300,000 turns), spin briefly then sleep
("short") or sleep at once ("passive"). Prints the table the default is chosen from.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.benchmark import measure_engine, prompt_ids  # noqa: E402
from models.bundled import bundled_model_path  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import LoadConfig  # noqa: E402


def busy(cores: int) -> list[subprocess.Popen]:
    if cores <= 0:
        return []
    if shutil.which("stress-ng"):
        return [subprocess.Popen(["stress-ng", "--cpu", str(cores), "--quiet"])]
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--busy", default="0,1", help="cores kept busy in the background, per table")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--waits", default="default,short,passive")
    args = parser.parse_args()
    model = str(bundled_model_path())
    settings = list(itertools.product([int(t) for t in args.threads.split(",")], args.waits.split(",")))
    engines = {
        (threads, wait): Engine.start(
            LoadConfig(model_path=model, n_ctx=1024, n_threads=threads, extra={"thread_wait": wait})
        )
        for threads, wait in settings
    }
    states = [int(b) for b in args.busy.split(",")]
    speeds: dict[tuple[int, int, str], list[float]] = {}
    try:
        for cores in states:
            spinners = busy(cores)
            try:
                for index in range(args.runs):
                    for key, engine in engines.items():
                        ids = prompt_ids(lambda t, e=engine: e.tokenize(t, add_special=False), index, 32)
                        run = measure_engine(engine, ids, 128)
                        speeds.setdefault((cores, *key), []).append(run.tokens_per_second)
            finally:
                for spinner in spinners:
                    spinner.terminate()
    finally:
        for engine in engines.values():
            engine.close()
    print(f"decode tokens/s, median of {args.runs}, by cores kept busy in the background")
    print(f"{'threads':>8} {'wait':>8}" + "".join(f" {f'busy {c}':>8}" for c in states))
    for threads, wait in settings:
        row = "".join(f" {statistics.median(speeds[(c, threads, wait)]):8.1f}" for c in states)
        print(f"{threads:8} {wait:>8}{row}")


if __name__ == "__main__":
    main()
