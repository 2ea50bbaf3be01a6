"""Voice input engine: resampling, VAD, chunking, the bundled Whisper model, the recorder's callback
path, and real transcription of synthesized English and Japanese speech. Offline, no Qt."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from models.errors import AudioUnavailableError, Cancelled, ConfigError, ModelFileError
from models.voice import audio as voice_audio
from models.voice.bundled import MANIFEST, MODEL_SIZE, bundled_model_dir
from models.voice.chunks import plan_chunks
from models.voice.dsp import levels, resample
from models.voice.events import (
    Level,
    RecordingFinished,
    RecordingStarted,
    RecordingWarning,
    TranscriptionProgress,
)
from models.voice.recorder import Recorder
from models.voice.transcriber import check_language, resolve_model
from models.voice.vad import EnergyVad, VadConfig, speech_segments
from models.voice.wavfile import read_wav, write_wav
from tests.speech import (
    ENGLISH,
    espeak_wav,
    japanese_audio,
    normalize,
    shared_model_dir,
    shared_transcriber,
    simulate_missing_portaudio,
    sox_resample,
    stream_factory,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def transcriber(tmp_path_factory: pytest.TempPathFactory):
    return shared_transcriber(tmp_path_factory)


@pytest.fixture(scope="module")
def english_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return espeak_wav(ENGLISH, tmp_path_factory.mktemp("speech") / "english-22k.wav")


@pytest.fixture(scope="module")
def english_48k(english_wav: Path) -> Path:
    return sox_resample(english_wav, english_wav.with_name("english-48k.wav"), 48_000)


@pytest.fixture
def no_portaudio(monkeypatch: pytest.MonkeyPatch) -> None:
    simulate_missing_portaudio(monkeypatch)


# --- imports -------------------------------------------------------------------------------------
def test_importing_voice_modules_loads_no_qt_no_sounddevice_no_whisper() -> None:
    code = (
        "import sys, models.voice, models.voice.recorder, models.voice.transcriber, cli.transcribe\n"
        "bad = [m for m in ('PySide6', 'sounddevice', 'faster_whisper', 'ctranslate2') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_missing_portaudio_becomes_a_status_and_a_clear_error(no_portaudio: None) -> None:
    status = voice_audio.audio_status()
    assert not status.available
    assert "PortAudio" in status.reason
    assert status.fix  # says what to install
    with pytest.raises(AudioUnavailableError, match="PortAudio"):
        Recorder(lambda event: None).start()
    assert voice_audio.input_devices() == []


def test_no_input_device_and_denied_access(monkeypatch: pytest.MonkeyPatch) -> None:
    import sounddevice as sd

    def no_device(*args, **kwargs):  # noqa: ANN002, ANN003
        raise sd.PortAudioError("Error querying device -1")

    monkeypatch.setattr(sd, "query_devices", no_device)
    status = voice_audio.audio_status()
    assert not status.available and "No microphone" in status.reason and status.fix

    devices = [{"name": "Speakers", "max_input_channels": 0}, {"name": "USB Mic", "max_input_channels": 1}]
    monkeypatch.setattr(sd, "query_devices", lambda *a, **k: devices)
    assert voice_audio.input_devices() == [(1, "USB Mic")]

    monkeypatch.setattr(
        sd,
        "query_devices",
        lambda *a, **k: {"name": "Mic", "max_input_channels": 1, "default_samplerate": 44100.0},
    )

    def denied(*args, **kwargs):  # noqa: ANN002, ANN003
        raise sd.PortAudioError(
            "Error opening InputStream: Unanticipated host error", -9999, (-1, "Permission denied")
        )

    monkeypatch.setattr(sd, "InputStream", denied)
    assert voice_audio.audio_status().available  # without probing, the device looks fine
    status = voice_audio.audio_status(probe=True)
    assert not status.available and "denied" in status.reason and status.fix
    with pytest.raises(AudioUnavailableError, match="denied"):
        Recorder(lambda event: None).start()


# --- signal path ---------------------------------------------------------------------------------
def _tone(freq: float, rate: int, seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _peak_hz(audio: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return float(np.argmax(spectrum) * rate / len(audio))


@pytest.mark.parametrize("rate", [48_000, 44_100, 22_050, 8_000])
def test_resample_keeps_pitch_length_and_level(rate: int) -> None:
    out = resample(_tone(440.0, rate, 1.0), rate, 16_000)
    assert abs(len(out) - 16_000) <= 1
    assert abs(_peak_hz(out, 16_000) - 440.0) < 2.0
    rms, _ = levels(out[1000:-1000])
    assert abs(rms - levels(_tone(440.0, 16_000, 1.0))[0]) < 0.3


def test_resample_removes_what_would_alias() -> None:
    # 11 kHz at 48 kHz cannot exist at 16 kHz; linear interpolation would fold it to 5 kHz.
    out = resample(_tone(11_000.0, 48_000, 1.0), 48_000, 16_000)
    assert levels(out[1000:-1000])[0] < -60.0


def test_wav_round_trip(tmp_path: Path) -> None:
    audio = _tone(300.0, 22_050, 0.5)
    write_wav(tmp_path / "a.wav", audio, 22_050)
    back, rate = read_wav(tmp_path / "a.wav")
    assert rate == 22_050 and np.max(np.abs(back - audio)) < 1e-3
    for args in (["-b", "24"], ["-e", "floating-point", "-b", "32"], ["-c", "2", "-b", "16"]):
        # 24-bit and multichannel come out as WAVE_FORMAT_EXTENSIBLE, which Python 3.11's wave refuses.
        converted = tmp_path / f"sox{len(args)}{args[1]}.wav"
        subprocess.run(["sox", str(tmp_path / "a.wav"), *args, str(converted)], check=True)
        back, rate = read_wav(converted)
        assert rate == 22_050 and len(back) == len(audio) and np.max(np.abs(back - audio)) < 2e-3, args
    (tmp_path / "bad.wav").write_bytes(b"not a wav file at all")
    with pytest.raises(AudioUnavailableError, match="not a WAV"):
        read_wav(tmp_path / "bad.wav")


def test_vad_finds_speech_and_trailing_silence() -> None:
    rate = 16_000
    rng = np.random.default_rng(0)
    noise = lambda s, a: (a * rng.standard_normal(int(rate * s))).astype(np.float32)  # noqa: E731
    audio = np.concatenate(
        [noise(0.5, 0.001), noise(1.0, 0.1), noise(2.0, 0.001), noise(0.8, 0.1), noise(0.5, 0.001)]
    )
    segments, _, _ = speech_segments(audio, rate, VadConfig(pad_ms=0))
    assert len(segments) == 2
    assert abs(segments[0][0] / rate - 0.5) < 0.1 and abs(segments[0][1] / rate - 1.5) < 0.1
    assert abs(segments[1][0] / rate - 3.5) < 0.1 and abs(segments[1][1] / rate - 4.3) < 0.1

    vad = EnergyVad(rate)
    vad.feed(audio[: int(rate * 1.4)])
    assert vad.in_speech and vad.trailing_silence_ms < 100
    vad.feed(audio[int(rate * 1.4) : int(rate * 3.0)])
    assert not vad.in_speech and vad.trailing_silence_ms >= 1200


def test_long_speech_is_cut_at_its_quietest_point() -> None:
    rate, frame = 16_000, 480
    levels_db = np.full(40 * rate // frame, -20.0)
    quiet = int(25.0 * rate / frame)
    levels_db[quiet] = -70.0
    chunks = plan_chunks([(0, 40 * rate)], levels_db, frame, rate, max_seconds=28.0)
    assert len(chunks) == 2
    assert all(c.samples <= 28 * rate for c in chunks)
    assert abs(chunks[0].pieces[0][1] - (quiet * frame + frame // 2)) == 0


def test_language_choice_is_checked() -> None:
    assert check_language(None) == "auto" and check_language("JA") == "ja"
    with pytest.raises(ConfigError, match="auto, ja, en"):
        check_language("fr")


# --- the bundled model ---------------------------------------------------------------------------
def test_bundled_model_is_joined_once_and_repaired(tmp_path: Path) -> None:
    folder = bundled_model_dir(tmp_path)
    model = folder / "model.bin"
    assert model.stat().st_size == MODEL_SIZE
    assert json.loads((folder / MANIFEST).read_text())["size"] == MODEL_SIZE
    assert {p.name for p in folder.iterdir()} >= {
        "model.bin",
        "config.json",
        "tokenizer.json",
        "vocabulary.json",
    }
    stamp = model.stat().st_mtime_ns
    assert bundled_model_dir(tmp_path) == folder and model.stat().st_mtime_ns == stamp  # reused
    with open(model, "r+b") as handle:  # a damaged copy (interrupted by something else)
        handle.truncate(1000)
    assert bundled_model_dir(tmp_path).joinpath("model.bin").stat().st_size == MODEL_SIZE
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_default_model_goes_to_the_data_dir(tomoshibi_home: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        resolve_model(tomoshibi_home / "nowhere")
    (tomoshibi_home / "empty").mkdir(parents=True)
    with pytest.raises(ModelFileError, match="missing model.bin"):
        resolve_model(tomoshibi_home / "empty")
    with pytest.raises(ModelFileError, match="tomoshibi models download whisper-small"):
        resolve_model("whisper-small")
    downloaded = tomoshibi_home / "models" / "speech" / "whisper-small"
    downloaded.mkdir(parents=True)
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (downloaded / name).write_bytes(b"x")
    assert resolve_model("whisper-small") == downloaded
    folder = resolve_model(None)  # the bundled model, joined into the user data folder
    assert folder == tomoshibi_home / "whisper" / "whisper-base"
    assert resolve_model(folder / "model.bin") == folder == resolve_model("whisper-base")


# --- transcription of synthesized speech ---------------------------------------------------------
def test_english_wav_is_transcribed(transcriber, english_wav: Path) -> None:
    result = transcriber.transcribe_file(english_wav, "en")
    text = normalize(result.text)
    assert "hello world" in text and "good morning" in text and "thank you" in text, result.text
    assert result.chunks == 1 and result.language == "en"
    assert 0 < result.speech_seconds <= result.audio_seconds


def test_english_at_48k_with_auto_language(transcriber, english_48k: Path) -> None:
    result = transcriber.transcribe_file(english_48k, "auto")
    assert result.language == "en"
    assert "hello world" in normalize(result.text), result.text


def test_japanese_is_transcribed(transcriber, tmp_path: Path) -> None:
    audio, rate = japanese_audio("東京は日本の首都です。")
    assert rate == 48_000
    write_wav(tmp_path / "ja.wav", audio, rate)
    for language in ("ja", "auto"):
        result = transcriber.transcribe_file(tmp_path / "ja.wav", language)
        assert result.language == "ja"
        assert "東京" in result.text and "日本" in result.text, result.text


def test_silence_is_not_transcribed(transcriber) -> None:
    result = transcriber.transcribe(np.zeros(16_000 * 2, np.float32), 16_000, "en")
    assert result.no_speech and result.text == "" and result.chunks == 0
    stereo_int16 = np.zeros((44_100, 2), np.int16)  # what a caller may hand over as is
    assert transcriber.transcribe(stereo_int16, 44_100, "en").audio_seconds == pytest.approx(1.0, abs=0.01)


def test_long_recording_is_transcribed_in_chunks(transcriber, tmp_path: Path) -> None:
    sentences = [
        "The first part of this long recording talks about the weather in spring.",
        "Rain is expected tomorrow morning, with sunshine in the afternoon.",
        "After that, we discuss trains, buses and the price of tickets.",
        "Most people prefer to travel early in the day.",
        "Finally, the last part says thank you and goodbye to everyone listening.",
    ]
    rate = 22_050
    spoken = []
    for i, sentence in enumerate(sentences):
        audio, rate = read_wav(espeak_wav(sentence, tmp_path / f"s{i}.wav"))
        spoken += [audio, np.zeros(rate // 2, np.float32)]
    pieces = spoken * 2  # two rounds: about 45 s
    recording = np.concatenate(pieces)
    assert len(recording) / rate >= 38.0
    seen: list[TranscriptionProgress] = []
    result = transcriber.transcribe(recording, rate, "en", progress=seen.append)
    assert result.chunks >= 2 and len(seen) == result.chunks
    assert [p.chunk for p in seen] == list(range(1, result.chunks + 1))
    assert seen[-1].fraction == pytest.approx(1.0)
    text = normalize(result.text)
    assert "weather" in text and "goodbye" in text, result.text

    cancel = threading.Event()
    with pytest.raises(Cancelled):
        transcriber.transcribe(recording, rate, "en", progress=lambda p: cancel.set(), cancel=cancel)


# --- the recorder, fed through the PortAudio callback contract -----------------------------------
def _record(factory, **kwargs) -> list:  # noqa: ANN001, ANN003
    events: list = []
    recorder = Recorder(events.append, sample_rate=48_000, stream_factory=factory, **kwargs)
    recorder.start()
    return events, recorder


def test_recorder_callback_path_ends_on_trailing_silence(transcriber, english_48k: Path) -> None:
    import sounddevice as sd

    speech, rate = read_wav(english_48k)
    assert rate == 48_000
    audio = np.concatenate([np.zeros(rate // 4, np.float32), speech, np.zeros(rate * 3, np.float32)])
    overflow = sd.CallbackFlags()
    overflow.input_overflow = True
    factory, streams = stream_factory(audio, flags={3: overflow})
    events, recorder = _record(factory)
    assert recorder.wait(30)
    assert isinstance(events[0], RecordingStarted) and events[0].sample_rate == 48_000
    assert streams[0].kwargs["channels"] == 1 and streams[0].kwargs["dtype"] == "float32"
    assert streams[0].closed  # the stream is released when the recording ends
    warnings = [e for e in events if isinstance(e, RecordingWarning)]
    assert any("overflow" in w.message for w in warnings)
    meter = [e for e in events if isinstance(e, Level)]
    assert any(e.speech for e in meter) and max(e.peak_dbfs for e in meter) > -20
    finished = events[-1]
    assert isinstance(finished, RecordingFinished)
    assert finished.reason == "silence" and finished.heard_speech
    # Ended ~1.2 s after the speech, not at the end of the 3 s of silence.
    assert finished.seconds < (rate // 4 + len(speech) + 2 * rate) / rate
    result = transcriber.transcribe(finished.audio, finished.sample_rate, "en")
    assert "hello world" in normalize(result.text), result.text


def test_background_noise_is_not_speech(transcriber, english_48k: Path) -> None:
    """A fan-like hiss at -40 dBFS (about 18 dB below the voice): the recording still ends on the
    silence after the words, and only the words are transcribed."""
    speech, rate = read_wav(english_48k)
    rng = np.random.default_rng(7)
    audio = 0.01 * rng.standard_normal(rate + len(speech) + 4 * rate).astype(np.float32)
    audio[rate : rate + len(speech)] += speech
    factory, _ = stream_factory(audio)
    events, recorder = _record(factory)
    assert recorder.wait(30)
    finished = events[-1]
    assert finished.reason == "silence"
    assert finished.seconds < (rate + len(speech) + 2.5 * rate) / rate  # not at the end of the hiss
    segments, _, _ = speech_segments(resample(finished.audio, rate), 16_000)
    assert segments[0][0] / 16_000 > 0.6 and segments[-1][1] / 16_000 < (rate + len(speech)) / rate + 0.6
    result = transcriber.transcribe(finished.audio, rate, "en")
    assert "hello world" in normalize(result.text) and "good morning" in normalize(result.text), result.text


def test_recorder_stop_and_no_speech() -> None:
    factory, _ = stream_factory(np.zeros(48_000 * 30, np.float32))
    events, recorder = _record(factory, vad=VadConfig(no_speech_ms=2000))
    assert recorder.wait(30)
    assert events[-1].reason == "no_speech" and not events[-1].heard_speech
    assert any(isinstance(e, RecordingWarning) and "only silence" in e.message for e in events)

    events, recorder = _record(stream_factory(np.zeros(48_000 * 30, np.float32))[0], auto_stop=False)
    recorder.stop()
    assert recorder.wait(30)
    assert events[-1].reason == "stopped"
    assert isinstance(events[-1], RecordingFinished)


def test_cli_transcribe_prints_the_transcript(tmp_path_factory, english_wav: Path, capsys) -> None:  # noqa: ANN001
    from cli.main import main

    model = shared_model_dir(tmp_path_factory)
    assert (
        main(["transcribe", str(english_wav), "--lang", "en", "--model", str(model), "--threads", "2"]) == 0
    )
    assert "hello world" in normalize(capsys.readouterr().out)
    assert main(["transcribe", str(english_wav.with_name("missing.wav"))]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
