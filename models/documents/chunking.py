"""Split text into overlapping chunks without cutting sentences, for Japanese and English alike.

Sizes are counted in characters (Japanese has no spaces, and a character budget is what a user can
reason about). Sentences end at 。！？ (full- and half-width), ．, a newline pair, or an English
``. ! ?`` followed by a space; a sentence longer than the chunk size is cut at the best point
inside it (a comma 、，, or a space) and, failing that, hard at the size limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_CHUNK_CHARS = 400
DEFAULT_OVERLAP_CHARS = 80

# Japanese sentence ends may be followed by closing brackets/quotes that belong to the sentence.
_CLOSERS = "」』）)］]】〉》\"'”’"
_SENTENCE_END = re.compile(
    rf"(?:[。！？!?．｡]+[{re.escape(_CLOSERS)}]*)"  # Japanese (full/half width) and bare !?
    rf"|(?:(?<=[^\s.])\.[{re.escape(_CLOSERS)}]*(?=\s))"  # English full stop before a space
    r"|(?:\n\s*\n)"  # a paragraph break
)
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|vs|etc|e\.g|i\.e|No|Fig)|\b[A-Z])\.$")
_SOFT_BREAK = re.compile(r"[、，,;；:：]\s*|\s+")


@dataclass(frozen=True)
class Chunk:
    """A piece of text and where it starts in the text it came from (character offset)."""

    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


# The longest abbreviation above ("Prof.", "e.g.") plus the word boundary before it.
_ABBREVIATION_WINDOW = 8
# Sentences between two looks at the cancel flag: a 20 MB text is a few hundred thousand sentences.
_CANCEL_EVERY = 4096


def split_sentences(text: str, cancel: Callable[[], None] | None = None) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``; together they cover the whole text.

    Linear in the text: the abbreviation test looks only at the few characters before a full stop
    (it used to rescan from the start for each one: 400 KB took 16 s, issue 20). ``cancel`` is
    called every few thousand sentences and may raise to stop.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for number, match in enumerate(_SENTENCE_END.finditer(text)):
        if cancel is not None and number % _CANCEL_EVERY == 0:
            cancel()
        dot = match.start()
        if match.group().startswith(".") and _ABBREVIATION.search(
            text, max(0, dot - _ABBREVIATION_WINDOW), dot + 1
        ):
            continue  # "Mr. Smith", "e.g. this": not the end of a sentence
        end = match.end()
        if end > start:
            spans.append((start, end))
            start = end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _cut_long(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut one over-long sentence into pieces of at most ``size`` characters at soft breaks."""
    pieces: list[tuple[int, int]] = []
    while end - start > size:
        limit = start + size
        cut = -1
        for match in _SOFT_BREAK.finditer(text, start + size // 2, limit):
            cut = match.end()
        if cut <= start or cut > limit:
            cut = limit
        pieces.append((start, cut))
        start = cut
    if end > start:
        pieces.append((start, end))
    return pieces


def chunk_text(
    text: str,
    size: int = DEFAULT_CHUNK_CHARS,
    overlap: int = DEFAULT_OVERLAP_CHARS,
    cancel: Callable[[], None] | None = None,
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most ``size`` characters.

    Consecutive chunks share up to ``overlap`` characters: the last whole sentences of a chunk are
    repeated at the start of the next one when they fit in the overlap (so a fact that straddles a
    boundary is still found in one piece). Chunks are stripped of surrounding whitespace; empty
    text gives no chunks.
    """
    if size <= 0:
        raise ValueError("size must be positive")
    if not 0 <= overlap < size:
        raise ValueError("overlap must be in [0, size)")
    units: list[tuple[int, int]] = []
    for s, e in split_sentences(text, cancel):
        units.extend(_cut_long(text, s, e, size) if e - s > size else [(s, e)])

    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        first = i
        begin = units[i][0]
        j = i
        while j < len(units) and units[j][1] - begin <= size:
            j += 1
        j = max(j, i + 1)  # a unit is never longer than size, so j > i always; kept for safety
        _append(chunks, text, begin, units[j - 1][1])
        if j >= len(units):
            break
        # Step back over the trailing sentences that fit in the overlap, never to where we started.
        k = j
        # The next chunk must still hold the next new sentence, or it would repeat old text only.
        while (
            k - 1 > first
            and units[j - 1][1] - units[k - 1][0] <= overlap
            and units[j][1] - units[k - 1][0] <= size
        ):
            k -= 1
        i = k
    return chunks


def _append(chunks: list[Chunk], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    chunks.append(Chunk(stripped, start + lead))
