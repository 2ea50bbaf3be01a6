"""Signal helpers for voice input: levels in dBFS, mono mix-down, resampling to 16 kHz.

Resampling is a polyphase windowed-sinc filter written with numpy alone (no scipy: it would add
~40 MB to the frozen app for one function). For a rational ratio L/M (48000→16000 is 1/3,
22050→16000 is 320/441) each output sample is one dot product of ~2·16 zero crossings of a
Kaiser-windowed sinc whose cut-off sits just below the lower Nyquist frequency, with the filter
bank precomputed per phase. Linear interpolation would be simpler but folds everything above 8 kHz
back into the speech band (sibilants, keyboard clicks), which Whisper then hears as noise.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

TARGET_RATE = 16_000
SILENCE_DBFS = -100.0

_ZERO_CROSSINGS = 16  # half-width of the sinc in zero crossings: stop-band ~ -80 dB with Kaiser 8.6
_KAISER_BETA = 8.6
_ROLLOFF = 0.94  # cut-off as a fraction of the lower Nyquist: keeps the transition band below it
_BLOCK = 1 << 15  # output samples per vectorized block (bounds memory for long recordings)


def to_dbfs(value: float) -> float:
    """Amplitude (full scale = 1.0) to dBFS, floored at SILENCE_DBFS."""
    if value <= 1e-5:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20.0 * math.log10(value))


def levels(block: np.ndarray) -> tuple[float, float]:
    """(rms_dbfs, peak_dbfs) of a block of float samples."""
    if block.size == 0:
        return SILENCE_DBFS, SILENCE_DBFS
    data = block.astype(np.float64, copy=False)
    rms = float(np.sqrt(np.mean(data * data)))
    peak = float(np.max(np.abs(data)))
    return to_dbfs(rms), to_dbfs(peak)


def to_mono(frames: np.ndarray) -> np.ndarray:
    """(n,) or (n, channels) samples of any numeric dtype → mono float32 in [-1, 1]."""
    data = np.asarray(frames)
    if data.dtype.kind in "iu":
        info = np.iinfo(data.dtype)
        scale = float(max(abs(info.min), info.max))
        offset = 0.0 if data.dtype.kind == "i" else (info.max + 1) / 2.0
        data = (data.astype(np.float64) - offset) / scale
    if data.ndim == 2:
        data = data.mean(axis=1)
    return np.ascontiguousarray(data, dtype=np.float32)


@lru_cache(maxsize=16)
def _filter_bank(up: int, down: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-phase filter taps (up, taps) and the tap offsets relative to floor(input time)."""
    cutoff = 0.5 * min(1.0, up / down) * _ROLLOFF  # cycles per input sample
    half = int(math.ceil(_ZERO_CROSSINGS / (2.0 * cutoff)))
    offsets = np.arange(-half + 1, half + 1)  # input samples around the output time
    phases = np.arange(up)[:, None] / up  # fractional part of the output time
    t = phases - offsets[None, :]  # distance from each tap, in input samples
    window = np.i0(_KAISER_BETA * np.sqrt(np.clip(1.0 - (t / half) ** 2, 0.0, 1.0))) / np.i0(_KAISER_BETA)
    bank = 2.0 * cutoff * np.sinc(2.0 * cutoff * t) * window
    bank /= bank.sum(axis=1, keepdims=True)  # unity gain at DC for every phase
    return bank.astype(np.float32), offsets


def resample(audio: np.ndarray, rate: int, target: int = TARGET_RATE) -> np.ndarray:
    """Resample mono float audio from ``rate`` to ``target`` Hz (polyphase windowed sinc)."""
    audio = np.ascontiguousarray(audio, dtype=np.float32)
    if rate == target or audio.size == 0:
        return audio
    if rate <= 0 or target <= 0:
        raise ValueError(f"sample rates must be positive, got {rate} → {target}")
    g = math.gcd(rate, target)
    up, down = target // g, rate // g
    bank, offsets = _filter_bank(up, down)
    n_out = (audio.size * up) // down
    pad = int(offsets[-1]) + 1
    padded = np.concatenate([np.zeros(pad, np.float32), audio, np.zeros(pad, np.float32)])
    out = np.empty(n_out, dtype=np.float32)
    for start in range(0, n_out, _BLOCK):
        n = np.arange(start, min(n_out, start + _BLOCK), dtype=np.int64)
        base = (n * down) // up
        phase = (n * down) % up
        idx = base[:, None] + offsets[None, :] + pad
        out[start : start + n.size] = np.einsum("ij,ij->i", padded[idx], bank[phase])
    return out
