"""Store, keyword search and fusion logic (no model): migrations, trigram FTS, escaping, RRF.

The ``HashingEmbedder`` here is a test double for the pure-logic parts (incremental bookkeeping,
cancel); retrieval quality with real embeddings is tested in test_documents_e2e.py.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from models.documents import index_collection, list_collections, open_collection, remove_collection
from models.documents.retrieval import choose_terms, keyword_query, keyword_search, reciprocal_rank_fusion
from models.documents.store import MIGRATIONS, add_trigram_stats, connect, delete_documents, migrate
from models.errors import Cancelled, ConfigError


class HashingEmbedder:
    """Character trigrams hashed into 64 dimensions: deterministic, instant, no model."""

    def __init__(self, name: str = "hashing") -> None:
        self.identity = f"{name}|test|64"
        self.dims = 64
        self.note = ""
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dims), np.float32)
        for row, text in enumerate(texts):
            for i in range(max(1, len(text) - 2)):
                digest = hashlib.blake2s(text[i : i + 3].encode(), digest_size=2).digest()
                out[row, int.from_bytes(digest, "little") % self.dims] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def test_migrations_build_the_schema_once(tmp_path: Path) -> None:
    db = connect(tmp_path / "c.sqlite3")
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert names == [name for name, _ in MIGRATIONS]
    assert migrate(db) == []  # nothing left to apply
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    assert {
        "meta",
        "sources",
        "documents",
        "chunks",
        "vectors",
        "chunks_fts",
        "chunks_ai",
        "chunks_ad",
        "trigram_df",
    } <= tables
    columns = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    assert {"path", "hash", "mtime", "status", "error"} <= columns
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    fts_sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'chunks_fts'").fetchone()[0]
    assert "trigram" in fts_sql
    assert sqlite3.sqlite_version_info >= (3, 34)


def _fill(db: sqlite3.Connection, texts: list[str]) -> list[int]:
    with db:
        add_trigram_stats(db, texts)
        doc = db.execute("INSERT INTO documents (path, status) VALUES ('x.txt', 'ok')").lastrowid
        return [
            int(
                db.execute(
                    "INSERT INTO chunks (document_id, ord, text, start) VALUES (?, ?, ?, 0)", (doc, i, t)
                ).lastrowid
            )
            for i, t in enumerate(texts)
        ]


def test_trigram_keyword_search_japanese_english_and_short_queries(tmp_path: Path) -> None:
    db = connect(tmp_path / "c.sqlite3")
    ids = _fill(
        db,
        [
            "東海道新幹線は東京と新大阪を結ぶ。",
            "味噌汁は沸騰させない。",
            "The sourdough starter needs feeding.",
            'Ignore "quotes" OR stars* NEAR(things) here.',
        ],
    )
    assert keyword_search(db, "東海道新幹線の所要時間", 5)[0][0] == ids[0]
    assert keyword_search(db, "How do I feed a SOURDOUGH starter?", 5)[0][0] == ids[2]
    # Two characters: too short for trigrams, found by the LIKE fallback.
    assert [cid for cid, _ in keyword_search(db, "味噌", 5)] == [ids[1]]
    # Query syntax is data, never an FTS5 error.
    for nasty in ['"', 'quotes" OR', "stars*", "NEAR(things)", "AND OR NOT", "col:umn", "(", "%_\\"]:
        keyword_search(db, nasty, 5)
    assert keyword_search(db, 'NEAR(things) "quotes"', 5)[0][0] == ids[3]
    assert keyword_search(db, "nothing matches zzzqqq", 5) == []
    assert keyword_search(db, "猫", 5) == []
    # Deleting a document removes its chunks and their FTS rows (cascade + trigger).
    with db:
        delete_documents(db, ["x.txt"])
    assert db.execute("SELECT COUNT(*) FROM trigram_df").fetchone()[0] == 0
    assert (
        db.execute("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH '\"新幹線\"'").fetchone()[0] == 0
    )


def test_keyword_query_shapes() -> None:
    query = keyword_query("富士山に登れる時期はいつですか")
    assert "富士山" in query.phrases and "時期は" in query.phrases
    assert "いつで" not in query.phrases  # all-hiragana trigrams match nearly everything
    assert query.short_terms == ("登", "時期")  # content words between particles, too short for trigrams
    assert keyword_query("What is the sourdough?").phrases == ("sourdough",)
    assert keyword_query('say "hi"').phrases == ("say", " hi ")
    assert keyword_query("東京").short_terms == ("東京",)


def test_common_terms_are_left_out_within_the_budget() -> None:
    rows = {"rare": 3, "medium": 900, "common": 3000, "everywhere": 9000, "absent": 0}
    assert choose_terms(rows, total=10000, budget=3500) == ["rare", "medium"]
    assert choose_terms(rows, total=10000, budget=10**6) == ["rare", "medium", "common"]
    assert choose_terms({"everywhere": 9000}, total=10000) == []


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([[(1, 0.9), (2, 0.8), (3, 0.1)], [(2, 5.0), (4, 1.0)]], k=60)
    assert max(fused, key=fused.__getitem__) == 2
    assert fused[1] == pytest.approx(1 / 61)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)


def test_collections_are_created_listed_and_removed(tmp_path: Path) -> None:
    open_collection("仕事のメモ", create=True)
    open_collection("notes", create=True)
    assert list_collections() == ["notes", "仕事のメモ"]
    remove_collection("notes")
    assert list_collections() == ["仕事のメモ"]
    for bad in ["", "../evil", ".hidden", "a/b", "x" * 80]:
        with pytest.raises(ConfigError):
            open_collection(bad, create=True)
    with pytest.raises(ConfigError, match="docs add"):
        open_collection("missing")


def test_incremental_bookkeeping_and_cancel(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n in range(4):
        (folder / f"f{n}.txt").write_text(f"File number {n}. " * 30, encoding="utf-8")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "skip.txt").write_text("hidden", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    collection = open_collection("c", create=True)
    collection.add_sources([folder])
    embedder = HashingEmbedder()

    cancel = threading.Event()
    seen: list[str] = []

    def cancel_after_first(progress: object) -> None:
        path = getattr(progress, "path", "")
        if path and path not in seen:
            seen.append(path)
            if len(seen) == 2:
                cancel.set()

    with pytest.raises(Cancelled):
        index_collection(collection, embedder, progress=cancel_after_first, cancel=cancel)
    assert [d.path for d in collection.documents()] == [str(folder / "f0.txt")]  # the done file is kept

    report = index_collection(collection, embedder)
    assert (report.added, report.unchanged, report.updated) == (3, 1, 0)
    assert len(collection.documents()) == 4 and not collection.is_stale(embedder)

    calls = embedder.calls
    (folder / "f2.txt").write_text("Changed text. " * 10, encoding="utf-8")
    (folder / "f3.txt").unlink()
    report = index_collection(collection, embedder)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 1, 2)
    assert embedder.calls - calls == report.embedded_chunks == 1
    assert collection.search("Changed text", embedder, k=1).passages[0].path.endswith("f2.txt")
    assert all(not p.path.endswith("f3.txt") for p in collection.search("File number 3", None, k=5).passages)


@pytest.mark.parametrize("structured", [True, False])
def test_vector_pruning_is_exact(structured: bool) -> None:
    from models.documents.vectors import PRUNE_MIN_ROWS, VectorIndex

    rng = np.random.default_rng(5)
    n, dims = PRUNE_MIN_ROWS + 500, 128
    if structured:  # like sentence embeddings: a shared direction and a few topics, plus noise
        topics = rng.standard_normal((24, dims)).astype(np.float32)
        mix = rng.standard_normal((n, 24)).astype(np.float32)
        matrix = 3.0 + mix @ topics + 0.3 * rng.standard_normal((n, dims)).astype(np.float32)
    else:  # isotropic: no low-rank structure, the index falls back to brute force
        matrix = rng.standard_normal((n, dims)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    index = VectorIndex(np.arange(n, dtype=np.int64) + 7, matrix)
    assert index.pruning is structured
    queries = matrix[rng.choice(n, 12)] + 0.05 * rng.standard_normal((12, dims)).astype(np.float32)
    for q in queries / np.linalg.norm(queries, axis=1, keepdims=True):
        exact = matrix @ q
        expected = (np.argsort(-exact)[:10] + 7).tolist()
        got = index.search(q, 10)
        assert [cid for cid, _ in got] == expected
        assert np.allclose([s for _, s in got], np.sort(exact)[::-1][:10], atol=1e-5)
