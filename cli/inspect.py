"""``tomoshibi inspect FILE.gguf [--json]``: every metadata key and a summary of the tensors."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("inspect", help="a GGUF file's full metadata and tensor table")
    parser.add_argument("path", metavar="FILE.gguf", help="the GGUF file")
    parser.add_argument("--json", action="store_true", help="print JSON (metadata and every tensor)")
    parser.add_argument("--tensors", action="store_true", help="list every tensor, not a summary")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from cli import gguf_report
    from models.gguf_info import inspect_gguf

    info = inspect_gguf(args.path)
    if args.json:
        print(json.dumps(gguf_report.info_dict(info), ensure_ascii=False, indent=2))
        return 0
    sections = [
        gguf_report.overview_lines(info),
        gguf_report.metadata_lines(info),
        gguf_report.tensor_lines(info, every=args.tensors),
    ]
    print("\n\n".join("\n".join(lines) for lines in sections))
    return 0
