"""``tomoshibi bench``: the engine's speed next to a bare llama-cpp-python loop and llama-bench."""

from __future__ import annotations

import argparse

from cli.common import add_model_options, human_bytes, load_config


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="measure a model's speed on this machine")
    parser.add_argument("path", nargs="?", help="GGUF file (default: the bundled model)")
    add_model_options(parser, model_flag=False)
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds (medians are reported)")
    parser.add_argument("--prompt-tokens", type=int, default=50, help="prompt size in tokens (exactly)")
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument(
        "--llama-bench",
        metavar="PATH",
        help="llama.cpp's llama-bench program (bench/build_llama_bench.sh builds it), or a JSON file of its "
        "output (-o json), to compare against",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from models.benchmark import compare, report

    # Plain decoding: this compares llama.cpp's own speed (speculation: bench/bench_speculative.py).
    config = load_config(args, model=args.path)
    config = replace(config, extra={**config.extra, "speculative": False})
    ours, raw, bench = compare(
        config,
        runs=args.runs,
        n_prompt=args.prompt_tokens,
        n_gen=args.gen_tokens,
        llama_bench_path=args.llama_bench,
    )
    print(f"model: {config.model_path}   prompt {args.prompt_tokens} tokens, {args.gen_tokens} generated, "
          f"{args.runs} interleaved rounds (medians)")  # fmt: skip
    print(report(ours, raw, bench, args.prompt_tokens, args.gen_tokens))
    print(f"peak RSS: engine process {human_bytes(ours.peak_rss)}, this process {human_bytes(raw.peak_rss)}")
    return 0
