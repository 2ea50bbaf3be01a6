"""Hybrid retrieval: vector top-k over an in-memory matrix plus FTS5 BM25, fused by reciprocal rank.

Keyword queries are built for the trigram tokenizer, which only matches strings of three
characters or more. English words of 3+ letters become quoted phrases (quoting also neutralizes
FTS5 syntax such as ``OR``, ``NEAR`` or ``*``); two-letter words are matched as " ai " with the
spaces. Japanese has no spaces, so each run of text gives its 3-character windows (the usual
n-gram way to search CJK without a word splitter), and a one- or two-character word such as
東京 or 猫 is expanded into the indexed trigrams that start with it (from ``trigram_df``).

BM25 over OR-ed terms costs time in proportion to the rows that match, so terms are taken from
the rarest up while the estimated rows stay within a budget: the common terms left out carry
almost no BM25 weight, and a query stays fast at 100k chunks.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .store import trigrams

RRF_K = 60  # the constant from Cormack et al.; damps the influence of the very first ranks
ROW_BUDGET = 2000  # rows FTS5 may score for one query (bm25() costs ~5-10 µs a row)
MAX_EXPANSIONS = 16  # trigrams a short Japanese word expands into
_SEGMENT = re.compile(
    r"[^\s\"'`“”‘’「」『』（）()\[\]{}<>《》〈〉【】、。，．,.!?！？:：;；/\\|*+^~=&%$#@-]+"
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_HIRAGANA = re.compile(r"[\u3040-\u309f]+")
_KANA_ONLY = re.compile(r"^[\u3040-\u309f\u30fc]+$")  # hiragana: particles and endings
_STOPWORDS = frozenset(
    "the and for are was were what which who whom whose when where why how does did has have had "
    "this that these those with from into about than then them they their there here you your "
    "can could would should will shall may might must not but all any its our out off tell "
    "is of to in on at it be as by an or do if me my we so no up us he she his her".split()
)


@dataclass(frozen=True)
class KeywordQuery:
    """Phrases to match as they are, and short Japanese words to expand through ``trigram_df``."""

    phrases: tuple[str, ...]
    short_terms: tuple[str, ...]


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def keyword_query(text: str) -> KeywordQuery:
    """Split a query into trigram-searchable phrases and short CJK words."""
    phrases: list[str] = []
    short: list[str] = []
    for segment in _SEGMENT.findall(text.lower()):
        if _CJK.search(segment):
            grams = [segment[i : i + 3] for i in range(len(segment) - 2)]
            # All-hiragana trigrams (ですか, について) match nearly everything.
            phrases.extend(g for g in grams if not _KANA_ONLY.match(g))
            for run in _HIRAGANA.split(segment):  # content words sit between particles
                if 0 < len(run) < 3:
                    short.append(run)
        elif len(segment) >= 3:
            if segment not in _STOPWORDS:
                phrases.append(segment)
        elif len(segment) == 2 and segment not in _STOPWORDS:
            phrases.append(f" {segment} ")  # a two-letter word, as a word
    return KeywordQuery(tuple(dict.fromkeys(phrases)), tuple(dict.fromkeys(short)))


def _phrase_rows(db: sqlite3.Connection, phrases: Sequence[str]) -> dict[str, int]:
    """An upper bound of the rows each phrase matches: the count of its rarest trigram (0: none)."""
    wanted = {t for p in phrases for t in trigrams(p)}
    counts: dict[str, int] = {}
    items = sorted(wanted)
    for start in range(0, len(items), 500):
        part = items[start : start + 500]
        marks = ",".join("?" * len(part))
        counts.update(db.execute(f"SELECT term, df FROM trigram_df WHERE term IN ({marks})", part).fetchall())
    return {p: min((counts.get(t, 0) for t in trigrams(p)), default=0) for p in phrases}


def choose_terms(rows: dict[str, int], total: int, budget: int = ROW_BUDGET) -> list[str]:
    """The rarest terms first, while the rows to score stay within ``budget`` (at least one term).

    Terms in more than half of the chunks are dropped: BM25 gives them (almost) no weight.
    """
    ranked = sorted((n, t) for t, n in rows.items() if 0 < n <= max(1, total // 2))
    chosen: list[str] = []
    spent = 0
    for n, term in ranked:
        if chosen and spent + n > budget:
            break
        chosen.append(term)
        spent += n
    return chosen


def keyword_search(db: sqlite3.Connection, query: str, limit: int) -> list[tuple[int, float]]:
    """(chunk id, BM25 score, higher is better) for the best ``limit`` keyword matches."""
    built = keyword_query(query)
    rows = _phrase_rows(db, built.phrases)
    for word in built.short_terms:
        expansions = db.execute(
            "SELECT term, df FROM trigram_df WHERE term >= ? AND term < ? ORDER BY df DESC LIMIT ?",
            (word, word + "\U0010ffff", MAX_EXPANSIONS),
        ).fetchall()
        rows.update(expansions)
    if not any(rows.values()):
        return []
    total = int(db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
    chosen = choose_terms(rows, total)
    if not chosen:
        return []
    expression = " OR ".join(_quote(t) for t in chosen)
    if sum(rows[t] for t in chosen) <= ROW_BUDGET:
        found = db.execute(
            "SELECT rowid, -bm25(chunks_fts, 1.0, 0.5) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit),
        ).fetchall()
    else:
        # Even the rarest term is in too many chunks to rank them all: score the first ROW_BUDGET
        # (bm25() only runs for the rows returned) and keep the best. Such a term says little anyway.
        found = db.execute(
            "SELECT rowid, -bm25(chunks_fts, 1.0, 0.5) FROM chunks_fts WHERE chunks_fts MATCH ? LIMIT ?",
            (expression, ROW_BUDGET),
        ).fetchall()
        found = sorted(found, key=lambda r: -r[1])[:limit]
    return [(int(r[0]), float(r[1])) for r in found]


def reciprocal_rank_fusion(
    rankings: Iterable[Sequence[tuple[int, float]]], k: int = RRF_K
) -> dict[int, float]:
    """Fuse ranked lists of (id, score): each id scores Σ 1 / (k + rank), rank counted from 1."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused
