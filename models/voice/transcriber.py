"""Speech to text on this machine with faster-whisper (CTranslate2), on the CPU in int8.

Why faster-whisper and not whisper.cpp: faster-whisper and CTranslate2 publish ready wheels on PyPI
for Apple Silicon, Linux and Windows (x86-64 and arm64), so ``pip install`` works on every desktop we
ship without a compiler, and it loads the bundled CTranslate2 model directly. Its int8 CPU kernels
(oneDNN on x86, Ruy on ARM) run Whisper base at several times real time on a laptop. whisper.cpp
would use Metal on Macs, but its Python bindings are built from source and need the model in its own
GGML format. CTranslate2 does not use Metal — on Apple Silicon it runs on the CPU cores (Accelerate),
which for base/small is fast enough for push-to-talk.

The path is the same for a WAV file and the microphone once recording ends: mono float32 at any rate
→ resample to 16 kHz → energy VAD cuts out the silence → speech packed into ≤ 28 s chunks → one
Whisper window per chunk, with progress and cancel between chunks.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AudioUnavailableError, Cancelled, ConfigError, ModelFileError
from ..paths import models_dir
from .bundled import BUNDLED_VOICE_ID, bundled_model_dir
from .chunks import plan_chunks
from .dsp import TARGET_RATE, resample, to_mono
from .events import Transcript, TranscriptionProgress
from .vad import VadConfig, speech_segments
from .wavfile import read_wav

log = logging.getLogger(__name__)

LANGUAGES = ("auto", "ja", "en")
# "auto" chooses between the languages Tomoshibi speaks: Whisper base, asked to pick among all 99,
# mistakes short Japanese clips for Chinese often enough to matter.
AUTO_CANDIDATES = ("ja", "en")
_NO_SPACE_LANGUAGES = {"ja", "zh", "ko", "th", "lo", "my", "km"}
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")

ProgressCallback = Callable[[TranscriptionProgress], None]


def check_language(language: str | None) -> str:
    value = (language or "auto").strip().lower()
    if value not in LANGUAGES:
        raise ConfigError(f"Unknown voice language {language!r}.", f"Use one of: {', '.join(LANGUAGES)}.")
    return value


def resolve_model(model: str | Path | None) -> Path:
    """A folder with a CTranslate2 Whisper model: the bundled one (None or its id), a downloaded
    catalog entry of kind "speech" (its id), or a folder path."""
    if model is None or str(model) in ("", BUNDLED_VOICE_ID, "bundled"):
        return bundled_model_dir()
    folder = Path(model).expanduser()
    if not folder.exists() and isinstance(model, str) and "/" not in model and "\\" not in model:
        # A catalog id ("whisper-small"): the model library downloads speech models there
        # (models.fetch.entry_destination).
        folder = models_dir() / "speech" / model
        if not folder.is_dir():
            raise ModelFileError(
                f"The speech model {model!r} is not downloaded.",
                f"Download it in the model library, or run: tomoshibi models download {model}",
            )
    if folder.is_file() and folder.name == "model.bin":
        folder = folder.parent
    if not folder.is_dir():
        raise ModelFileError(
            f"The voice model folder {folder} does not exist.",
            f"Choose a speech model from the model library, or use the bundled one ({BUNDLED_VOICE_ID}).",
        )
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelFileError(
            f"{folder} is not a faster-whisper model folder (missing {', '.join(missing)}).",
            "Use a CTranslate2 Whisper model (a folder with model.bin, config.json, tokenizer.json).",
        )
    return folder


def default_threads() -> int:
    try:
        import psutil

        cores = psutil.cpu_count(logical=False) or os.cpu_count() or 2
    except ImportError:
        cores = os.cpu_count() or 2
    return max(1, min(8, int(cores)))


def join_text(parts: list[str], language: str) -> str:
    sep = "" if language in _NO_SPACE_LANGUAGES else " "
    return sep.join(p.strip() for p in parts if p.strip())


class Transcriber:
    """Loads a Whisper model once and transcribes recordings with progress and cancel.

    Thread-safe: calls are serialized, so one Transcriber can serve a GUI worker thread.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        compute_type: str = "int8",
        cpu_threads: int | None = None,
        beam_size: int = 1,
        vad: VadConfig | None = None,
        max_chunk_seconds: float = 28.0,
    ) -> None:
        self.model_spec = model
        self.compute_type = compute_type
        self.cpu_threads = cpu_threads or default_threads()
        self.beam_size = beam_size
        self.vad = vad or VadConfig()
        self.max_chunk_seconds = min(29.5, max_chunk_seconds)
        self.load_seconds = 0.0
        self._model: Any = None
        self._model_dir: Path | None = None
        self._lock = threading.RLock()

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Prepare and load the model (first use of the bundled model joins its parts)."""
        with self._lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            folder = resolve_model(self.model_spec)
            try:
                from faster_whisper import WhisperModel
            except ImportError as error:
                raise AudioUnavailableError(
                    f"The speech recognizer (faster-whisper) is not installed ({error}).",
                    "Install it with: pip install faster-whisper",
                ) from error
            try:
                self._model = WhisperModel(
                    str(folder), device="cpu", compute_type=self.compute_type, cpu_threads=self.cpu_threads
                )
            except (RuntimeError, ValueError, OSError) as error:
                raise ModelFileError(
                    f"The voice model in {folder} could not be loaded ({error}).",
                    "Choose another speech model, or reinstall the bundled one.",
                ) from error
            self._model_dir = folder
            self.load_seconds = time.perf_counter() - started
            log.info("voice model %s loaded in %.2fs", folder, self.load_seconds)

    def transcribe_file(
        self,
        path: str | Path,
        language: str = "auto",
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        audio, rate = read_wav(path)
        return self.transcribe(audio, rate, language, progress=progress, cancel=cancel)

    def transcribe(
        self,
        audio: np.ndarray,
        sample_rate: int,
        language: str = "auto",
        *,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> Transcript:
        """Transcribe audio at any sample rate: (n,) or (n, channels), float in [-1, 1] or integer
        PCM. Raises Cancelled when ``cancel`` is set."""
        lang = check_language(language)
        started = time.perf_counter()
        audio16 = resample(to_mono(audio), int(sample_rate), TARGET_RATE)
        audio_seconds = len(audio16) / TARGET_RATE
        segments, frame_db, frame_len = speech_segments(audio16, TARGET_RATE, self.vad)
        chunks = plan_chunks(segments, frame_db, frame_len, TARGET_RATE, self.max_chunk_seconds)
        total = sum(c.samples for c in chunks) / TARGET_RATE
        if not chunks:
            return Transcript(
                text="",
                language="" if lang == "auto" else lang,
                audio_seconds=audio_seconds,
                speech_seconds=0.0,
                compute_seconds=time.perf_counter() - started,
                chunks=0,
                no_speech=True,
            )
        with self._lock:
            load_started = time.perf_counter()
            self.load()
            # The real-time factor counts the work (resampling, VAD, decoding), not the model load.
            started += time.perf_counter() - load_started
            texts: list[str] = []
            done = 0.0
            for index, chunk in enumerate(chunks):
                if cancel is not None and cancel.is_set():
                    raise Cancelled("Transcription")
                piece = chunk.audio(audio16, TARGET_RATE)
                if lang == "auto":
                    lang = self._detect_language(piece)
                texts.append(self._transcribe_window(piece, lang))
                done += len(piece) / TARGET_RATE
                if progress is not None:
                    progress(
                        TranscriptionProgress(
                            done_seconds=min(done, total),
                            total_seconds=total,
                            text=join_text(texts, lang),
                            chunk=index + 1,
                            chunks=len(chunks),
                        )
                    )
        return Transcript(
            text=join_text(texts, lang),
            language=lang,
            audio_seconds=audio_seconds,
            speech_seconds=total,
            compute_seconds=time.perf_counter() - started,
            chunks=len(chunks),
            chunk_texts=tuple(t.strip() for t in texts),
        )

    def _detect_language(self, piece: np.ndarray) -> str:
        _, _, probabilities = self._model.detect_language(audio=piece)
        scores = dict(probabilities or [])
        return max(AUTO_CANDIDATES, key=lambda code: scores.get(code, 0.0))

    def _transcribe_window(self, piece: np.ndarray, language: str) -> str:
        segments, _info = self._model.transcribe(
            piece,
            language=language,
            beam_size=self.beam_size,
            vad_filter=False,  # our VAD already removed the silence
            condition_on_previous_text=False,  # one window per chunk; avoids repetition loops
            without_timestamps=True,
        )
        return "".join(segment.text for segment in segments)
