"""``tomoshibi chat``: a streaming chat in the terminal. Ctrl-C stops the answer, not the program."""

from __future__ import annotations

import argparse
import sys

from cli.common import add_model_options, add_sampling_options, load_config, sampling


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="chat with a model in the terminal")
    add_model_options(parser)
    add_sampling_options(parser)
    parser.add_argument("--system", default=None, help="system prompt")
    parser.add_argument("--once", metavar="MESSAGE", help="send one message, print the answer and exit")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from models.engine import Engine
    from models.events import EngineCrashed, ErrorEvent, Finished, Token

    config = load_config(args)
    params = sampling(args)
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
    messages: list[dict[str, str]] = [{"role": "system", "content": args.system}] if args.system else []
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
            messages.append({"role": "user", "content": text})
            answer = ""
            try:
                for event in engine.chat(messages, params):
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
            if answer:
                messages.append({"role": "assistant", "content": answer})
            else:
                messages.pop()
            if args.once is not None:
                print()
                return 0
    finally:
        engine.close()
