"""A collection: a named set of folders and files, its SQLite index, and hybrid search over it."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from models.errors import ConfigError
from models.paths import documents_dir

from . import store
from .embedder import Embedder, embed_query
from .retrieval import keyword_search, reciprocal_rank_fusion
from .vectors import VectorIndex

log = logging.getLogger(__name__)


# Shown with search results (the desktop translates it by this constant).
OTHER_EMBEDDER_NOTE = "This collection was indexed with another embedding model; only keyword search is used until it is re-indexed."


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk and where it comes from. ``score`` is the fused (RRF) score."""

    chunk_id: int
    path: str
    page: int | None
    section: str | None
    text: str
    score: float
    vector_score: float | None = None  # cosine similarity, when the vector search found it
    keyword_score: float | None = None  # BM25 (higher is better), when the keyword search found it

    @property
    def location(self) -> str:
        from ..turn import cite_location

        return cite_location(self.path, self.page, self.section)


@dataclass(frozen=True)
class DocumentStatus:
    path: str
    status: str  # "ok" or "error"
    error: str | None
    chunks: int


@dataclass(frozen=True)
class SearchResult:
    passages: list[Passage]
    notes: tuple[str, ...] = ()


def collection_path(name: str) -> Path:
    return documents_dir() / f"{store.check_name(name)}{store.SUFFIX}"


def list_collections() -> list[str]:
    return sorted(p.name[: -len(store.SUFFIX)] for p in documents_dir().glob(f"*{store.SUFFIX}"))


def remove_collection(name: str) -> None:
    """Delete a collection's index (never the user's files)."""
    path = collection_path(name)
    if not path.exists():
        raise ConfigError(f"There is no collection named “{name}”.", "See `tomoshibi docs list`.")
    with _OPEN_LOCK:
        opened = _OPEN.pop(str(path), None)
    if opened is not None:
        opened.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


_OPEN: dict[str, Collection] = {}
_OPEN_LOCK = threading.Lock()


def open_collection(name: str, create: bool = False) -> Collection:
    """The collection called ``name`` (one shared object per process, so vectors load once)."""
    path = collection_path(name)
    if not create and not path.exists():
        raise ConfigError(
            f"There is no collection named “{name}”.",
            f"Create it with `tomoshibi docs add {name} FOLDER`, or see `tomoshibi docs list`.",
        )
    with _OPEN_LOCK:
        found = _OPEN.get(str(path))
        if found is None or not path.exists():
            found = _OPEN[str(path)] = Collection(name, path)
        return found


