"""``tomoshibi chat``: a streaming chat in the terminal. Ctrl-C stops the answer, not the program.

Each turn is built by ``models.turn`` like the app's: ``--preset`` applies a preset (system prompt,
user template, sampling, JSON mode) and ``--docs`` answers from document collections with sources.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any

from cli.common import add_model_options, add_sampling_options, load_config, sampling


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="chat with a model in the terminal")
    add_model_options(parser)
    add_sampling_options(parser)
    parser.add_argument("--system", default=None, help="system prompt")
    parser.add_argument(
        "--preset", default=None, help="prompt preset: its system prompt, user template and sampling settings"
    )
    parser.add_argument(
        "--docs",
        action="append",
        default=[],
        metavar="COLLECTION",
        help="answer from this collection (repeatable)",
    )
    parser.add_argument("--once", metavar="MESSAGE", help="send one message, print the answer and exit")
    parser.set_defaults(func=run)


def _settings(args: argparse.Namespace) -> tuple[str, dict[str, Any]]:
    """The system prompt and conversation settings: the sampling options, then the preset's."""
    from models.presets import resolve_preset
    from models.turn import preset_settings

    params = sampling(args)
    settings = {k: v for k, v in dataclasses.asdict(params).items() if k != "grammar" and v is not None}
    system = ""
    if args.preset:
        system, values = preset_settings(resolve_preset(args.preset))
        settings.update(values)
    if args.system is not None:
        system = args.system
    return system, settings


def run(args: argparse.Namespace) -> int:
    from models.documents.answer import gather
    from models.engine import Engine
    from models.events import EngineCrashed, ErrorEvent, Finished, Token
    from models.turn import build_turn, mark_cited

    config = load_config(args)
    system, settings = _settings(args)
    print(f"Loading {config.model_path} …", file=sys.stderr)
    engine = Engine.start(config)
    info = engine.info
    print(
        f"{info.architecture}, {info.backend.upper()} ({info.n_gpu_layers} GPU layers), context {info.n_ctx}. "
        "Ctrl-C stops an answer; Ctrl-D or /exit quits.",
        file=sys.stderr,
    )
    if info.layer_placement:  # split across other computers (--rpc)
        print("Layers: " + ", ".join(f"{where} {n}" for where, n in info.layer_placement), file=sys.stderr)
    history: list[dict[str, str]] = []
    try:
        while True:
            if args.once is not None:
                text = args.once
            else:
                try:
                    text = input("\n> ")
                except (EOFError, KeyboardInterrupt):
                    print(file=sys.stderr)
                    return 0
                if text.strip() in ("/exit", "/quit"):
                    return 0
                if not text.strip():
                    continue
            history.append({"role": "user", "content": text})
            passages = []
            if args.docs:
                found = gather(args.docs, text)  # keyword search: no second model to load per turn
                passages = found.sources
                for name in found.missing:
                    print(f"[no collection named {name}: see `tomoshibi docs list`]", file=sys.stderr)
            turn = build_turn(
                history,
                system=system,
                settings=settings,
                passages=passages,
                count_tokens=engine.count_tokens,
                n_ctx=info.n_ctx,
            )
            if args.docs:
                print(
                    f"[{len(turn.sources)} passages used, {turn.left_out} left out to fit]", file=sys.stderr
                )
            answer = ""
            try:
                for event in engine.chat(turn.messages, turn.params):
                    if isinstance(event, Token):
                        answer += event.text
                        print(event.text, end="", flush=True)
                    elif isinstance(event, Finished):
                        answer = event.text
                        for note in event.notes:
                            print(f"\n[{note}]", file=sys.stderr)
                        print(
                            f"\n[{event.completion_tokens} tokens, {event.tokens_per_second:.1f} tok/s]",
                            file=sys.stderr,
                        )
                    elif isinstance(event, ErrorEvent):
                        print(f"\n{event.message}", file=sys.stderr)
                    elif isinstance(event, EngineCrashed):
                        print(f"\n{event.message}", file=sys.stderr)
                        engine.close()
                        print("Reloading the model …", file=sys.stderr)
                        engine = Engine.start(config)
            except KeyboardInterrupt:
                print("\n[stopped]", file=sys.stderr)
            for source in mark_cited(answer, turn.sources):
                print(f"[{source.number}]{'*' if source.cited else ' '} {source.location}  {source.path}")
            if answer:
                history.append({"role": "assistant", "content": answer})
            else:
                history.pop()
            if args.once is not None:
                print()
                return 0
    finally:
        engine.close()
