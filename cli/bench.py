"""``tomoshibi bench``: tokens/s and time to first token through the engine, vs raw llama.cpp."""

from __future__ import annotations

import argparse

from cli.common import add_model_options, human_bytes, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="measure a model's speed on this machine")
    parser.add_argument("path", nargs="?", help="GGUF file (default: the bundled model)")
    add_model_options(parser, model_flag=False)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--prompt-tokens", type=int, default=50)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.benchmark import compare

    config = load_config(args, model=args.path)
    ours, raw = compare(config, runs=args.runs, n_prompt=args.prompt_tokens, n_gen=args.gen_tokens)
    print(f"model: {config.model_path}")
    print(f"{'':24} {'tokens/s (median)':>18} {'first token (median)':>22} {'peak RSS':>10}")
    for result in (ours, raw):
        print(
            f"{result.name:24} {result.median_tps:18.1f} {result.median_ttft * 1000:19.1f} ms "
            f"{human_bytes(result.peak_rss):>10}"
        )
    print(f"engine ÷ raw tokens/s: {ours.median_tps / raw.median_tps:.3f}")
    return 0
