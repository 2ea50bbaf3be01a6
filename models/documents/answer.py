"""Answer a question from document collections, quoting the passages it used.

Retrieval is here (``gather``: the best passages of every attached collection; ``CollectionEmbedders``:
which embedding model searches a collection); ``documents_turn`` joins it to ``models.turn`` (how
the passages are quoted in the prompt and fitted to the context window). The app's chat,
``tomoshibi chat --docs`` and ``tomoshibi docs ask`` all build their turns with ``documents_turn``,
so for one question they send the model the same passages.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from models.errors import ConfigError, EngineCrashedError, EngineError, TomoshibiError
from models.events import EngineCrashed, ErrorEvent, Event, Finished, SamplingParams, Token
from models.turn import KEYWORD_ONLY, MISSING_PREFIX, Source, TokenCounter, Turn, build_turn

from .collection import Collection, Passage, open_collection
from .embedder import Embedder

if TYPE_CHECKING:
    from models.engine import Engine

log = logging.getLogger(__name__)
DEFAULT_K = 4
ANSWER_PARAMS = SamplingParams(temperature=0.0, max_tokens=256, repeat_penalty=1.1, seed=0)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@dataclass(frozen=True)
class Sources:
    """The passages an answer is based on; the streaming answer yields this before any token."""

    passages: tuple[Passage, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    text: str
    sources: tuple[Passage, ...]
    notes: tuple[str, ...] = ()
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Gathered:
    """What ``gather`` found for one question across a conversation's collections."""

    sources: list[Source]
    keyword_only: list[str]  # collections searched by keywords only (no usable embedding model)
    missing: list[str]  # attached collections that no longer exist


def as_sources(passages: Sequence[Passage], collection: str = "") -> list[Source]:
    return [
        Source(n, p.path, p.text, p.page, p.section, collection, p.chunk_id, p.score)
        for n, p in enumerate(passages, start=1)
    ]


def build_messages(question: str, passages: list[Passage]) -> list[dict[str, str]]:
    """The messages ``ask`` sends for ``passages`` (every one kept)."""
    return build_turn([{"role": "user", "content": question.strip()}], passages=as_sources(passages)).messages


def gather(
    names: Sequence[str],
    question: str,
    embedder_for: Callable[[Collection], Embedder | None] | None = None,
    k: int = DEFAULT_K,
) -> Gathered:
    """The ``k`` best passages over the collections ``names``, most relevant first.

    ``embedder_for`` gives a collection's embedding model, or None to search it by keywords only
    (the chat does so when the model the collection was indexed with is not installed)."""
    found: list[Source] = []
    keyword_only: list[str] = []
    missing: list[str] = []
    for name in names:
        try:
            collection = open_collection(name)
        except ConfigError:
            missing.append(name)
            continue
        embedder = embedder_for(collection) if embedder_for is not None else None
        if embedder is None:
            keyword_only.append(name)
        found += as_sources(collection.search(question, embedder, k=k).passages, name)
    # Reciprocal-rank scores are on the same scale in every collection, so they merge directly.
    found.sort(key=lambda s: -s.score)
    return Gathered(found[:k], keyword_only, missing)


