"""``tomoshibi docs``: collections of your own files, searched and questioned on this machine."""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    from cli.common import add_model_options

    parser = sub.add_parser("docs", help="index your documents, search them, ask questions with sources")
    docs = parser.add_subparsers(dest="docs_command", metavar="ACTION", required=True)

    add = docs.add_parser("add", help="add folders or files to a collection (created if new) and index them")
    add.add_argument("name", help="collection name")
    add.add_argument(
        "paths", nargs="+", type=Path, help="folders (searched recursively) or .txt/.md/.pdf/.docx files"
    )
    add.add_argument(
        "--embedding-model",
        type=Path,
        help="GGUF embedding model (default: installed one, else the bundled model)",
    )
    add.add_argument("--threads", type=int, default=None, help="CPU threads for the embedding model")
    add.set_defaults(func=run_add)

    update = docs.add_parser("update", help="re-index what changed in a collection")
    update.add_argument("name")
    update.add_argument(
        "--embedding-model", type=Path, help="switch to this embedding model (re-embeds everything)"
    )
    update.add_argument("--threads", type=int, default=None, help="CPU threads for the embedding model")
    update.set_defaults(func=run_update)

    search = docs.add_parser("search", help="show the passages that best match a query")
    search.add_argument("name")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="number of passages (default 5)")
    search.add_argument("--keyword-only", action="store_true", help="skip the embedding model (faster)")
    search.add_argument("--threads", type=int, default=None, help="CPU threads for the embedding model")
    search.set_defaults(func=run_search)

    ask = docs.add_parser("ask", help="answer a question from a collection, with its sources")
    ask.add_argument("name")
    ask.add_argument("question")
    ask.add_argument("-k", type=int, default=4, help="passages given to the model (default 4)")
    ask.add_argument("--max-tokens", type=int, default=256)
    add_model_options(ask)
    from cli.chat import add_show_prompt

    add_show_prompt(ask)
    ask.set_defaults(func=run_ask, ctx=2048)

    listing = docs.add_parser("list", help="list collections (or the documents of one)")
    listing.add_argument("name", nargs="?")
    listing.set_defaults(func=run_list)

    remove = docs.add_parser(
        "rm", help="delete a collection's index, or take files/folders out of it (your files are not touched)"
    )
    remove.add_argument("name")
    remove.add_argument(
        "paths", nargs="*", type=Path, help="only these files or folders (default: the whole index)"
    )
    remove.set_defaults(func=run_rm)


def _embedder(collection: Any, override: Path | None, threads: int | None) -> Any:
    from models.documents import open_embedder

    stored = collection.embedding_model_path
    path = override or (stored if stored is not None and stored.exists() else None)
    print(f"Loading the embedding model {path.name if path else '(default)'} …", file=sys.stderr)
    embedder = open_embedder(path, n_threads=threads)
    if embedder.note:
        print(f"Note: {embedder.note}", file=sys.stderr)
    return embedder


def _index(collection: Any, embedder: Any) -> int:
    from models.documents import IndexProgress, index_collection
    from models.documents.indexer import display_path

    def show(progress: IndexProgress) -> None:
        if progress.phase == "file" and progress.path:
            print(
                f"\r[{progress.done + 1}/{progress.total}] {display_path(Path(progress.path).name)[:60]:<60}",
                end="",
                file=sys.stderr,
            )
        elif progress.phase == "embed":
            speed = f", {progress.rate:.1f}/s" if progress.rate else ""
            left = f", about {progress.eta_seconds:.0f} s left" if progress.eta_seconds else ""
            print(
                f"\rembedding {progress.done}/{progress.total} passages{speed}{left}{'':<30}",
                end="",
                file=sys.stderr,
            )

    report = index_collection(collection, embedder, progress=show)
    print("", file=sys.stderr)
    print(
        f"{collection.name}: {report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged; {report.embedded_chunks + report.reembedded_chunks} passages embedded "
        f"in {report.seconds:.1f} s."
    )
    for path, message in report.failed:
        print(
            f"could not index {display_path(path)}:\n  {display_path(message, newlines=True)}",
            file=sys.stderr,
        )
    return 1 if report.failed else 0


def run_add(args: argparse.Namespace) -> int:
    from models.documents import open_collection

    collection = open_collection(args.name, create=True)
    collection.add_sources([p.expanduser() for p in args.paths])
    with _embedder(collection, args.embedding_model, args.threads) as embedder:
        return _index(collection, embedder)


def run_update(args: argparse.Namespace) -> int:
    from models.documents import open_collection

    collection = open_collection(args.name)
    with _embedder(collection, args.embedding_model, args.threads) as embedder:
        return _index(collection, embedder)