class Collection:
    """One collection's database. Safe to share between threads (one SQLite connection per thread)."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []  # every thread's, so close() can close them all
        self._vectors: tuple[str, str, VectorIndex] | None = None  # (generation, model, index)
        self._vectors_lock = threading.Lock()
        _ = self.db  # create and migrate now, on the caller's thread

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = store.connect(self.path)
            with self._vectors_lock:
                self._connections.append(db)
        return db

    # Sources: what the user added. Documents are found under them at index time.
    def add_sources(self, paths: list[Path]) -> None:
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise ConfigError(f"Not found: {', '.join(missing)}.", "Check the paths and add them again.")
        with self.db:
            for path in paths:
                resolved = str(Path(path).expanduser().resolve())
                self.db.execute(
                    "INSERT OR IGNORE INTO sources (path, added_at) VALUES (?, ?)", (resolved, time.time())
                )
                self.db.execute("DELETE FROM excluded WHERE path = ?", (resolved,))  # added back on purpose

    def remove_path(self, path: Path | str) -> int:
        """Take one file or folder out of the collection, now: a source stops being one, and anything
        else (a file inside a source folder) is excluded from later updates. Its passages go at
        once, in one transaction. Returns how many documents were removed; ConfigError when the path
        is neither a source nor under one."""
        target = Path(path).expanduser()
        target = target.resolve() if target.exists() else target
        key = str(target)
        sources = self.sources()
        under = [s for s in sources if s == target or s in target.parents]
        if not under:
            raise ConfigError(f"{key} is not part of the collection {self.name}.",
                              "See its sources and documents with: tomoshibi docs list " + self.name)  # fmt: skip
        prefix = key.rstrip(os.sep) + os.sep
        paths = [
            r[0]
            for r in self.db.execute("SELECT path FROM documents")
            if r[0] == key or r[0].startswith(prefix)
        ]
        with self.db:
            if target in sources:
                self.db.execute("DELETE FROM sources WHERE path = ?", (key,))
            else:
                self.db.execute(
                    "INSERT OR IGNORE INTO excluded (path, added_at) VALUES (?, ?)", (key, time.time())
                )
            store.delete_documents(self.db, paths)
            store.bump_generation(self.db)
        return len(paths)

    def excluded(self) -> set[Path]:
        return {Path(r[0]) for r in self.db.execute("SELECT path FROM excluded")}

    def sources(self) -> list[Path]:
        return [Path(r[0]) for r in self.db.execute("SELECT path FROM sources ORDER BY path")]

    def documents(self) -> list[DocumentStatus]:
        rows = self.db.execute(
            "SELECT d.path, d.status, d.error, COUNT(c.id) FROM documents d "
            "LEFT JOIN chunks c ON c.document_id = d.id GROUP BY d.id ORDER BY d.path"
        )
        return [DocumentStatus(p, s, e, n) for p, s, e, n in rows]

    def chunk_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    @property
    def embedder_identity(self) -> str | None:
        return store.get_meta(self.db, "embedder")

    @property
    def embedding_model_path(self) -> Path | None:
        value = store.get_meta(self.db, "embedding_model_path")
        return Path(value) if value else None

    def is_stale(self, embedder: Embedder | None = None) -> bool:
        """True when some chunk has no vector from ``embedder`` (or the collection's own model)."""
        identity = embedder.identity if embedder is not None else self.embedder_identity
        if identity is None:
            return self.chunk_count() > 0
        missing = self.db.execute(
            "SELECT COUNT(*) FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id AND v.model = ? "
            "WHERE v.chunk_id IS NULL",
            (identity,),
        ).fetchone()[0]
        return bool(missing)

    def vector_index(self, embedder: Embedder) -> VectorIndex:
        """The in-memory matrix for ``embedder``'s vectors, loaded once and reloaded after changes."""
        generation = store.get_meta(self.db, "generation", "0") or "0"
        with self._vectors_lock:
            cached = self._vectors
            if cached is None or cached[0] != generation or cached[1] != embedder.identity:
                index = VectorIndex.load(self.db, embedder.identity, embedder.dims)
                self._vectors = cached = (generation, embedder.identity, index)
            return cached[2]

    def search(self, query: str, embedder: Embedder | None = None, k: int = 5) -> SearchResult:
        """The ``k`` best passages for ``query``: vector and keyword rankings fused by reciprocal rank.

        Without an embedder, or when the collection was embedded with another model, only the
        keyword ranking is used and a note says so.
        """
        query = query.strip()
        if not query:
            return SearchResult([])
        pool = max(k * 4, 20)
        notes: list[str] = []
        vector_hits: list[tuple[int, float]] = []
        if embedder is not None:
            if embedder.note:
                notes.append(embedder.note)
            if self.embedder_identity not in (None, embedder.identity):
                notes.append(OTHER_EMBEDDER_NOTE)
            else:
                index = self.vector_index(embedder)
                if len(index):
                    vector_hits = index.search(embed_query(embedder, query), pool)
        keyword_hits = keyword_search(self.db, query, pool)
        fused = reciprocal_rank_fusion([vector_hits, keyword_hits])
        best = sorted(fused.items(), key=lambda item: -item[1])[:k]
        return SearchResult(self._passages(best, dict(vector_hits), dict(keyword_hits)), tuple(notes))

    def _passages(
        self, best: list[tuple[int, float]], vector: dict[int, float], keyword: dict[int, float]
    ) -> list[Passage]:
        if not best:
            return []
        ids = [cid for cid, _ in best]
        marks = ",".join("?" * len(ids))
        rows = {
            r[0]: r[1:]
            for r in self.db.execute(
                f"SELECT c.id, d.path, c.page, c.section, c.text FROM chunks c "
                f"JOIN documents d ON d.id = c.document_id WHERE c.id IN ({marks})",
                ids,
            )
        }
        passages = []
        for cid, score in best:
            if cid in rows:
                path, page, section, text = rows[cid]
                passages.append(
                    Passage(cid, path, page, section, text, score, vector.get(cid), keyword.get(cid))
                )
        return passages

    def passage(self, chunk_id: int) -> Passage | None:
        found = self._passages([(chunk_id, 0.0)], {}, {})
        return found[0] if found else None

    def close(self) -> None:
        """Close the connections of every thread (the collection reopens on next use in this thread)."""
        with self._vectors_lock:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()
        self._local = threading.local()
