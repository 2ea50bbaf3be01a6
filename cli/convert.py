"""``tomoshibi convert | quantize | lora | profiles``: thin wrappers over ``converters``."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "convert", help="convert a Hugging Face checkpoint to a (quantized) GGUF and validate it"
    )
    p.add_argument("src", help="checkpoint folder or hub repo id (owner/name)")
    p.add_argument("--out", required=True, help="the GGUF file to write")
    p.add_argument(
        "--quant",
        default=None,
        help="F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q4_K_S, Q4_K_M (default), Q5_K_M, Q6_K",
    )
    p.add_argument(
        "--profile",
        default=None,
        help="device profile (see `tomoshibi profiles`); picks --quant when omitted",
    )
    p.add_argument(
        "--calib", default=None, help="calibration text file: importance matrix + perplexity F16 vs quantized"
    )
    p.add_argument("--no-imatrix", action="store_true", help="with --calib: only compare perplexity")
    p.set_defaults(func=run_convert)

    q = sub.add_parser("quantize", help="quantize an F16/F32 GGUF with llama.cpp's quantizer")
    q.add_argument("input")
    q.add_argument("output")
    q.add_argument("--type", default="Q4_K_M", dest="quant", help="quantization (default Q4_K_M)")
    q.add_argument("--calib", default=None, help="calibration text file for an importance matrix")
    q.add_argument("--threads", type=int, default=None)
    q.set_defaults(func=run_quantize)

    lo = sub.add_parser("lora", help="convert a PEFT LoRA adapter folder to a GGUF adapter")
    lo.add_argument("adapter", help="folder with adapter_config.json and adapter_model.safetensors")
    lo.add_argument("--base", required=True, help="the base model's checkpoint folder (config.json)")
    lo.add_argument("--out", default=None, help="output file (default: ADAPTER/adapter-f32.gguf)")
    lo.add_argument("--outtype", default="F32", choices=("F32", "F16"))
    lo.set_defaults(func=run_lora)

    pr = sub.add_parser("profiles", help="list device profiles, or recommend a quantization for a checkpoint")
    pr.add_argument(
        "checkpoint", nargs="?", help="checkpoint folder, config.json, or a parameter count like 7e9"
    )
    pr.add_argument("--profile", default=None, help="only this profile")
    pr.set_defaults(func=run_profiles)


class _Progress:
    """One self-overwriting status line on stderr."""

    def __init__(self) -> None:
        self.last = ""

    def __call__(self, text: str) -> None:
        if text != self.last:
            sys.stderr.write("\r" + text[:100].ljust(100))
            sys.stderr.flush()
            self.last = text

    def end(self) -> None:
        if self.last:
            sys.stderr.write("\n")


def _eta(seconds: float | None) -> str:
    return f", ETA {seconds:.0f} s" if seconds is not None else ""


def run_convert(args: argparse.Namespace) -> int:
    from converters.pipeline import convert

    line = _Progress()
    try:
        report = convert(
            args.src,
            args.out,
            args.quant if args.quant or args.profile else "Q4_K_M",
            profile=args.profile,
            calib=args.calib,
            imatrix=False if args.no_imatrix else None,
            progress=lambda p: line(f"{p.stage:<9} {p.fraction:6.1%} {p.message}{_eta(p.eta_seconds)}"),
        )
    finally:
        line.end()
    print(report.text())
    return 0 if report.validation.ok else 1


def run_quantize(args: argparse.Namespace) -> int:
    from pathlib import Path

    from converters.quantize import quantize
    from converters.validate import validate_file

    text = Path(args.calib).read_text(encoding="utf-8") if args.calib else None
    line = _Progress()
    try:
        result = quantize(
            args.input,
            args.output,
            args.quant,
            calibration_text=text,
            n_threads=args.threads,
            progress=lambda p: line(
                f"{p.phase:<10} {p.fraction:6.1%} {p.done / 1e6:8.1f} MB{_eta(p.eta_seconds)}"
                if p.phase == "quantizing"
                else f"{p.phase:<10} {p.message}"
            ),
        )
    finally:
        line.end()
    print(
        f"wrote {result.path} ({result.output_bytes / 1e6:.1f} MB, {result.quant}) in {result.seconds:.1f} s"
    )
    for note in result.notes:
        print(f"note: {note}")
    report = validate_file(
        result.path, reference=args.input if text else None, calibration_text=text, label=result.quant
    )
    print(report.text())
    return 0 if report.ok else 1


def run_lora(args: argparse.Namespace) -> int:
    from converters.lora import convert_lora

    result = convert_lora(args.adapter, args.base, args.out, out_type=args.outtype)
    print(
        f"wrote {result.path}: {result.tensors} adapted weights ({', '.join(result.target_modules)}), "
        f"rank {result.rank}, alpha {result.alpha:g}, for {result.architecture}"
    )
    return 0


def run_profiles(args: argparse.Namespace) -> int:
    from converters.profiles import PROFILES, get_profile, recommend

    names = [get_profile(args.profile).name] if args.profile else list(PROFILES)
    if args.checkpoint is None:
        for name in names:
            p = PROFILES[name]
            print(
                f"{p.name:<13} {p.usable_bytes / 2**30:5.2f} GiB usable, ctx {p.default_ctx:>5}, "
                f"{' > '.join(p.quants)}  — {p.description}"
            )
        return 0
    source: Any = args.checkpoint
    try:
        source = int(float(args.checkpoint))
    except ValueError:
        pass
    for name in names:
        print(recommend(source, name).text())
        print()
    return 0
