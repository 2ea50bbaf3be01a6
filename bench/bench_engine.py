"""Engine vs raw llama-cpp-python on the bundled model, in one run.

    .venv/bin/python bench/bench_engine.py [--runs 9] [--threads 2]

Prints median tokens/s of both (engine measured from the caller's side, so the child-process hop is
included), their ratio (target ≥ 0.97), and time to first token for a 50-token prompt (target ≤ 50 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from models.benchmark import compare, follow_up_ttft  # noqa: E402
from models.bundled import bundled_model_path  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import LoadConfig  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--model", default=str(bundled_model_path()))
    args = parser.parse_args()
    config = LoadConfig(model_path=args.model, n_ctx=2048, n_threads=args.threads)
    ours, raw = compare(config, runs=args.runs, n_prompt=50, n_gen=args.gen_tokens)
    ratios = [o.tokens_per_second / r.tokens_per_second for o, r in zip(ours.runs, raw.runs, strict=True)]
    print(f"model            {Path(args.model).name}   runs {args.runs}   prompt 50 tokens, up to {args.gen_tokens} generated")
    for result in (ours, raw):
        print(
            f"{result.name:24} tokens/s median {result.median_tps:7.1f}   first token median "
            f"{result.median_ttft * 1000:6.1f} ms   peak RSS {result.peak_rss / 1e6:6.0f} MB"
        )
    print(f"engine ÷ raw tokens/s: median of per-run ratios {statistics.median(ratios):.3f}, "
          f"ratio of medians {ours.median_tps / raw.median_tps:.3f}   (target ≥ 0.97)")
    print(f"engine time to first token (50-token prompt): {ours.median_ttft * 1000:.1f} ms   (target ≤ 50 ms); "
          f"raw llama.cpp needs {raw.median_ttft * 1000:.1f} ms for the same prompt")
    with Engine.start(config) as engine:
        print(f"engine time to first token of a chat follow-up (history cached): {follow_up_ttft(engine) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
