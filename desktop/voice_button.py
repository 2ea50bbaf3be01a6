"""Push-to-talk for the chat input: a microphone button, a live level meter, and a worker thread.

``VoiceInputButton(target_edit)`` is self-contained: hold the button (or tap it for hands-free, or
press Ctrl+Shift+Space) to record; release, a tap, the shortcut again or trailing silence ends the
recording; the transcript is inserted at the cursor of ``target_edit`` for the user to check.
Recording and transcription never run on the GUI thread: the recorder has its own thread (PortAudio's
callback plus a worker), and transcription runs in ``VoiceWorker`` on a QThread that only emits
signals. When audio cannot work (no PortAudio, no microphone, access denied) the button is disabled
and its tooltip says why and what to do; the rest of the window is unaffected.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QWidget

from models.errors import AudioUnavailableError, Cancelled, TomoshibiError
from models.voice.audio import AudioStatus, audio_status
from models.voice.events import Level, RecordingFailed, RecordingFinished, RecordingWarning
from models.voice.recorder import Recorder
from models.voice.transcriber import Transcriber, check_language

from .icons import icon

log = logging.getLogger(__name__)

SHORTCUT = "Ctrl+Shift+Space"
TAP_SECONDS = 0.35  # a shorter press is a tap: record hands-free until silence or another tap
METER_FLOOR_DBFS = -60.0


class LevelMeter(QWidget):
    """A thin horizontal bar: RMS level from -60 to 0 dBFS, a tick at the peak, green while the
    voice-activity detector hears speech."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rms_dbfs = METER_FLOOR_DBFS
        self.peak_dbfs = METER_FLOOR_DBFS
        self.speech = False
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Microphone level"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(56, 8)

    @staticmethod
    def fraction(dbfs: float) -> float:
        return max(0.0, min(1.0, (dbfs - METER_FLOOR_DBFS) / -METER_FLOOR_DBFS))

    def set_level(self, rms_dbfs: float, peak_dbfs: float, speech: bool) -> None:
        self.rms_dbfs, self.peak_dbfs, self.speech = rms_dbfs, peak_dbfs, speech
        self.setToolTip(
            self.tr("Level: %1 dBFS (peak %2 dBFS)")
            .replace("%1", f"{rms_dbfs:.0f}")
            .replace("%2", f"{peak_dbfs:.0f}")
        )
        self.update()

    def reset(self) -> None:
        self.set_level(METER_FLOOR_DBFS, METER_FLOOR_DBFS, False)

    def paintEvent(self, _event: Any) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        radius = rect.height() / 2
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self.palette().mid())
        p.drawRoundedRect(rect, radius, radius)
        width = rect.width() * self.fraction(self.rms_dbfs)
        if width > 0:
            p.setBrush(QColor("#3fa34d") if self.speech else QColor("#8a8f98"))
            p.drawRoundedRect(QRectF(rect.left(), rect.top(), width, rect.height()), radius, radius)
        x = rect.left() + rect.width() * self.fraction(self.peak_dbfs)
        p.setPen(QPen(QColor("#d9822b") if self.peak_dbfs > -3 else self.palette().text().color(), 1.5))
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        p.end()


