"""Hybrid retrieval: vector top-k over an in-memory matrix plus FTS5 BM25, fused by reciprocal rank.

The trigram tokenizer only matches strings of three characters or more. A query is therefore
turned into quoted terms (which also neutralizes FTS5 syntax such as ``OR``, ``NEAR`` or ``*``):
English words of 3+ letters, and for Japanese every 3-character window of each run of text
(an n-gram query, the usual way to search CJK without a word splitter). Terms shorter than three
characters fall back to a LIKE scan, so a two-kanji query such as 東京 still finds something.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

RRF_K = 60  # the constant from Cormack et al.; damps the influence of the very first ranks
_SEGMENT = re.compile(r"[^\s\"'`“”‘’「」『』（）()\[\]{}<>《》〈〉【】、。，．,.!?！？:：;；/\\|*+^~=&%$#@-]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_KANA_ONLY = re.compile(r"^[\u3040-\u309f\u30fc]+$")  # hiragana: particles and endings
_STOPWORDS = frozenset(
    "the and for are was were what which who whom whose when where why how does did has have had "
    "this that these those with from into about than then them they their there here you your "
    "can could would should will shall may might must not but all any its our out off tell".split()
)


@dataclass(frozen=True)
class KeywordQuery:
    """What to ask FTS5: a MATCH expression (may be empty) and short terms for the LIKE fallback."""

    match: str
    short_terms: tuple[str, ...]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def keyword_query(text: str) -> KeywordQuery:
    """Build a safe FTS5 trigram MATCH expression (terms OR-ed, so BM25 ranks by how many match)."""
    terms: list[str] = []
    short: list[str] = []
    for segment in _SEGMENT.findall(text.lower()):
        if _CJK.search(segment):
            if len(segment) < 3:
                short.append(segment)
                continue
            grams = [segment[i : i + 3] for i in range(len(segment) - 2)]
            # All-hiragana trigrams (ですか, について) match nearly everything; keep them only if
            # nothing else is left.
            content = [g for g in grams if not _KANA_ONLY.match(g)]
            terms.extend(content or grams)
        elif len(segment) >= 3:
            if segment not in _STOPWORDS:
                terms.append(segment)
        elif segment.strip():
            short.append(segment)
    unique = list(dict.fromkeys(terms))
    return KeywordQuery(" OR ".join(_quote(t) for t in unique), tuple(dict.fromkeys(short)))


def keyword_search(db: sqlite3.Connection, query: str, limit: int) -> list[tuple[int, float]]:
    """(chunk id, BM25 score, higher is better) for the best ``limit`` keyword matches."""
    built = keyword_query(query)
    if built.match:
        rows = db.execute(
            "SELECT rowid, -bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
            (built.match, limit),
        ).fetchall()
        if rows:
            return [(int(r[0]), float(r[1])) for r in rows]
    if not built.short_terms:
        return []
    return _like_search(db, built.short_terms, limit)


def _like_search(db: sqlite3.Connection, terms: Sequence[str], limit: int) -> list[tuple[int, float]]:
    """Substring search for terms too short for trigrams, scored by occurrences (a full scan)."""
    clauses = " OR ".join(["text LIKE ? ESCAPE '\\'"] * len(terms))
    patterns = ["%" + re.sub(r"([%_\\])", r"\\\1", t) + "%" for t in terms]
    rows = db.execute(f"SELECT id, text FROM chunks WHERE {clauses} LIMIT ?", (*patterns, limit * 20)).fetchall()
    scored = [(int(cid), float(sum(text.lower().count(t) for t in terms))) for cid, text in rows]
    scored.sort(key=lambda item: -item[1])
    return scored[:limit]


class VectorIndex:
    """All of a collection's vectors as one normalized float32 matrix, for brute-force cosine top-k.

    Brute force is exact and, at 100k chunks of a few hundred dimensions, a single matrix-vector
    product of a few milliseconds: no approximate index to build or keep in sync.
    """

    def __init__(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        self.ids = ids
        self.matrix = matrix

    @classmethod
    def load(cls, db: sqlite3.Connection, model: str, dims: int) -> VectorIndex:
        rows = db.execute("SELECT chunk_id, vector FROM vectors WHERE model = ? ORDER BY chunk_id", (model,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dims)
        return cls(ids, matrix)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        if not len(self.ids):
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32).reshape(-1)
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        return [(int(self.ids[i]), float(scores[i])) for i in top]


def reciprocal_rank_fusion(rankings: Iterable[Sequence[tuple[int, float]]], k: int = RRF_K) -> dict[int, float]:
    """Fuse ranked lists of (id, score): each id scores Σ 1 / (k + rank), rank counted from 1."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused
