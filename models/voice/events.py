"""Typed events of voice input: the recorder and the transcriber speak only in these.

Small frozen dataclasses, like the engine's generation events, so the desktop layer can turn them
into Qt signals and the CLI can print them without knowing how they were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class RecordingStarted:
    """The input stream is open and frames are flowing."""

    sample_rate: int
    device: str


@dataclass(frozen=True)
class Level:
    """Loudness of the latest block, for a level meter. dBFS: 0 is full scale, -100 means silence."""

    rms_dbfs: float
    peak_dbfs: float
    seconds: float  # recorded so far
    speech: bool  # the voice-activity detector currently hears speech


@dataclass(frozen=True)
class RecordingWarning:
    """Something the user may want to know while recording (overflow, a silent microphone)."""

    message: str


@dataclass(frozen=True, eq=False)
class RecordingFinished:
    """The recording ended. ``reason``: ``stopped`` (released / stop()), ``silence`` (trailing
    silence after speech), ``no_speech`` (nothing heard for a while), ``max_length`` or ``cancelled``.
    ``audio`` is mono float32 at ``sample_rate`` (the device rate; the transcriber resamples)."""

    audio: np.ndarray
    sample_rate: int
    reason: str
    heard_speech: bool

    @property
    def seconds(self) -> float:
        return len(self.audio) / float(self.sample_rate) if self.sample_rate else 0.0


@dataclass(frozen=True)
class RecordingFailed:
    """The stream broke while recording. ``message`` says what happened and what to do."""

    message: str


@dataclass(frozen=True)
class TranscriptionProgress:
    """``done_seconds`` of ``total_seconds`` of speech are transcribed; ``text`` is the text so far."""

    done_seconds: float
    total_seconds: float
    text: str
    chunk: int
    chunks: int

    @property
    def fraction(self) -> float:
        return 1.0 if self.total_seconds <= 0 else min(1.0, self.done_seconds / self.total_seconds)


@dataclass(frozen=True)
class Transcript:
    """The result. ``real_time_factor`` = compute seconds / audio seconds (below 1 is faster than
    real time). ``no_speech`` is True when the voice-activity detector heard nothing to transcribe."""

    text: str
    language: str
    audio_seconds: float
    speech_seconds: float
    compute_seconds: float
    chunks: int
    no_speech: bool = False
    chunk_texts: tuple[str, ...] = field(default=())

    @property
    def real_time_factor(self) -> float:
        return self.compute_seconds / self.audio_seconds if self.audio_seconds > 0 else 0.0


RecorderEvent = RecordingStarted | Level | RecordingWarning | RecordingFinished | RecordingFailed