class VoiceWorker(QObject):
    """Owns the recorder and the transcriber; lives on a QThread and only emits signals.

    ``start_recording`` and ``transcribe`` run on the worker thread (queued); ``request_stop`` and
    ``request_cancel`` are thread-safe and may be called from the GUI thread directly.
    """

    recording_started = Signal()
    level = Signal(float, float, bool)
    warning = Signal(str)
    recording_stopped = Signal(str)  # reason
    progress = Signal(float, str)  # fraction, text so far
    transcribed = Signal(str, str)  # text, language
    no_speech = Signal()
    failed = Signal(str, bool)  # message, audio unavailable (the button should disable itself)
    _captured = Signal(object)

    def __init__(
        self, transcriber: Transcriber | None = None, stream_factory: Callable[..., Any] | None = None
    ) -> None:
        super().__init__()
        self.transcriber = transcriber or Transcriber()
        self.stream_factory = stream_factory
        self.language = "auto"
        self.device: int | str | None = None  # None: the system's default input
        self._recorder: Recorder | None = None
        self._cancel = threading.Event()
        self._stop_requested = threading.Event()
        self._captured.connect(self.transcribe, Qt.ConnectionType.QueuedConnection)

    def arm(self) -> None:
        """Called on the GUI thread just before ``start_recording`` is queued: a stop or cancel
        requested from now on applies to that recording, even if it comes before the stream opens.
        Each recording gets its own flags, so cancelling an old transcription never leaks into a
        new recording (nor a new recording revive an old transcription)."""
        self._cancel = threading.Event()
        self._stop_requested = threading.Event()

    @Slot()
    def start_recording(self) -> None:
        cancel, stop_requested = self._cancel, self._stop_requested
        if cancel.is_set():
            return
        recorder = Recorder(
            lambda event: self._on_event(event, cancel),
            device=self.device,
            stream_factory=self.stream_factory,
        )
        try:
            recorder.start()
        except AudioUnavailableError as error:
            self.failed.emit(str(error), True)
            return
        except Exception as error:  # noqa: BLE001 - shown to the user, never a crash
            log.exception("could not start recording")
            self.failed.emit(str(error), False)
            return
        self._recorder = recorder
        self.recording_started.emit()
        if stop_requested.is_set():  # released before the stream was open
            recorder.stop()
        # Load the model while the user speaks, so the transcript comes right after release.
        try:
            self.transcriber.load()
        except TomoshibiError as error:
            recorder.cancel()
            self.failed.emit(str(error), False)

    def request_stop(self) -> None:
        self._stop_requested.set()
        recorder = self._recorder
        if recorder is not None:
            recorder.stop()

    def request_cancel(self) -> None:
        self._cancel.set()
        recorder = self._recorder
        if recorder is not None:
            recorder.cancel()

    def _on_event(self, event: Any, cancel: threading.Event) -> None:
        """Called on the recorder's thread: translate to signals, nothing else."""
        if isinstance(event, Level):
            self.level.emit(event.rms_dbfs, event.peak_dbfs, event.speech)
        elif isinstance(event, RecordingWarning):
            self.warning.emit(event.message)
        elif isinstance(event, RecordingFailed):
            self._recorder = None
            self.failed.emit(event.message, False)
        elif isinstance(event, RecordingFinished):
            self._recorder = None
            self.recording_stopped.emit(event.reason)
            if event.reason != "cancelled":
                self._captured.emit((event, cancel))

    @Slot(object)
    def transcribe(self, job: tuple[RecordingFinished, threading.Event]) -> None:
        event, cancel = job
        if cancel.is_set():
            return
        if not event.heard_speech or event.reason == "no_speech":
            self.no_speech.emit()
            return
        try:
            result = self.transcriber.transcribe(
                event.audio,
                event.sample_rate,
                self.language,
                progress=lambda p: self.progress.emit(p.fraction, p.text),
                cancel=cancel,
            )
        except Cancelled:
            return
        except TomoshibiError as error:
            self.failed.emit(str(error), False)
            return
        except Exception as error:  # noqa: BLE001
            log.exception("transcription failed")
            self.failed.emit(self.tr("Transcription failed: %1").replace("%1", str(error)), False)
            return
        if result.no_speech or not result.text.strip():
            self.no_speech.emit()
        else:
            self.transcribed.emit(result.text.strip(), result.language)