class CollectionEmbedders:
    """A collection's own embedding model when it is installed (opened once per file), else None:
    the collection is then searched by keywords. A chat model's pooled embeddings (what a collection
    indexed without an embedding model holds) are too weak to be worth a second model process per
    question; ``bench/bench_chat_retrieval.py`` measures the three ways."""

    def __init__(self, n_threads: int | None = 1) -> None:
        self.n_threads = n_threads
        self._open: dict[str, Embedder | None] = {}

    def __call__(self, collection: Collection) -> Embedder | None:
        from .embedder import is_embedding_model, open_embedder

        path = collection.embedding_model_path
        if path is None or not path.exists():
            return None
        key = str(path)
        if key not in self._open:  # decided once per file: None when it cannot serve
            self._open[key] = None
            try:
                if is_embedding_model(path):
                    self._open[key] = open_embedder(path, n_threads=self.n_threads)
            except TomoshibiError as error:
                log.warning("embedding model %s did not load: %s", path, error)
        return self._open[key]

    def close(self) -> None:
        embedders, self._open = self._open, {}
        for embedder in embedders.values():
            if embedder is None:
                continue
            try:
                embedder.close()
            except Exception:
                log.debug("closing an embedder", exc_info=True)

    def __enter__(self) -> CollectionEmbedders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def documents_turn(
    history: Sequence[Mapping[str, str]],
    collections: Sequence[str],
    *,
    count_tokens: TokenCounter | None,
    n_ctx: int,
    system: str = "",
    settings: Mapping[str, Any] | None = None,
    embedder_for: Callable[[Collection], Embedder | None] | None = None,
    params: SamplingParams | None = None,
    k: int = DEFAULT_K,
) -> Turn:
    """The turn for ``history`` with passages of ``collections`` for its last message (the question).

    Its notes say when a collection was searched by keywords only (``KEYWORD_ONLY``) or no longer
    exists (``MISSING_PREFIX`` + name)."""
    passages: list[Source] = []
    notes: list[str] = []
    if collections and history:
        found = gather(collections, history[-1]["content"], embedder_for, k=k)
        passages = found.sources
        if found.keyword_only:
            notes.append(KEYWORD_ONLY)
        notes += [MISSING_PREFIX + name for name in found.missing]
    return build_turn(
        history,
        system=system,
        settings=settings,
        passages=passages,
        count_tokens=count_tokens,
        n_ctx=n_ctx,
        notes=notes,
        params=params,
        searched=bool(collections),
    )


def not_found_text(question: str) -> str:
    if _CJK.search(question):
        return "この質問に関係する箇所は文書の中に見つかりませんでした。"
    return "I could not find anything about this in the documents."


def ask_stream(
    collection: Collection,
    question: str,
    engine: Engine,
    embedder: Embedder | None = None,
    k: int = DEFAULT_K,
    params: SamplingParams | None = None,
) -> Iterator[Sources | Event]:
    """Yield ``Sources`` first, then the engine's events (Token…, then Finished/ErrorEvent/EngineCrashed).

    When nothing relevant is found the model is not asked (it would only guess): a Finished event
    carries a fixed "not found" text.
    """
    params = params or ANSWER_PARAMS
    found = collection.search(question, embedder, k=k)
    if not found.passages:
        yield Sources((), found.notes)
        text = not_found_text(question)
        yield Token(text)
        yield Finished("stop", text, 0, 0, 0.0, 0.0, 0.0)
        return
    turn = build_turn(
        [{"role": "user", "content": question.strip()}],
        passages=as_sources(found.passages, collection.name),
        count_tokens=engine.count_tokens,
        n_ctx=engine.info.n_ctx,
        params=params,
    )
    by_id = {p.chunk_id: p for p in found.passages}
    kept = tuple(by_id[s.chunk_id] for s in turn.sources if s.chunk_id in by_id)
    yield Sources(kept, found.notes)
    yield from engine.chat(turn.messages, turn.params)


def ask(
    collection: Collection,
    question: str,
    engine: Engine,
    embedder: Embedder | None = None,
    k: int = DEFAULT_K,
    params: SamplingParams | None = None,
) -> Answer:
    """Answer ``question`` from ``collection`` with the chat ``engine``; raises EngineError on failure."""
    sources: Sources = Sources(())
    for event in ask_stream(collection, question, engine, embedder, k, params):
        if isinstance(event, Sources):
            sources = event
        elif isinstance(event, Finished):
            return Answer(event.text.strip(), sources.passages, sources.notes, event.reason)
        elif isinstance(event, ErrorEvent):
            raise EngineError(event.message, "Try again, or load another model.")
        elif isinstance(event, EngineCrashed):
            raise EngineCrashedError(event.message, "Reload the model and ask again.")
    raise EngineError("The engine ended the answer without finishing it.", "Ask again.")
