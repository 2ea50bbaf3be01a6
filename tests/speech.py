"""Speech for the voice tests, synthesized on the spot: English with espeak-ng, Japanese with
pyopenjtalk (dictionary from the Debian package open-jtalk-mecab-naist-jdic, never downloaded).

Also a stand-in for ``sounddevice.InputStream`` that plays recorded frames into the recorder's
callback exactly as PortAudio would (float32 blocks of shape (frames, 1), a status flag), and one
shared Whisper model per test session.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

OPEN_JTALK_DICT_DIR = "/var/lib/mecab/dic/open-jtalk/naist-jdic"
ENGLISH = "Hello world. Good morning. Thank you very much."

_shared: dict[str, Any] = {}
_lock = threading.Lock()


def espeak_wav(text: str, path: Path, voice: str = "en-us", speed: int = 150) -> Path:
    """English speech as a 22.05 kHz 16-bit WAV (espeak-ng's native rate)."""
    exe = shutil.which("espeak-ng")
    assert exe, "espeak-ng is missing: sudo apt-get install espeak-ng (scripts/tomoshibi.sh test installs it)"
    subprocess.run(
        [exe, "-v", voice, "-s", str(speed), "-w", str(path), text], check=True, capture_output=True
    )
    return path


def sox_resample(src: Path, dst: Path, rate: int) -> Path:
    """An independent resampler (sox) to make 48 kHz test input, so our own is not tested by itself."""
    exe = shutil.which("sox")
    assert exe, "sox is missing: sudo apt-get install sox (scripts/tomoshibi.sh test installs it)"
    subprocess.run([exe, str(src), "-r", str(rate), "-b", "16", str(dst)], check=True, capture_output=True)
    return dst


def japanese_audio(text: str) -> tuple[np.ndarray, int]:
    """Japanese speech from pyopenjtalk at 48 kHz, float32 in [-1, 1]."""
    dict_dir = os.environ.get("OPEN_JTALK_DICT_DIR", OPEN_JTALK_DICT_DIR)
    assert Path(dict_dir, "sys.dic").is_file(), (
        f"the Open JTalk dictionary is missing in {dict_dir}: "
        "sudo apt-get install open-jtalk-mecab-naist-jdic (scripts/tomoshibi.sh test installs it)"
    )
    # pyopenjtalk reads the variable when imported and downloads a dictionary when the folder is
    # missing: set it first, and make any download attempt fail loudly.
    os.environ["OPEN_JTALK_DICT_DIR"] = dict_dir
    import pyopenjtalk

    def _no_download() -> None:
        raise AssertionError("pyopenjtalk tried to download its dictionary")

    pyopenjtalk._extract_dic = _no_download
    wave, rate = pyopenjtalk.tts(text)
    return (np.asarray(wave, dtype=np.float64) / 32768.0).astype(np.float32), int(rate)


def normalize(text: str) -> str:
    """Lower case, no punctuation, single spaces (NFKC for full-width characters)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def shared_model_dir(tmp_path_factory: Any) -> Path:
    """The bundled Whisper base joined once per session into a session temp folder."""
    from models.voice.bundled import bundled_model_dir

    with _lock:
        if "model_dir" not in _shared:
            _shared["model_dir"] = bundled_model_dir(tmp_path_factory.mktemp("whisper"))
        return _shared["model_dir"]


def shared_transcriber(tmp_path_factory: Any) -> Any:
    """One loaded Transcriber for the whole session (loading takes a second or two)."""
    from models.voice.transcriber import Transcriber

    model_dir = shared_model_dir(tmp_path_factory)
    with _lock:
        if "transcriber" not in _shared:
            transcriber = Transcriber(model_dir, cpu_threads=min(2, os.cpu_count() or 1))
            transcriber.load()
            _shared["transcriber"] = transcriber
        return _shared["transcriber"]


class FakeInputStream:
    """Plays ``audio`` into ``callback`` like ``sounddevice.InputStream`` does: blocks of
    ``blocksize`` float32 frames shaped (frames, 1), on a separate thread, faster than real time.
    ``flags`` maps a block index to the status object passed with it."""

    def __init__(self, audio: np.ndarray, flags: dict[int, Any] | None = None, **kwargs: Any) -> None:
        self.audio = np.asarray(audio, dtype=np.float32)
        self.flags = flags or {}
        self.kwargs = kwargs
        self.callback = kwargs["callback"]
        self.blocksize = int(kwargs.get("blocksize") or 1024)
        self.samplerate = kwargs["samplerate"]
        self.active = False
        self.closed = False
        self.done = threading.Event()
        self._halt = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.active = True
        self._thread = threading.Thread(target=self._play, daemon=True)
        self._thread.start()

    def _play(self) -> None:
        for index, start in enumerate(range(0, len(self.audio), self.blocksize)):
            if self._halt.is_set():
                break
            block = self.audio[start : start + self.blocksize]
            if len(block) < self.blocksize:  # PortAudio always delivers full blocks
                block = np.concatenate([block, np.zeros(self.blocksize - len(block), np.float32)])
            indata = block.reshape(-1, 1).copy()
            self.callback(indata, len(block), None, self.flags.get(index, _NoFlags()))
            indata[:] = 0.0  # PortAudio reuses its buffer: a callback that kept a view would see this
        self.done.set()

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(5)
        self.active = False

    def close(self) -> None:
        self.closed = True


class _NoFlags:
    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""


def stream_factory(
    audio: np.ndarray, flags: dict[int, Any] | None = None
) -> tuple[Any, list[FakeInputStream]]:
    """A ``stream_factory`` for Recorder/VoiceInputButton, and the list of streams it made."""
    made: list[FakeInputStream] = []

    def factory(**kwargs: Any) -> FakeInputStream:
        stream = FakeInputStream(audio, flags, **kwargs)
        made.append(stream)
        return stream

    return factory, made


class _NoPortAudio(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import sounddevice`` raises OSError, as it does when libportaudio is not installed."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        return importlib.util.spec_from_loader(name, self) if name == "sounddevice" else None

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        raise OSError("PortAudio library not found")


def simulate_missing_portaudio(monkeypatch: Any) -> None:
    """From now on in this test, ``import sounddevice`` fails like it does without PortAudio."""
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPortAudio(), *sys.meta_path])
