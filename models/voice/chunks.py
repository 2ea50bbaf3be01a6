"""Cutting a long recording into windows Whisper can take (≤ 30 s each).

Speech segments from the VAD are packed greedily into chunks of at most ``max_seconds``, joined by a
short silence, so long pauses cost no compute. A single stretch of speech longer than that is cut at
its quietest frame in the last few seconds before the limit — between words, almost always — rather
than with overlapping windows: overlap needs the duplicated words removed from the text afterwards,
which is fragile, and for Japanese (no spaces) very fragile.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

JOIN_GAP_SECONDS = 0.3
SEARCH_SECONDS = 6.0  # how far back from the limit a cut point may be


@dataclass(frozen=True)
class Chunk:
    """Sample ranges (start, end) of the 16 kHz recording that make up one Whisper window."""

    pieces: tuple[tuple[int, int], ...]

    @property
    def samples(self) -> int:
        return sum(end - start for start, end in self.pieces)

    def audio(self, recording: np.ndarray, sample_rate: int) -> np.ndarray:
        gap = np.zeros(int(JOIN_GAP_SECONDS * sample_rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        for i, (start, end) in enumerate(self.pieces):
            if i:
                parts.append(gap)
            parts.append(recording[start:end])
        return np.concatenate(parts).astype(np.float32, copy=False) if parts else gap[:0]


def _split_long(
    segment: tuple[int, int], limit: int, frame_db: np.ndarray, frame_len: int, sample_rate: int
) -> list[tuple[int, int]]:
    start, end = segment
    out: list[tuple[int, int]] = []
    search = int(SEARCH_SECONDS * sample_rate)
    while end - start > limit:
        lo_frame = (start + limit - search) // frame_len + 1
        hi_frame = min(len(frame_db), (start + limit) // frame_len)
        if hi_frame > lo_frame:
            quietest = lo_frame + int(np.argmin(frame_db[lo_frame:hi_frame]))
            cut = quietest * frame_len + frame_len // 2
        else:
            cut = start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def plan_chunks(
    segments: list[tuple[int, int]],
    frame_db: np.ndarray,
    frame_len: int,
    sample_rate: int,
    max_seconds: float = 28.0,
) -> list[Chunk]:
    """Pack speech segments (sample ranges) into chunks of at most ``max_seconds`` of audio."""
    limit = int(max_seconds * sample_rate)
    gap = int(JOIN_GAP_SECONDS * sample_rate)
    pieces: list[tuple[int, int]] = []
    for segment in segments:
        pieces.extend(_split_long(segment, limit, frame_db, frame_len, sample_rate))
    chunks: list[Chunk] = []
    current: list[tuple[int, int]] = []
    length = 0
    for start, end in pieces:
        added = (end - start) + (gap if current else 0)
        if current and length + added > limit:
            chunks.append(Chunk(tuple(current)))
            current, length, added = [], 0, end - start
        current.append((start, end))
        length += added
    if current:
        chunks.append(Chunk(tuple(current)))
    return chunks
