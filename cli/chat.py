"""``tomoshibi chat``: a streaming chat in the terminal. Ctrl-C stops the answer, not the program.

Each turn is built by ``models.turn`` like the app's: ``--preset`` applies a preset (system prompt,
user template, sampling, JSON mode) and ``--docs`` answers from document collections with sources.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import textwrap
from typing import Any

from cli.common import add_model_options, add_sampling_options, load_config, sampling

KEYWORD_ONLY_HINT = (
    "the documents are searched by keywords only: the embedding model they were indexed with is not "
    "installed. For passages that say the same thing in other words, re-index with an embedding model: "
    "`tomoshibi docs update NAME --embedding-model FILE.gguf`"
)


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
    add_show_prompt(parser)
    parser.set_defaults(func=run)


def add_show_prompt(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--show-prompt",
        action="store_true",
        help="print what the model is sent (the chat template applied, with the quoted passages) to stderr",
    )


def show_prompt(engine: Any, messages: Any) -> None:
    print(f"----- prompt -----\n{engine.render(messages)}\n----- end of prompt -----", file=sys.stderr)


def print_sources(sources: Any) -> None:
    """The passages the model was given (``models.turn.Source``), numbered as in its prompt, with
    those the answer cites as [n] marked; the same for ``tomoshibi chat`` and ``tomoshibi docs ask``."""
    for source in sources:
        cited = "cited, " if source.cited else ""
        print(f"[{source.number}] {source.location}  ({cited}score {source.score:.4f})")
        print(f"    {source.path}")
        snippet = " ".join(source.text.split())
        snippet = snippet[:300] + ("…" if len(snippet) > 300 else "")
        print(textwrap.indent(textwrap.fill(snippet, 100), "    "))


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
    from models.documents.answer import CollectionEmbedders
    from models.engine import Engine

    config = load_config(args)
    system, settings = _settings(args)
    print(f"Loading {config.model_path} …", file=sys.stderr)
    engines = [Engine.start(config)]  # a crashed engine is replaced in this list (closed at the end)
    try:
        with CollectionEmbedders(n_threads=args.threads) as embedders:
            return _converse(args, engines, config, system, settings, embedders)
    finally:
        engines[-1].close()


def _converse(
    args: argparse.Namespace, engines: list[Any], config: Any, system: str, settings: dict, embedders: Any
) -> int:
    from models.documents.answer import documents_turn
    from models.engine import Engine
    from models.events import EngineCrashed, ErrorEvent, Finished, Token
    from models.turn import KEYWORD_ONLY, MISSING_PREFIX, mark_cited

    engine = engines[-1]
    info = engine.info
    print(
        f"{info.architecture}, {info.backend.upper()} ({info.n_gpu_layers} GPU layers), context {info.n_ctx}. "
        "Ctrl-C stops an answer; Ctrl-D or /exit quits.",
        file=sys.stderr,
    )
    if info.layer_placement:  # split across other computers (--rpc)
        print("Layers: " + ", ".join(f"{where} {n}" for where, n in info.layer_placement), file=sys.stderr)
    history: list[dict[str, str]] = []
    told_keyword_only = False
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
        # The same turn as the app's for a conversation with these collections attached.
        turn = documents_turn(
            history,
            args.docs,
            system=system,
            settings=settings,
            count_tokens=engine.count_tokens,
            n_ctx=engine.info.n_ctx,
            embedder_for=embedders,
        )
        for note in turn.notes:
            if note.startswith(MISSING_PREFIX):
                name = note[len(MISSING_PREFIX) :]
                print(f"[no collection named {name}: see `tomoshibi docs list`]", file=sys.stderr)
            elif note == KEYWORD_ONLY and not told_keyword_only:
                told_keyword_only = True
                print(f"[{KEYWORD_ONLY_HINT}]", file=sys.stderr)
        if args.show_prompt:
            show_prompt(engine, turn.messages)
        if args.docs and turn.sources:
            print(f"[{len(turn.sources)} passages used, {turn.left_out} left out to fit]", file=sys.stderr)
        elif args.docs:
            print("[no passage of the documents matches this question]", file=sys.stderr)
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
                    engines.append(engine)
        except KeyboardInterrupt:
            print("\n[stopped]", file=sys.stderr)
        print()
        if turn.sources:
            print("Sources:")
            print_sources(mark_cited(answer, turn.sources))
        if answer:
            history.append({"role": "assistant", "content": answer})
        else:
            history.pop()
        if args.once is not None:
            return 0