class VoiceInputButton(QWidget):
    """Microphone button + level meter for a chat input box.

    Signals: ``transcribed(str)`` after the text is inserted, ``send_requested(str)`` as well when
    "send right away" is on, ``error(str)`` with a message for the user. ``stream_factory`` (tests,
    other audio sources) replaces ``sounddevice.InputStream``; ``transcriber`` lets windows share one
    loaded model.
    """

    transcribed = Signal(str)
    send_requested = Signal(str)
    error = Signal(str)
    _start_requested = Signal()

    def __init__(
        self,
        target_edit: QWidget,
        parent: QWidget | None = None,
        *,
        transcriber: Transcriber | None = None,
        stream_factory: Callable[..., Any] | None = None,
        shortcut: str = SHORTCUT,
    ) -> None:
        super().__init__(parent)
        self.target_edit = target_edit
        self.send_immediately = False
        self.state = "idle"  # idle | starting | recording | transcribing | unavailable
        self.last_language = ""
        self._pressed_at = 0.0
        self._hands_free = False
        self._status: AudioStatus = AudioStatus(True) if stream_factory is not None else AudioStatus(False)

        self.button = QToolButton(self)
        self.button.setIcon(icon("mic"))
        self.button.setIconSize(QSize(20, 20))
        self.button.setAutoRaise(True)
        self.button.setAccessibleName(self.tr("Voice input"))
        self.meter = LevelMeter(self)
        self.meter.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.button)
        layout.addWidget(self.meter)

        self._thread = QThread()
        self._thread.setObjectName("tomoshibi-voice")
        self.worker = VoiceWorker(transcriber, stream_factory)
        self.worker.moveToThread(self._thread)
        self._start_requested.connect(self.worker.start_recording, Qt.ConnectionType.QueuedConnection)
        self.worker.recording_started.connect(self._on_started)
        self.worker.level.connect(self._on_level)
        self.worker.warning.connect(self._on_warning)
        self.worker.recording_stopped.connect(self._on_stopped)
        self.worker.progress.connect(self._on_progress)
        self.worker.transcribed.connect(self._on_transcribed)
        self.worker.no_speech.connect(self._on_no_speech)
        self.worker.failed.connect(self._on_failed)
        self._thread.start()
        # Stop the thread even when the widget is deleted with its window (closure: no self).
        thread, worker = self._thread, self.worker
        self.destroyed.connect(lambda *_: _shutdown(thread, worker))
        app = QCoreApplication.instance()
        if app is not None:  # a window alive until exit must not leave a running QThread behind
            app.aboutToQuit.connect(lambda: _shutdown(thread, worker))

        self.button.pressed.connect(self._on_pressed)
        self.button.released.connect(self._on_released)
        self.shortcut = QShortcut(QKeySequence(shortcut), self)
        self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcut.activated.connect(self.toggle)

        if stream_factory is None:
            self.refresh_status()
        else:
            self._set_state("idle")

    # --- public API -------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        """``auto``, ``ja`` or ``en`` (raises ConfigError otherwise)."""
        self.worker.language = check_language(language)

    def language(self) -> str:
        return self.worker.language

    def set_model(self, model: str | Path | None) -> None:
        """A speech model folder from the model library, or None/the bundled id for Whisper base."""
        self.cancel()
        self.worker.transcriber = Transcriber(model)

    def set_device(self, device: int | str | None) -> None:
        """An input device index or name (``models.voice.audio.input_devices()``); None = default."""
        self.worker.device = device

    def set_send_immediately(self, on: bool) -> None:
        self.send_immediately = bool(on)

    def refresh_status(self, probe: bool = False) -> AudioStatus:
        """Re-check the microphone (after the user fixed something) and enable/disable the button."""
        self._status = audio_status(probe=probe)
        if self.state in ("idle", "unavailable"):
            self._set_state("idle" if self._status.available else "unavailable")
        return self._status

    @property
    def available(self) -> bool:
        return self._status.available

    def start(self) -> None:
        if self.state != "idle":
            return
        self._set_state("starting")
        self.worker.arm()
        self._start_requested.emit()

    def stop(self) -> None:
        if self.state in ("starting", "recording"):
            self.worker.request_stop()

    def toggle(self) -> None:
        """The shortcut: start hands-free recording, or end it."""
        if self.state == "idle":
            self._hands_free = True
            self.start()
        else:
            self.stop()

    def cancel(self) -> None:
        self.worker.request_cancel()
        if self.state != "unavailable":
            self._set_state("idle")

    def shutdown(self) -> None:
        """Cancel any work and stop the worker thread (also done when the widget is destroyed)."""
        _shutdown(self._thread, self.worker)

    # --- button -----------------------------------------------------------------------------
    def _on_pressed(self) -> None:
        if self.state == "idle":
            self._pressed_at = time.monotonic()
            self._hands_free = False
            self.start()
        elif self.state in ("starting", "recording") and self._hands_free:
            self.stop()  # the second tap of hands-free mode

    def _on_released(self) -> None:
        if self.state not in ("starting", "recording") or self._hands_free:
            return
        if time.monotonic() - self._pressed_at < TAP_SECONDS:
            self._hands_free = True  # a tap: keep listening until silence or the next tap
            return
        self.stop()

    # --- worker signals ---------------------------------------------------------------------
    def _on_started(self) -> None:
        if self.state == "starting":
            self._set_state("recording")

    def _on_level(self, rms: float, peak: float, speech: bool) -> None:
        self.meter.set_level(rms, peak, speech)

    def _on_warning(self, message: str) -> None:
        self.button.setToolTip(message)

    def _on_stopped(self, reason: str) -> None:
        if reason != "cancelled":  # cancel() already went back to idle; a new recording may be on
            self._set_state("transcribing")

    def _on_progress(self, fraction: float, _text: str) -> None:
        self.button.setToolTip(self.tr("Transcribing… %1%").replace("%1", str(int(fraction * 100))))

    def _on_transcribed(self, text: str, language: str) -> None:
        self.last_language = language
        self._set_state("idle")
        _insert_text(self.target_edit, text)
        self.transcribed.emit(text)
        if self.send_immediately:
            self.send_requested.emit(text)

    def _on_no_speech(self) -> None:
        self._set_state("idle")
        self.button.setToolTip(self.tr("No speech was heard. Hold the button and speak, then release."))

    def _on_failed(self, message: str, unavailable: bool) -> None:
        if unavailable:
            problem, _, fix = message.partition("\n→ ")
            self._status = AudioStatus(False, problem, fix)
            self._set_state("unavailable")
        else:
            self._set_state("idle")
            self.button.setToolTip(message)
        self.error.emit(message)

    # --- look -------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.LanguageChange:  # the user switched the UI language
            self.button.setAccessibleName(self.tr("Voice input"))
            self._set_state(self.state)
        super().changeEvent(event)

    def _set_state(self, state: str) -> None:
        self.state = state
        recording = state in ("starting", "recording")
        self.button.setEnabled(state != "unavailable" and state != "transcribing")
        self.meter.setVisible(recording)
        if not recording:
            self.meter.reset()
        # Without a microphone the button shows a crossed-out, dimmed mic, so it reads as "off".
        if state == "unavailable":
            self.button.setIcon(icon("mic-off", "muted"))
        else:
            self.button.setIcon(icon("mic", "danger" if recording else "text"))
        if state == "unavailable":
            reason = self._status.reason or self.tr("Voice input is not available.")
            tip = self.tr("Voice input is off: %1").replace("%1", reason)
            if self._status.fix:
                tip += "\n" + self.tr("What to do: %1").replace("%1", self._status.fix)
        elif state == "recording":
            tip = self.tr("Listening… release (or pause) to finish.")
        elif state == "starting":
            tip = self.tr("Opening the microphone…")
        elif state == "transcribing":
            tip = self.tr("Transcribing…")
        else:
            tip = self.tr("Hold to talk, or tap to talk hands-free (%1).").replace("%1", SHORTCUT)
        self.button.setToolTip(tip)


def _insert_text(edit: QWidget, text: str) -> None:
    """Insert at the cursor of a QPlainTextEdit/QTextEdit (or QLineEdit), with a space when needed."""
    if hasattr(edit, "textCursor"):
        cursor = edit.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        if before and not before[-1].isspace() and text[:1].isascii() and text[:1].isalnum():
            text = " " + text
        cursor.insertText(text)
        edit.setTextCursor(cursor)
    elif hasattr(edit, "insert"):
        edit.insert(text)
    edit.setFocus()


def _shutdown(thread: QThread, worker: VoiceWorker) -> None:
    """Idempotent: runs from shutdown(), the widget's destroyed signal and aboutToQuit, in any order,
    possibly at interpreter exit after Qt has already deleted the objects."""
    if shiboken6.isValid(worker):
        worker.request_cancel()
    if shiboken6.isValid(thread) and thread.isRunning():
        thread.quit()
        thread.wait(30_000)
