"""Bring a collection's index up to date: new, changed and deleted files, and model changes.

Work is incremental: a file whose size and modification time are unchanged is skipped, one whose
content hash is unchanged only gets its time updated, and only changed files are parsed and
embedded again. Each file is written in one transaction, so cancelling (a ``threading.Event``)
or a crash leaves every file either fully old or fully new; the next run continues. When the
embedding model changes, the old vectors are dropped and every chunk is embedded again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from models.errors import Cancelled, DocumentError

from . import store
from .chunking import DEFAULT_CHUNK_CHARS, DEFAULT_OVERLAP_CHARS, chunk_text
from .collection import Collection
from .embedder import Embedder
from .parsing import is_supported, parse_file

log = logging.getLogger(__name__)

EMBED_BATCH = 16


@dataclass(frozen=True)
class IndexProgress:
    """``phase`` is "scan", "file" (reading and splitting one file; its text is searchable by keyword
    as soon as it is written) or "embed" (vectors for the passages that lack one, in batches).

    In the "embed" phase ``rate`` is passages a second so far and ``eta_seconds`` the time left at
    that rate (None until the first batch is done).
    """

    phase: str
    done: int
    total: int
    path: str = ""
    rate: float | None = None
    eta_seconds: float | None = None


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    reembedded_chunks: int = 0
    embedded_chunks: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    seconds: float = 0.0


ProgressCallback = Callable[[IndexProgress], None]


def file_hash(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def discover(sources: list[Path], excluded: set[Path] | frozenset[Path] = frozenset()) -> list[Path]:
    """Supported files under the sources (folders recursively, skipping hidden ones and anything the
    user removed from the collection, see ``Collection.remove_path``), sorted."""
    found: set[Path] = set()
    for source in sources:
        if source.is_file():
            if is_supported(source):
                found.add(source)
        elif source.is_dir():
            for path in source.rglob("*"):
                relative = path.relative_to(source).parts
                if path.is_file() and is_supported(path) and not any(p.startswith(".") for p in relative):
                    found.add(path)
    if excluded:
        found = {p for p in found if p not in excluded and not any(a in excluded for a in p.parents)}
    return sorted(found)


def display_path(path: Path | str, newlines: bool = False) -> str:
    """A path (or a message naming one) as text that is safe to print or store: undecodable bytes and
    control characters (an escape sequence in a file name recolours a terminal) become visible
    escapes; ``newlines`` keeps line breaks, for messages."""
    raw = os.fsencode(path).decode("utf-8", "backslashreplace")
    keep = " \n" if newlines else " "
    return "".join(c if c.isprintable() or c in keep else repr(c)[1:-1] for c in raw)


def _unstorable_name(path: Path) -> bool:
    """True for a file name that is not valid UTF-8 (SQLite text and the UI cannot hold it)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def chunk_context(path: Path) -> Callable[[str | None], str]:
    """The context of a chunk: the file's name without extension, then the section trail."""
    stem = path.stem.replace("_", " ").replace("-", " ")
    return lambda section: f"{stem} › {section}" if section else stem


def embedding_text(text: str, context: str) -> str:
    # Embedding the context with the text ties "Climbing season" to "Mount Fuji" in the vector.
    return f"{context}\n{text}" if context else text


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("Indexing")


