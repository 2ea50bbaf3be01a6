"""Options and helpers shared by the engine sub-commands."""

from __future__ import annotations

import argparse
from typing import Any


def add_model_options(parser: argparse.ArgumentParser, *, model_flag: bool = True) -> None:
    if model_flag:
        parser.add_argument("--model", "-m", help="GGUF file (default: the bundled SmolLM2-135M-Instruct)")
    parser.add_argument("--ctx", type=int, default=4096, help="context size in tokens (default 4096)")
    parser.add_argument("--backend", default="auto", choices=["auto", "cpu", "metal", "cuda"])
    parser.add_argument("--gpu-layers", type=int, default=-1, help="layers to offload (-1: all that fit)")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="CPU threads (default: the physical cores other programs leave free, checked as it runs)",
    )
    parser.add_argument(
        "--rpc",
        default=None,
        metavar="HOST:PORT,...",
        help="other computers running `tomoshibi rpc-worker`: the model's layers are split across them",
    )


def add_sampling_options(parser: argparse.ArgumentParser) -> None:
    from models.events import SamplingParams

    d = SamplingParams()  # the one home of the sampling defaults
    parser.add_argument("--temp", type=float, default=d.temperature, help="temperature (0 = greedy)")
    parser.add_argument("--top-p", type=float, default=d.top_p)
    parser.add_argument("--top-k", type=int, default=d.top_k)
    parser.add_argument("--repeat-penalty", type=float, default=d.repeat_penalty)
    parser.add_argument("--max-tokens", type=int, default=d.max_tokens)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--stop", action="append", default=[], help="stop string (repeatable)")


def load_config(args: argparse.Namespace, model: str | None = None) -> Any:
    from models.bundled import default_model_path
    from models.events import LoadConfig

    path = model or getattr(args, "model", None) or str(default_model_path())
    return LoadConfig(
        model_path=str(path),
        n_ctx=args.ctx,
        backend=args.backend,
        n_gpu_layers=args.gpu_layers,
        n_threads=args.threads,
        rpc_workers=_rpc_workers(args),
    )


def _rpc_workers(args: argparse.Namespace) -> tuple[str, ...]:
    from models.rpc import parse_endpoints

    return parse_endpoints(getattr(args, "rpc", None))


def sampling(args: argparse.Namespace) -> Any:
    from models.events import SamplingParams

    return SamplingParams(
        temperature=args.temp,
        top_p=args.top_p,
        top_k=args.top_k,
        repeat_penalty=args.repeat_penalty,
        max_tokens=args.max_tokens,
        seed=args.seed,
        stop=tuple(args.stop),
    )


def human_bytes(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(count) < 1000 or unit == "TB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} TB"
