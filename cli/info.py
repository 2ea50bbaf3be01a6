"""``tomoshibi info [PATH] [--ctx N]``: what a GGUF model is, and whether it fits in this machine."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "info",
        help="a model's metadata, its memory need and whether it fits here",
        description="Show a GGUF model's metadata and memory estimate. Exit status 1 when it does not fit.",
    )
    parser.add_argument("path", nargs="?", help="GGUF file (default: the bundled model)")
    parser.add_argument(
        "--ctx", type=int, default=None, help="context size (default: 4096, or less if trained for less)"
    )
    parser.add_argument(
        "--gpu-layers", default="auto", help="layers to offload: a number, or auto (all that fit)"
    )
    parser.add_argument("--kv-type", default="f16", help="KV cache type (f16, q8_0, q4_0 ...)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cli import gguf_report
    from models.bundled import bundled_model_path
    from models.errors import ConfigError, InsufficientMemoryError
    from models.gguf_info import inspect_gguf
    from models.memory import available_memory, estimate_gguf, preflight, suggest_n_gpu_layers

    info = inspect_gguf(args.path or bundled_model_path())
    n_ctx = args.ctx if args.ctx is not None else min(4096, info.context_length or 4096)
    budget = available_memory(load_llama_cpp=True)
    if args.gpu_layers == "auto":
        gpu_free = None if budget.unified else budget.vram_free
        layers = (
            (info.n_layer or 0) + 1
            if budget.unified
            else suggest_n_gpu_layers(info, n_ctx, gpu_free, args.kv_type)
        )
    else:
        try:
            layers = int(args.gpu_layers)
        except ValueError:
            raise ConfigError(f"--gpu-layers must be a number or auto, not {args.gpu_layers!r}.",
                              "Use --gpu-layers auto.") from None  # fmt: skip
    estimate = estimate_gguf(info, n_ctx, n_gpu_layers=layers if budget.vram_total is not None else 0,
                             kv_type=args.kv_type)  # fmt: skip
    problem = None
    try:
        preflight(estimate, budget)
    except InsufficientMemoryError as error:
        problem = str(error)
    if args.json:
        doc = gguf_report.info_dict(info, tensors=False)
        doc["memory"] = gguf_report.estimate_dict(estimate, budget, problem)
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        lines = [*gguf_report.overview_lines(info), "", *gguf_report.memory_lines(estimate, budget, problem)]
        if info.context_length and n_ctx > info.context_length:
            lines.append(
                f"Note: {n_ctx:,} tokens is beyond the {info.context_length:,} the model was trained for; "
                "answers degrade past it."
            )
        print("\n".join(lines))
    return 0 if problem is None else 1