def index_collection(
    collection: Collection,
    embedder: Embedder | None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    overlap_chars: int = DEFAULT_OVERLAP_CHARS,
) -> IndexReport:
    """Index what changed under the collection's sources; raises Cancelled if ``cancel`` is set.

    ``embedder`` None indexes for keyword search only (no embedding model is installed, and a chat
    model's vectors are not worth minutes of CPU); indexing again with an embedder adds the vectors.

    A file that cannot be read is recorded with its error (see ``Collection.documents()``) and
    listed in the report; the rest of the collection still indexes.
    """
    report = IndexReport()
    began = time.monotonic()
    notify = progress or (lambda _p: None)
    db = collection.db
    if embedder is not None:
        _adopt_embedder(collection, embedder)
    identity = embedder.identity if embedder is not None else ""

    notify(IndexProgress("scan", 0, 0))
    files = discover(collection.sources(), collection.excluded())
    # A name with invalid UTF-8 (inv\xff.txt) is reported on its own and never blocks the rest (issue 20).
    for path in [p for p in files if _unstorable_name(p)]:
        report.failed.append((display_path(path), f"{display_path(path.name)}: the file name is not valid "
                              "UTF-8, so it cannot be indexed. Rename the file and update the collection."))  # fmt: skip
        files.remove(path)
    known = {
        row[0]: row[1:] for row in db.execute("SELECT path, id, hash, size, mtime, status FROM documents")
    }
    present = {str(p) for p in files}
    gone = [p for p in known if p not in present]
    if gone:
        with db:
            store.delete_documents(db, gone)
            store.bump_generation(db)
        report.removed = len(gone)

    written = 0
    for number, path in enumerate(files, start=1):
        _check(cancel)
        notify(IndexProgress("file", number - 1, len(files), str(path)))
        previous = known.get(str(path))
        try:
            stat = path.stat()
        except OSError:
            continue  # vanished between discovery and now; the next run removes it
        if previous is not None and previous[2] == stat.st_size and previous[3] == stat.st_mtime:
            report.unchanged += 1
            continue
        try:
            digest = file_hash(path)
        except OSError as error:  # unreadable (permissions, a device file): this file only
            report.failed.append((display_path(path), f"{display_path(path.name)} could not be read: "
                                  f"{error.strerror or error}. Check that you may read it."))  # fmt: skip
            continue
        if previous is not None and previous[1] == digest and previous[4] == "ok":
            with db:
                db.execute(
                    "UPDATE documents SET size = ?, mtime = ? WHERE id = ?",
                    (stat.st_size, stat.st_mtime, previous[0]),
                )
            report.unchanged += 1
            continue
        try:
            pieces = []
            for block in parse_file(path):
                _check(cancel)
                for chunk in chunk_text(block.text, chunk_chars, overlap_chars, lambda: _check(cancel)):
                    pieces.append((chunk.text, block.page, block.section, chunk.start))
        except DocumentError as error:
            log.info("cannot index %s: %s", path, error)
            report.failed.append((str(path), str(error)))
            _write_document(collection, path, digest, stat, [], None, identity, str(error))
            continue
        # Text first, vectors after (_embed_missing, in batches across files): the keyword side
        # answers as soon as a file is written, and the slow part shows one progress with an ETA.
        _write_document(collection, path, digest, stat, pieces, None, identity, None)
        written += len(pieces)
        if previous is None:
            report.added += 1
        else:
            report.updated += 1

    embedded = _embed_missing(collection, embedder, notify, cancel) if embedder is not None else 0
    report.embedded_chunks = min(embedded, written)  # this run's new passages ...
    report.reembedded_chunks = embedded - report.embedded_chunks  # ... and older ones without a vector
    notify(IndexProgress("file", len(files), len(files)))
    report.seconds = time.monotonic() - began
    return report


def _adopt_embedder(collection: Collection, embedder: Embedder) -> None:
    """Record the embedder; vectors from any other model are useless to it, so they go."""
    db = collection.db
    if store.get_meta(db, "embedder") == embedder.identity:
        return
    with db:
        db.execute("DELETE FROM vectors WHERE model != ?", (embedder.identity,))
        store.set_meta(db, "embedder", embedder.identity)
        model_path = getattr(embedder, "model_path", None)
        if model_path is not None:
            store.set_meta(db, "embedding_model_path", str(model_path))
        store.bump_generation(db)


def _write_document(
    collection: Collection,
    path: Path,
    digest: str,
    stat: os.stat_result,
    pieces: list[tuple[str, int | None, str | None, int]],
    matrix: np.ndarray | None,
    model: str,
    error: str | None,
) -> None:
    db = collection.db
    size, mtime = stat.st_size, stat.st_mtime
    context = chunk_context(path)
    with db:
        store.delete_documents(db, [str(path)])
        cursor = db.execute(
            "INSERT INTO documents (path, hash, size, mtime, status, error, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(path), digest, size, mtime, "error" if error else "ok", error, time.time()),
        )
        document_id = cursor.lastrowid
        for order, (text, page, section, start) in enumerate(pieces):
            chunk_id = db.execute(
                "INSERT INTO chunks (document_id, ord, text, page, section, start, context) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (document_id, order, text, page, section, start, context(section)),
            ).lastrowid
            if matrix is not None:
                db.execute(
                    "INSERT INTO vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
                    (chunk_id, model, matrix[order].astype(np.float32).tobytes()),
                )
        store.add_trigram_stats(db, (store.searchable(p[0], context(p[2])) for p in pieces))
        store.bump_generation(db)


def _embed_missing(
    collection: Collection, embedder: Embedder, notify: ProgressCallback, cancel: threading.Event | None
) -> int:
    """Embed chunks that have no vector from this embedder (after a model change or a cancel)."""
    db = collection.db
    rows = db.execute(
        "SELECT c.id, c.text, c.context FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id AND v.model = ? "
        "WHERE v.chunk_id IS NULL ORDER BY c.id",
        (embedder.identity,),
    ).fetchall()
    done = 0
    began = time.monotonic()
    for start in range(0, len(rows), EMBED_BATCH):
        _check(cancel)
        elapsed = time.monotonic() - began
        rate = done / elapsed if done and elapsed > 0 else None
        eta = (len(rows) - done) / rate if rate else None
        notify(IndexProgress("embed", done, len(rows), rate=rate, eta_seconds=eta))
        batch = rows[start : start + EMBED_BATCH]
        vectors = embedder.embed([embedding_text(text, context) for _, text, context in batch])
        with db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
                [
                    (cid, embedder.identity, vectors[i].astype(np.float32).tobytes())
                    for i, (cid, _, _) in enumerate(batch)
                ],
            )
            store.bump_generation(db)
        done += len(batch)
    if rows:
        notify(
            IndexProgress(
                "embed", done, len(rows), rate=done / max(time.monotonic() - began, 1e-9), eta_seconds=0.0
            )
        )
    return done
