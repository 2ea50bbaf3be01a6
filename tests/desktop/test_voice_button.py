"""The push-to-talk button: disabled with a reason when audio cannot work, and the whole path —
frames through the PortAudio callback contract, level meter, worker QThread, Whisper — ending with
the transcript in the chat input."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout, QWidget

from desktop.voice_button import VoiceInputButton
from models.errors import ConfigError
from models.voice.wavfile import read_wav
from tests.speech import (
    ENGLISH,
    espeak_wav,
    normalize,
    shared_transcriber,
    simulate_missing_portaudio,
    sox_resample,
    stream_factory,
)


@pytest.fixture(scope="module")
def speech_48k(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    folder = tmp_path_factory.mktemp("speech")
    wav = sox_resample(espeak_wav(ENGLISH, folder / "en.wav"), folder / "en48.wav", 48_000)
    audio, rate = read_wav(wav)
    assert rate == 48_000
    return np.concatenate([np.zeros(rate // 4, np.float32), audio])


@pytest.fixture(scope="module")
def transcriber(tmp_path_factory: pytest.TempPathFactory):
    return shared_transcriber(tmp_path_factory)


def _window(qtbot, **kwargs):  # noqa: ANN001, ANN003
    window = QWidget()
    edit = QPlainTextEdit(window)
    button = VoiceInputButton(edit, window, **kwargs)
    layout = QVBoxLayout(window)
    layout.addWidget(edit)
    layout.addWidget(button)
    qtbot.addWidget(window)
    window.show()
    return window, edit, button


def test_without_portaudio_the_window_builds_and_the_button_explains(qtbot, monkeypatch) -> None:  # noqa: ANN001
    simulate_missing_portaudio(monkeypatch)
    window, edit, button = _window(qtbot)
    assert not button.available and button.state == "unavailable"
    assert not button.button.isEnabled()
    tip = button.button.toolTip()
    assert "PortAudio" in tip and "What to do" in tip
    if sys.platform.startswith("linux"):
        assert "libportaudio2" in tip
    edit.setPlainText("typing still works")
    button.toggle()  # the shortcut does nothing while unavailable
    assert button.state == "unavailable"
    button.shutdown()


def test_no_microphone_disables_the_button(qtbot, monkeypatch) -> None:  # noqa: ANN001
    import sounddevice as sd

    def no_device(*args, **kwargs):  # noqa: ANN002, ANN003
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "query_devices", no_device)
    window, _, button = _window(qtbot)
    assert not button.button.isEnabled() and "No microphone" in button.button.toolTip()
    button.shutdown()


def test_denied_access_on_open_disables_the_button(qtbot, monkeypatch) -> None:  # noqa: ANN001
    import sounddevice as sd

    monkeypatch.setattr(
        sd,
        "query_devices",
        lambda *a, **k: {"name": "Mic", "max_input_channels": 1, "default_samplerate": 48000.0},
    )

    def denied(*args, **kwargs):  # noqa: ANN002, ANN003
        raise sd.PortAudioError("Error opening InputStream: Unanticipated host error", -9999, (-1, "denied"))

    monkeypatch.setattr(sd, "InputStream", denied)
    window, _, button = _window(qtbot)
    assert button.button.isEnabled()
    with qtbot.waitSignal(button.error, timeout=10_000) as blocker:
        button.start()
    assert "denied" in blocker.args[0]
    assert not button.button.isEnabled() and "What to do" in button.button.toolTip()
    button.shutdown()


def test_push_to_talk_inserts_the_transcript(qtbot, speech_48k, transcriber) -> None:  # noqa: ANN001
    factory, streams = stream_factory(speech_48k)
    window, edit, button = _window(qtbot, stream_factory=factory, transcriber=transcriber)
    edit.setPlainText("Note:")
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    button.set_language("en")
    assert button.worker.thread() is not QThread.currentThread()  # work happens off the GUI thread
    levels: list[float] = []
    button.worker.level.connect(lambda rms, peak, speech: levels.append(rms))

    ticks: list[float] = []  # the GUI thread's heartbeat while recording and transcribing
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    heartbeat.start()

    qtbot.mousePress(button.button, Qt.MouseButton.LeftButton)  # press and hold
    qtbot.waitUntil(lambda: bool(streams) and streams[0].done.is_set(), timeout=20_000)
    qtbot.wait(700)  # still holding: the user took a breath
    assert button.state == "recording" and button.meter.isVisible()
    assert max(levels) > -40  # the meter saw the voice
    with qtbot.waitSignal(button.transcribed, timeout=60_000) as blocker:
        qtbot.mouseRelease(button.button, Qt.MouseButton.LeftButton)
    heartbeat.stop()
    assert "hello world" in normalize(blocker.args[0])
    assert max(np.diff(ticks)) < 1.0  # the window stayed responsive (Whisper runs off the GUI thread)
    assert edit.toPlainText().startswith("Note: ") and "hello world" in normalize(edit.toPlainText())
    assert button.state == "idle" and button.button.isEnabled() and not button.meter.isVisible()
    assert streams[0].closed
    button.shutdown()


def test_shortcut_records_hands_free_until_silence_and_can_send(qtbot, speech_48k, transcriber) -> None:  # noqa: ANN001
    audio = np.concatenate([speech_48k, np.zeros(48_000 * 3, np.float32)])
    factory, streams = stream_factory(audio)
    window, edit, button = _window(qtbot, stream_factory=factory, transcriber=transcriber)
    button.set_language("auto")
    button.set_send_immediately(True)
    with pytest.raises(ConfigError):
        button.set_language("de")
    with qtbot.waitSignals([button.transcribed, button.send_requested], timeout=60_000):
        button.shortcut.activated.emit()  # Ctrl+Shift+Space; trailing silence ends the recording
    assert "hello world" in normalize(edit.toPlainText())
    assert button.last_language == "en"
    button.shutdown()


def test_silence_gives_a_hint_not_an_error(qtbot, transcriber) -> None:  # noqa: ANN001
    factory, _ = stream_factory(np.zeros(48_000 * 2, np.float32))
    window, edit, button = _window(qtbot, stream_factory=factory, transcriber=transcriber)
    button.start()
    qtbot.wait(300)
    button.stop()
    # Wait on the button itself: the worker's signal may reach a test's handler before the button's.
    qtbot.waitUntil(lambda: "No speech" in button.button.toolTip(), timeout=30_000)
    assert edit.toPlainText() == "" and button.state == "idle" and button.button.isEnabled()
    button.shutdown()


def test_voice_button_strings_are_translatable() -> None:
    source = (
        Path(__file__).resolve().parents[2].joinpath("desktop", "voice_button.py").read_text(encoding="utf-8")
    )
    assert source.count("self.tr(") >= 8


def test_tooltip_follows_a_language_switch(qtbot) -> None:  # noqa: ANN001
    from desktop import i18n

    factory, _ = stream_factory(np.zeros(4800, np.float32))
    window, _, button = _window(qtbot, stream_factory=factory)
    try:
        i18n.apply_language("ja")
        qtbot.waitUntil(lambda: "押したまま" in button.button.toolTip(), timeout=5_000)
        assert button.button.accessibleName() == "音声入力"
    finally:
        i18n.apply_language("en")
    qtbot.waitUntil(lambda: button.button.toolTip().startswith("Hold to talk"), timeout=5_000)
    button.shutdown()


def test_cancel_drops_the_recording_and_the_next_one_works(qtbot, speech_48k, transcriber) -> None:  # noqa: ANN001
    factory, streams = stream_factory(speech_48k)  # no trailing silence: it records until told
    window, edit, button = _window(qtbot, stream_factory=factory, transcriber=transcriber)
    button.set_language("en")
    got: list[str] = []
    button.transcribed.connect(got.append)
    button.toggle()
    qtbot.waitUntil(lambda: bool(streams) and streams[0].done.is_set(), timeout=20_000)
    assert button.state == "recording"
    button.cancel()  # e.g. the window cancels while listening
    assert button.state == "idle"
    qtbot.waitUntil(lambda: streams[0].closed, timeout=10_000)
    button.toggle()  # a new recording right away
    qtbot.waitUntil(lambda: len(streams) == 2 and streams[1].done.is_set(), timeout=20_000)
    with qtbot.waitSignal(button.transcribed, timeout=60_000):
        button.toggle()  # the shortcut again ends it
    assert len(got) == 1  # only the second recording was transcribed
    assert normalize(edit.toPlainText()).count("hello world") == 1
    button.shutdown()
