"""Engine vs bare llama-cpp-python vs llama.cpp's own llama-bench on the bundled model, in one run.

    bench/build_llama_bench.sh            # once: builds bench/.llama-bench/bin/llama-bench
    .venv/bin/python bench/bench_engine.py [--runs 10] [--threads 2] [--llama-bench PATH]

Rounds are interleaved (engine, raw loop, llama-bench, then again), figures are medians, and the
ratios are engine ÷ the others (target ≥ 0.97 for decode, pp64, pp512 and first token). Also prints
the first token of a chat follow-up (history cached). On a shared machine only the ratios mean much.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.benchmark import compare, follow_up_ttft, report  # noqa: E402
from models.bundled import bundled_model_path  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import LoadConfig  # noqa: E402

DEFAULT_LLAMA_BENCH = ROOT / "bench" / ".llama-bench" / "bin" / "llama-bench"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--prompt-tokens", type=int, default=50)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--model", default=str(bundled_model_path()))
    parser.add_argument(
        "--llama-bench", default=str(DEFAULT_LLAMA_BENCH) if DEFAULT_LLAMA_BENCH.exists() else None
    )
    parser.add_argument("--flash-attn", choices=["on", "off"], default="on")
    parser.add_argument("--pp", default="64,512", help="prompt sizes measured for prompt tokens/s")
    args = parser.parse_args()
    # Plain decoding: this compares llama.cpp's speed; speculation is measured by bench_speculative.py.
    extra: dict[str, object] = {"flash_attn": args.flash_attn == "on", "speculative": False}
    config = LoadConfig(model_path=args.model, n_ctx=2048, n_threads=args.threads, extra=extra)
    sizes = tuple(int(n) for n in args.pp.split(","))
    ours, raw, bench = compare(
        config, args.runs, args.prompt_tokens, args.gen_tokens, args.llama_bench, sizes
    )
    print(
        f"model {Path(args.model).name}   threads {args.threads or 'default'}   {args.runs} interleaved rounds, "
        f"medians   prompt {args.prompt_tokens} tokens, {args.gen_tokens} generated   flash attention {args.flash_attn}"
    )
    print(report(ours, raw, bench, args.prompt_tokens, args.gen_tokens))
    with Engine.start(config) as engine:
        print(
            f"engine first token of a chat follow-up (history cached): {follow_up_ttft(engine) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