def _print_passages(passages: Any) -> None:
    for number, passage in enumerate(passages, start=1):
        parts = [f"score {passage.score:.4f}"]
        if passage.vector_score is not None:
            parts.append(f"vector {passage.vector_score:.3f}")
        if passage.keyword_score is not None:
            parts.append(f"keyword {passage.keyword_score:.2f}")
        print(f"[{number}] {passage.location}  ({', '.join(parts)})")
        print(f"    {passage.path}")
        snippet = " ".join(passage.text.split())
        print(
            textwrap.indent(textwrap.fill(snippet[:400] + ("…" if len(snippet) > 400 else ""), 100), "    ")
        )


def run_search(args: argparse.Namespace) -> int:
    from models.documents import open_collection

    collection = open_collection(args.name)
    if args.keyword_only:
        result = collection.search(args.query, None, k=args.k)
    else:
        with _embedder(collection, None, args.threads) as embedder:
            result = collection.search(args.query, embedder, k=args.k)
    for note in result.notes:
        print(f"Note: {note}", file=sys.stderr)
    if not result.passages:
        print("No passage matches.")
        return 1
    _print_passages(result.passages)
    return 0


def run_ask(args: argparse.Namespace) -> int:
    """The turn is the app's (``documents_turn``): the same passages, searched the same way (the
    collection's embedding model when it is installed, else keywords), quoted the same way."""
    from dataclasses import replace

    from cli.chat import KEYWORD_ONLY_HINT, print_sources, show_prompt
    from cli.common import load_config
    from models.documents import open_collection
    from models.documents.answer import ANSWER_PARAMS, CollectionEmbedders, documents_turn, not_found_text
    from models.engine import Engine
    from models.events import EngineCrashed, ErrorEvent, Finished, Token
    from models.turn import KEYWORD_ONLY, mark_cited

    open_collection(args.name)  # a missing collection is named before any model loads
    params = replace(ANSWER_PARAMS, max_tokens=args.max_tokens)
    question = args.question.strip()
    config = load_config(args)
    print(f"Loading {Path(config.model_path).name} …", file=sys.stderr)
    with CollectionEmbedders(n_threads=args.threads) as embedders, Engine.start(config) as engine:
        turn = documents_turn(
            [{"role": "user", "content": question}],
            [args.name],
            count_tokens=engine.count_tokens,
            n_ctx=engine.info.n_ctx,
            embedder_for=embedders,
            params=params,
            k=args.k,
        )
        if KEYWORD_ONLY in turn.notes:
            print(f"Note: {KEYWORD_ONLY_HINT}", file=sys.stderr)
        if not turn.sources:  # nothing relevant: the model is not asked (it would only guess)
            print(not_found_text(question))
            return 0
        if args.show_prompt:
            show_prompt(engine, turn.messages)
        answer = ""
        for event in engine.chat(turn.messages, turn.params):
            if isinstance(event, Token):
                print(event.text, end="", flush=True)
            elif isinstance(event, Finished):
                answer = event.text
                print()
            elif isinstance(event, ErrorEvent | EngineCrashed):
                print(f"\n{event.message}", file=sys.stderr)
                return 1
    if turn.left_out:
        print(f"({turn.left_out} more passages did not fit in the context window)", file=sys.stderr)
    print("\nSources:")
    print_sources(mark_cited(answer, turn.sources))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from models.documents import list_collections, open_collection
    from models.documents.indexer import display_path

    if args.name:
        collection = open_collection(args.name)
        # File names and errors are printed escaped: a control character in a name must not drive the terminal.
        for source in collection.sources():
            print(f"source: {display_path(source)}")
        for path in sorted(collection.excluded()):
            print(f"excluded: {display_path(path)}")
        for document in collection.documents():
            state = (
                f"{document.chunks} passages"
                if document.status == "ok"
                else f"ERROR: {display_path(document.error or '', newlines=True)}"
            )
            print(f"  {display_path(document.path)}  {state}")
        return 0
    names = list_collections()
    if not names:
        print("No collections yet. Create one with: tomoshibi docs add NAME FOLDER")
    for name in names:
        collection = open_collection(name)
        stale = " (needs re-indexing: `tomoshibi docs update`)" if collection.is_stale() else ""
        print(f"{name}: {len(collection.documents())} documents, {collection.chunk_count()} passages{stale}")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    from models.documents import open_collection, remove_collection
    from models.documents.indexer import display_path

    if args.paths:
        collection = open_collection(args.name)
        for path in args.paths:
            count = collection.remove_path(path)
            print(
                f"Took {display_path(path)} out of {args.name} ({count} documents; your files were not touched)."
            )
        return 0
    remove_collection(args.name)
    print(f"Removed the collection {args.name} (your files were not touched).")
    return 0
