"""Energy-based voice-activity detection with an adaptive noise floor and a hangover.

One detector serves both uses: live end-pointing while recording (trailing silence after speech ends
the recording) and, after capture, cutting a recording — from the microphone or a WAV file alike —
into speech segments so Whisper never sees long silences (where it tends to invent "Thank you.").

Why energy and not faster-whisper's Silero VAD: it runs per 30 ms block inside the recorder with no
model to load, so the level meter and the end-pointing work even before the Whisper model is ready,
and it behaves the same on every platform. Speech is a frame louder than ``margin_db`` above the
noise floor (and above an absolute minimum); the floor drops instantly to quieter frames and rises
slowly during non-speech, so a fan switching on is absorbed but a voice is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dsp import SILENCE_DBFS


@dataclass(frozen=True)
class VadConfig:
    frame_ms: int = 30
    margin_db: float = 12.0  # speech is this much louder than the noise floor ...
    min_threshold_dbfs: float = -50.0  # ... and never quieter than this
    max_threshold_dbfs: float = -22.0  # a loud room must not make normal speech "silence"
    floor_limit_dbfs: float = -90.0  # digital silence must not drag the floor to -100
    floor_rise_db_per_s: float = 3.0
    start_ms: int = 90  # this much consecutive loudness starts speech (ignores clicks)
    hangover_ms: int = 300  # speech continues through shorter pauses (between words)
    end_silence_ms: int = 1200  # live: this much silence after speech ends the recording
    no_speech_ms: int = 10_000  # live: give up when nothing was heard for this long
    pad_ms: int = 200  # segments keep this much audio on each side (soft word onsets)


def frame_dbfs(audio: np.ndarray, frame_len: int) -> np.ndarray:
    """RMS level in dBFS of each complete frame of ``frame_len`` samples."""
    n = len(audio) // frame_len
    if n == 0:
        return np.empty(0, dtype=np.float64)
    frames = np.asarray(audio[: n * frame_len], dtype=np.float64).reshape(n, frame_len)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    with np.errstate(divide="ignore"):
        db = 20.0 * np.log10(np.maximum(rms, 1e-10))
    return np.maximum(db, SILENCE_DBFS)


class EnergyVad:
    """Streaming detector: ``feed`` samples as they come, read ``in_speech``/``trailing_silence_ms``,
    and ``finish`` for the speech segments as (start, end) frame indices (end exclusive)."""

    def __init__(
        self, sample_rate: int, config: VadConfig | None = None, initial_floor_dbfs: float | None = None
    ):
        self.config = config or VadConfig()
        self.sample_rate = sample_rate
        self.frame_len = max(1, sample_rate * self.config.frame_ms // 1000)
        self.floor = initial_floor_dbfs
        self.in_speech = False
        self.heard_speech = False
        self.frames_seen = 0
        self.frame_db: list[float] = []
        self.segments: list[tuple[int, int]] = []
        self._pending = np.empty(0, dtype=np.float32)
        self._loud_run = 0
        self._quiet_run = 0
        self._seg_start = 0
        self._last_loud = -1
        ms = self.config.frame_ms
        self._start_frames = max(1, self.config.start_ms // ms)
        self._hangover_frames = max(1, self.config.hangover_ms // ms)
        self._rise = self.config.floor_rise_db_per_s * ms / 1000.0

    @property
    def threshold_dbfs(self) -> float:
        c = self.config
        floor = self.floor if self.floor is not None else c.min_threshold_dbfs - c.margin_db
        return float(min(c.max_threshold_dbfs, max(c.min_threshold_dbfs, floor + c.margin_db)))

    @property
    def trailing_silence_ms(self) -> int:
        """Milliseconds since the last loud frame, once speech has been heard (else 0)."""
        if not self.heard_speech:
            return 0
        return (self.frames_seen - self._last_loud - 1) * self.config.frame_ms

    @property
    def elapsed_ms(self) -> int:
        return self.frames_seen * self.config.frame_ms

    def feed(self, samples: np.ndarray) -> None:
        data = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32).reshape(-1)])
        n = len(data) // self.frame_len
        self._pending = data[n * self.frame_len :]
        for db in frame_dbfs(data[: n * self.frame_len], self.frame_len):
            self._step(float(db))

    def _step(self, db: float) -> None:
        c = self.config
        if self.floor is None:
            # First frame: assume it is background (people press, then speak), but never trust a
            # first frame louder than -40 dBFS as "background".
            self.floor = max(c.floor_limit_dbfs, min(db, -40.0))
        loud = db > self.threshold_dbfs
        index = self.frames_seen
        self.frames_seen += 1
        self.frame_db.append(db)
        if db < self.floor:
            self.floor = max(c.floor_limit_dbfs, db)
        elif not self.in_speech and not loud:
            self.floor = min(db, self.floor + self._rise)
        if not self.in_speech:
            self._loud_run = self._loud_run + 1 if loud else 0
            if self._loud_run >= self._start_frames:
                self.in_speech = self.heard_speech = True
                self._seg_start = index - self._loud_run + 1
                self._last_loud = index
                self._quiet_run = 0
            return
        if loud:
            self._last_loud = index
            self._quiet_run = 0
            return
        self._quiet_run += 1
        if self._quiet_run >= self._hangover_frames:
            self.in_speech = False
            self._loud_run = 0
            self.segments.append((self._seg_start, self._last_loud + 1))

    def flush(self) -> None:
        """Complete a partial last frame with silence, so the end of a recording is judged too."""
        if len(self._pending):
            self.feed(np.zeros(self.frame_len - len(self._pending), np.float32))

    def finish(self) -> list[tuple[int, int]]:
        """All speech segments in frames, closing one still open at the end."""
        segments = list(self.segments)
        if self.in_speech:
            segments.append((self._seg_start, self._last_loud + 1))
        return segments


def speech_segments(
    audio: np.ndarray, sample_rate: int, config: VadConfig | None = None
) -> tuple[list[tuple[int, int]], np.ndarray, int]:
    """Speech in a whole recording: padded, merged (start, end) sample ranges, plus the per-frame
    levels and the frame length (the chunker cuts long speech at the quietest frame)."""
    config = config or VadConfig()
    vad = EnergyVad(sample_rate, config)
    levels = frame_dbfs(audio, vad.frame_len)
    if levels.size:
        # With the whole recording at hand, start from a robust floor instead of the first frame.
        vad.floor = float(np.clip(np.percentile(levels, 10), config.floor_limit_dbfs, -40.0))
    vad.feed(audio)
    vad.flush()
    pad = sample_rate * config.pad_ms // 1000
    merged: list[tuple[int, int]] = []
    for start_frame, end_frame in vad.finish():
        start = max(0, start_frame * vad.frame_len - pad)
        end = min(len(audio), end_frame * vad.frame_len + pad)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged, np.asarray(vad.frame_db), vad.frame_len
