"""The SQLite file behind one collection: schema, migrations, connections.

One database per collection (``documents_dir()/<name>.sqlite3``), so removing a collection is
removing a file and each collection's vectors load independently. Schema changes are ordered,
registered functions recorded in ``_migrations`` (the simonw/llm way): add a new function at the
end, never edit an old one.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from models.errors import ConfigError, DocumentError
from models.migrations import MigrationList

MIGRATIONS = MigrationList()
migration = MIGRATIONS.register

_NAME = re.compile(r"^[^\W_][\w\-. ]{0,63}$")  # letters (any script), digits, - _ . and spaces
SUFFIX = ".sqlite3"


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sources (path TEXT PRIMARY KEY, added_at REAL NOT NULL);
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            hash TEXT,
            size INTEGER,
            mtime REAL,
            status TEXT NOT NULL,          -- 'ok' or 'error'
            error TEXT,
            indexed_at REAL
        );
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            text TEXT NOT NULL,
            page INTEGER,
            section TEXT,
            start INTEGER NOT NULL
        );
        CREATE INDEX chunks_document ON chunks(document_id);
        CREATE TABLE vectors (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            model TEXT NOT NULL,           -- the embedder's identity: file, digest, dimensions
            vector BLOB NOT NULL           -- float32, L2-normalized
        );
        CREATE INDEX vectors_model ON vectors(model);
        """
    )


@migration
def m002_fts_trigram(db: sqlite3.Connection) -> None:
    # Trigrams index Japanese (no spaces) as well as English; the chunks table holds the text.
    db.executescript(
        """
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, content='chunks', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        """
    )


@migration
def m003_trigram_df(db: sqlite3.Connection) -> None:
    # How many chunks hold each trigram: lets a query drop its most common terms (cheap, almost
    # no effect on BM25) so keyword search stays fast at 100k chunks, and expands terms shorter
    # than three characters (東京, 猫) into the trigrams that start with them.
    db.execute("CREATE TABLE trigram_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID")
    add_trigram_stats(db, (row[0] for row in db.execute("SELECT text FROM chunks")))


@migration
def m004_chunk_context(db: sqlite3.Connection) -> None:
    # The file name and section trail ("fuji › Mount Fuji › Climbing season") are searchable too,
    # so a question naming a document or a heading finds all of its passages.
    db.executescript(
        """
        ALTER TABLE chunks ADD COLUMN context TEXT NOT NULL DEFAULT '';
        DROP TRIGGER chunks_ai;
        DROP TRIGGER chunks_ad;
        DROP TABLE chunks_fts;
        CREATE VIRTUAL TABLE chunks_fts USING fts5(
            text, context, content='chunks', content_rowid='id', tokenize='trigram'
        );
        CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
            INSERT INTO chunks_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
        END;
        CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
            INSERT INTO chunks_fts(chunks_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
        END;
        INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild');
        DELETE FROM trigram_df;
        """
    )
    add_trigram_stats(db, (searchable(r[0], r[1]) for r in db.execute("SELECT text, context FROM chunks")))


@migration
def m005_excluded(db: sqlite3.Connection) -> None:
    # Files or folders the user took out of a collection while their parent folder stays a source.
    db.execute("CREATE TABLE excluded (path TEXT PRIMARY KEY, added_at REAL NOT NULL)")


def searchable(text: str, context: str) -> str:
    """What the FTS index holds for a chunk, as one string (for the trigram counts)."""
    return f"{text}\n{context}" if context else text


def trigrams(text: str) -> set[str]:
    """The distinct trigrams FTS5's trigram tokenizer makes of ``text`` (case folded)."""
    folded = text.lower()
    return {folded[i : i + 3] for i in range(len(folded) - 2)}


def _trigram_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(trigrams(text))
    return counts


def add_trigram_stats(db: sqlite3.Connection, texts: Iterable[str]) -> None:
    db.executemany(
        "INSERT INTO trigram_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
        _trigram_counts(texts).items(),
    )


def delete_documents(db: sqlite3.Connection, paths: Iterable[str]) -> None:
    """Delete documents, their chunks, vectors and FTS rows, keeping the trigram counts right."""
    for path in paths:
        texts = [
            searchable(r[0], r[1])
            for r in db.execute(
                "SELECT c.text, c.context FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path = ?",
                (path,),
            )
        ]
        counts = _trigram_counts(texts)
        db.executemany(
            "UPDATE trigram_df SET df = df - ? WHERE term = ?", [(n, t) for t, n in counts.items()]
        )
        db.execute("DELETE FROM documents WHERE path = ?", (path,))
    db.execute("DELETE FROM trigram_df WHERE df <= 0")


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied now."""
    return MIGRATIONS.apply(db)


def check_name(name: str) -> str:
    if not _NAME.match(name) or name.endswith((".", " ")):
        raise ConfigError(
            f"“{name}” cannot be a collection name.",
            "Use up to 64 letters, digits, spaces, dots, - or _, starting with a letter or digit.",
        )
    return name


@functools.cache
def check_fts5_trigram() -> None:
    """Raise DocumentError when this Python's SQLite lacks FTS5 or its trigram tokenizer (3.34+)."""
    fix = "Use a Python build with a newer SQLite that includes FTS5 (the official python.org builds do)."
    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise DocumentError(
            f"SQLite {sqlite3.sqlite_version} is too old for document search (3.34 or newer is needed).", fix
        )
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
    except sqlite3.OperationalError as error:
        raise DocumentError(f"This Python's SQLite cannot do full-text search ({error}).", fix) from error
    finally:
        probe.close()


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating and migrating) a collection database in WAL mode."""
    check_fts5_trigram()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=30.0, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    # Autocommit for the PRAGMAs above; "with db" transactions (BEGIN DEFERRED ... COMMIT) from here on.
    db.isolation_level = "DEFERRED"
    migrate(db)
    return db


def get_meta(db: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def bump_generation(db: sqlite3.Connection) -> None:
    """Record that chunks or vectors changed, so in-memory vector matrices reload."""
    current = int(get_meta(db, "generation", "0") or 0)
    set_meta(db, "generation", str(current + 1))
