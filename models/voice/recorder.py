"""Recording from the microphone off the GUI thread.

PortAudio calls ``Recorder.callback`` on its own real-time thread with each block of frames; the
callback only copies the block onto a queue (it must never block or allocate much). A worker thread
takes blocks from the queue, measures their level, runs the voice-activity detector, and ends the
recording on ``stop()``, after trailing silence, when nothing was said for a while, or at the length
limit. Everything the outside world learns arrives as typed events through ``on_event``, called from
that worker thread — the desktop layer turns them into queued Qt signals.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import AudioUnavailableError, TomoshibiError
from .audio import classify_open_error, default_input, import_sounddevice
from .dsp import levels
from .events import (
    Level,
    RecorderEvent,
    RecordingFailed,
    RecordingFinished,
    RecordingStarted,
    RecordingWarning,
)
from .vad import EnergyVad, VadConfig

log = logging.getLogger(__name__)

_STOP = object()
_SILENT_MIC_SECONDS = 1.5


class Recorder:
    """Push-to-talk recording. ``start()`` opens the stream (raises AudioUnavailableError),
    ``stop()`` ends it; the result comes as a ``RecordingFinished`` event.

    ``stream_factory`` replaces ``sounddevice.InputStream`` (same keyword arguments, same callback
    contract) — tests feed recorded frames through it.
    """

    def __init__(
        self,
        on_event: Callable[[RecorderEvent], None],
        *,
        device: int | str | None = None,
        sample_rate: int | None = None,
        vad: VadConfig | None = None,
        auto_stop: bool = True,
        max_seconds: float = 120.0,
        block_seconds: float = 0.05,
        stream_factory: Callable[..., Any] | None = None,
    ) -> None:
        self.on_event = on_event
        self.device = device
        self.sample_rate = sample_rate
        self.vad_config = vad or VadConfig()
        self.auto_stop = auto_stop
        self.max_seconds = max_seconds
        self.block_seconds = block_seconds
        self.stream_factory = stream_factory
        self._queue: queue.Queue[Any] = queue.Queue()
        self._stream: Any = None
        self._thread: threading.Thread | None = None
        self._reason = "stopped"
        self._lock = threading.Lock()

    @property
    def recording(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Open the input stream and start the worker. Raises AudioUnavailableError."""
        with self._lock:
            if self.recording:
                return
            name = "test stream"
            if self.stream_factory is None:
                sd = import_sounddevice()
                factory: Callable[..., Any] = sd.InputStream
                open_errors: tuple[type[BaseException], ...] = (sd.PortAudioError, ValueError)
                if self.sample_rate is None or self.device is None:
                    name, default_rate = default_input(sd, self.device)
                    self.sample_rate = self.sample_rate or default_rate
            else:
                factory, open_errors = self.stream_factory, (OSError, ValueError)
                self.sample_rate = self.sample_rate or 48_000
            rate = int(self.sample_rate)
            self._queue = queue.Queue()
            self._reason = "stopped"
            try:
                self._stream = factory(
                    samplerate=rate,
                    channels=1,
                    dtype="float32",
                    blocksize=max(1, int(rate * self.block_seconds)),
                    device=self.device,
                    callback=self.callback,
                )
                self._stream.start()
            except open_errors as error:
                self._close_stream()
                raise classify_open_error(error) from error
            # Announced before the worker runs, so no Level event can come before it.
            self._emit(RecordingStarted(sample_rate=rate, device=str(self.device or name)))
            self._thread = threading.Thread(
                target=self._run, args=(rate,), name="tomoshibi-recorder", daemon=True
            )
            self._thread.start()

    def callback(self, indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        """The PortAudio callback: copy the block (PortAudio reuses the buffer) and hand it over."""
        block = indata[:frames, 0] if indata.ndim == 2 else indata[:frames]
        self._queue.put((np.array(block, dtype=np.float32, copy=True), str(status) if status else ""))

    def stop(self) -> None:
        """End the recording; the audio so far arrives as RecordingFinished(reason="stopped")."""
        self._finish("stopped")

    def cancel(self) -> None:
        """End the recording and drop it (RecordingFinished(reason="cancelled"))."""
        self._finish("cancelled")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker to end; True when it has."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _finish(self, reason: str) -> None:
        if self.recording:
            self._reason = reason
            self._queue.put(_STOP)

    def _emit(self, event: RecorderEvent) -> None:
        try:
            self.on_event(event)
        except Exception:  # a broken listener must not stop the recording thread
            log.exception("voice event handler failed")

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.stop()
        except Exception:  # noqa: BLE001 - an unplugged device may refuse to stop; closing still frees it
            log.debug("stream.stop failed", exc_info=True)
        try:
            stream.close()
        except Exception:  # noqa: BLE001
            log.debug("stream.close failed", exc_info=True)

    def _run(self, rate: int) -> None:
        vad = EnergyVad(rate, self.vad_config)
        blocks: list[np.ndarray] = []
        total = 0
        warned: set[str] = set()
        all_zero = True
        reason = ""
        try:
            while not reason:
                try:
                    item = self._queue.get(timeout=0.5)
                except queue.Empty:
                    if self._stream is not None and not getattr(self._stream, "active", True):
                        self._emit(
                            RecordingFailed(
                                "The microphone stopped delivering sound (unplugged or taken by another program)."
                                "\n→ Check the microphone, then try again."
                            )
                        )
                        reason = "failed"
                    continue
                if item is _STOP:
                    reason = self._reason
                    break
                block, status = item
                if status and status not in warned:
                    warned.add(status)
                    self._emit(RecordingWarning(f"The sound device reported: {status}."))
                blocks.append(block)
                total += len(block)
                vad.feed(block)
                rms, peak = levels(block)
                self._emit(Level(rms_dbfs=rms, peak_dbfs=peak, seconds=total / rate, speech=vad.in_speech))
                if all_zero and np.any(block):
                    all_zero = False
                if all_zero and total >= _SILENT_MIC_SECONDS * rate and "silent" not in warned:
                    warned.add("silent")
                    self._emit(
                        RecordingWarning(
                            "The microphone delivers only silence. On macOS this means microphone access is "
                            "not allowed: System Settings → Privacy & Security → Microphone."
                        )
                    )
                if self.auto_stop and vad.trailing_silence_ms >= self.vad_config.end_silence_ms:
                    reason = "silence"
                elif (
                    self.auto_stop and not vad.heard_speech and vad.elapsed_ms >= self.vad_config.no_speech_ms
                ):
                    reason = "no_speech"
                elif total >= self.max_seconds * rate:
                    reason = "max_length"
        except TomoshibiError as error:
            self._emit(RecordingFailed(str(error)))
            reason = "failed"
        except Exception as error:  # noqa: BLE001 - reported as an event, never a crash
            log.exception("recording failed")
            self._emit(
                RecordingFailed(
                    f"Recording failed: {error}\n→ Try again; if it keeps failing, restart Tomoshibi."
                )
            )
            reason = "failed"
        finally:
            self._close_stream()
        if reason == "failed":
            return
        audio = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
        self._emit(
            RecordingFinished(audio=audio, sample_rate=rate, reason=reason, heard_speech=vad.heard_speech)
        )


__all__ = ["Recorder", "AudioUnavailableError"]
