"""Reading and writing WAV files with the standard library (PCM 8/16/24/32-bit and 32-bit float)."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np

from ..errors import AudioUnavailableError
from ..paths import atomic_write_bytes

_FIX = "Use a PCM WAV file, e.g. convert with: sox INPUT -b 16 OUTPUT.wav (or ffmpeg -i INPUT OUTPUT.wav)"


def read_wav(path: str | Path) -> tuple[np.ndarray, int]:
    """Mono float32 samples in [-1, 1] and the sample rate. Raises AudioUnavailableError when the
    file is missing or not a WAV file Tomoshibi can read."""
    path = Path(path)
    if not path.is_file():
        raise AudioUnavailableError(f"The audio file {path} does not exist.", "Check the path.")
    try:
        with wave.open(str(path), "rb") as handle:
            channels = handle.getnchannels()
            width = handle.getsampwidth()
            rate = handle.getframerate()
            raw = handle.readframes(handle.getnframes())
        samples = _pcm_to_float(raw, width)
    except wave.Error:
        # Python 3.11's wave module knows only plain PCM: float and WAVE_FORMAT_EXTENSIBLE files
        # (24-bit and multichannel exports from sox, Audacity, DAWs) are read by walking the RIFF,
        # which also says precisely what is wrong with a file neither can read.
        samples, rate, channels = _read_riff(path)
    except (EOFError, struct.error) as error:
        raise AudioUnavailableError(f"{path.name} is truncated or damaged ({error}).", _FIX) from error
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels].reshape(-1, channels).mean(axis=1)
    return np.ascontiguousarray(samples, dtype=np.float32), rate


def _pcm_to_float(raw: bytes, width: int) -> np.ndarray:
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(raw, "<i2").astype(np.float32) / 32768.0
    if width == 3:
        b = np.frombuffer(raw, np.uint8)[: len(raw) - len(raw) % 3].reshape(-1, 3).astype(np.int32)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float32) / float(1 << 23)
    if width == 4:
        return (np.frombuffer(raw, "<i4").astype(np.float64) / float(1 << 31)).astype(np.float32)
    raise wave.Error(f"unsupported sample width {width * 8} bits")


_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE


def _read_riff(path: Path) -> tuple[np.ndarray, int, int]:
    """Minimal RIFF walk for PCM, IEEE float and WAVE_FORMAT_EXTENSIBLE files."""
    data = path.read_bytes()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioUnavailableError(f"{path.name} is not a WAV file.", _FIX)
    pos, fmt, payload = 12, b"", None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            fmt = body
        elif cid == b"data":
            payload = body
        pos += 8 + size + (size & 1)
    if len(fmt) < 16 or payload is None:
        raise AudioUnavailableError(f"{path.name} is truncated or damaged (no fmt or data chunk).", _FIX)
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]  # the sub-format GUID starts with the real tag
    width = bits // 8
    usable = payload[: len(payload) - len(payload) % max(1, width)]
    if tag == _FLOAT and bits in (32, 64):
        samples = np.frombuffer(usable, "<f4" if bits == 32 else "<f8").astype(np.float32)
    elif tag == _PCM and width in (1, 2, 3, 4):
        samples = _pcm_to_float(usable, width)
    else:
        raise AudioUnavailableError(
            f"{path.name} uses a WAV encoding Tomoshibi cannot read (format {tag}, {bits} bits).", _FIX
        )
    return samples, rate, max(1, channels)


def write_wav(path: str | Path, audio: np.ndarray, rate: int) -> None:
    """Write mono float audio as 16-bit PCM, atomically."""
    import io

    pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(int(rate))
        handle.writeframes(pcm.tobytes())
    atomic_write_bytes(Path(path), buffer.getvalue())
