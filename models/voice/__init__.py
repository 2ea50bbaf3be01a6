"""Voice input: microphone capture, voice-activity detection, Whisper transcription. No Qt.

Nothing heavy is imported here: ``sounddevice`` (which raises OSError without PortAudio) and
``faster_whisper`` are imported inside the functions that use them.

    status = audio_status()                      # can we record? never raises
    rec = Recorder(on_event); rec.start(); ...; rec.stop()   # events: Level, RecordingFinished, ...
    Transcriber(model=None).transcribe(audio, rate, "ja")    # None = the bundled Whisper base
"""

from __future__ import annotations

from .audio import AudioStatus, audio_status
from .bundled import BUNDLED_VOICE_ID, bundled_model_dir, bundled_voice_available
from .events import (
    Level,
    RecorderEvent,
    RecordingFailed,
    RecordingFinished,
    RecordingStarted,
    RecordingWarning,
    Transcript,
    TranscriptionProgress,
)
from .recorder import Recorder
from .transcriber import LANGUAGES, Transcriber, resolve_model
from .vad import VadConfig

__all__ = [
    "AudioStatus",
    "audio_status",
    "BUNDLED_VOICE_ID",
    "bundled_model_dir",
    "bundled_voice_available",
    "Level",
    "RecorderEvent",
    "RecordingFailed",
    "RecordingFinished",
    "RecordingStarted",
    "RecordingWarning",
    "Transcript",
    "TranscriptionProgress",
    "Recorder",
    "LANGUAGES",
    "Transcriber",
    "resolve_model",
    "VadConfig",
]
