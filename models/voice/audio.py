"""Is there a microphone Tomoshibi can use? Answers without ever crashing.

``import sounddevice`` itself raises OSError when the PortAudio library is missing, so it is only
imported inside these functions, never when our modules are imported. Everything that can go wrong
becomes an ``AudioStatus`` (for the UI to disable the button and explain) or an
``AudioUnavailableError`` (problem + fix). PortAudio errors are told apart by their error codes, not
by matching words in their messages.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..errors import AudioUnavailableError

log = logging.getLogger(__name__)

# PortAudio error codes (portaudio.h, PaErrorCode)
_PA_INVALID_CHANNEL_COUNT = -9998
_PA_INVALID_SAMPLE_RATE = -9997
_PA_INVALID_DEVICE = -9996
_PA_DEVICE_UNAVAILABLE = -9985
_PA_UNANTICIPATED_HOST_ERROR = -9999
_PA_NOT_INITIALIZED = -10000


@dataclass(frozen=True)
class AudioStatus:
    """``available`` False comes with a ``reason`` (what is wrong) and a ``fix`` (what to do)."""

    available: bool
    reason: str = ""
    fix: str = ""
    device: str = ""
    sample_rate: int = 0

    def error(self) -> AudioUnavailableError:
        return AudioUnavailableError(self.reason, self.fix)


def _portaudio_fix() -> str:
    if sys.platform.startswith("linux"):
        return "Install PortAudio: sudo apt install libportaudio2 (Fedora: sudo dnf install portaudio), then restart Tomoshibi."
    return "Reinstall the audio package, which carries PortAudio: pip install --force-reinstall sounddevice"


def _permission_fix() -> str:
    if sys.platform == "darwin":
        return "Allow microphone access: System Settings → Privacy & Security → Microphone, then restart Tomoshibi."
    if sys.platform.startswith("win"):
        return (
            "Allow microphone access: Settings → Privacy & security → Microphone → let desktop apps access "
            "your microphone; close other programs that use it."
        )
    return "Close other programs that use the microphone, and check that your user is in the 'audio' group."


def _device_fix() -> str:
    if sys.platform.startswith("linux"):
        return (
            "Connect a microphone (or headset) and check it in your sound settings (pavucontrol / alsamixer)."
        )
    return "Connect a microphone (or headset) and choose it as the input device in the system sound settings."


def import_sounddevice() -> ModuleType:
    """The sounddevice module, or AudioUnavailableError saying why it cannot load."""
    try:
        import sounddevice
    except OSError as error:  # sounddevice raises OSError when libportaudio cannot be found
        raise AudioUnavailableError(
            f"The PortAudio sound library is missing ({error}).", _portaudio_fix()
        ) from error
    except ImportError as error:
        raise AudioUnavailableError(
            "The sounddevice package is not installed.", "Install it with: pip install sounddevice"
        ) from error
    return sounddevice


def classify_open_error(error: BaseException) -> AudioUnavailableError:
    """Turn a PortAudio error from opening/starting an input stream into problem + fix."""
    code = error.args[1] if len(error.args) > 1 and isinstance(error.args[1], int) else None
    detail = str(error.args[0]) if error.args else str(error)
    if code in (_PA_INVALID_DEVICE, _PA_INVALID_CHANNEL_COUNT) or isinstance(error, ValueError):
        return AudioUnavailableError(f"No usable microphone was found ({detail}).", _device_fix())
    if code == _PA_INVALID_SAMPLE_RATE:
        return AudioUnavailableError(
            f"The microphone refused the sample rate ({detail}).",
            "Choose another input device in the system sound settings.",
        )
    # Unanticipated host errors are how Windows (MME/WASAPI) and ALSA report a denied or busy device.
    return AudioUnavailableError(
        f"The microphone could not be opened: access was denied or it is in use ({detail}).",
        _permission_fix(),
    )


def default_input(sd: Any, device: int | str | None = None) -> tuple[str, int]:
    """(name, default sample rate) of ``device`` (None: the default input), or AudioUnavailableError."""
    try:
        info = sd.query_devices(device, kind="input")
    except (sd.PortAudioError, ValueError) as error:
        raise AudioUnavailableError(f"No microphone was found ({error}).", _device_fix()) from error
    if not info or int(info.get("max_input_channels", 0)) < 1:
        raise AudioUnavailableError(
            "No microphone was found (the default device has no input).", _device_fix()
        )
    return str(info.get("name", "microphone")), int(float(info.get("default_samplerate") or 48000))


def input_devices() -> list[tuple[int, str]]:
    """(index, name) of every device with an input, for a settings menu; empty when audio is
    unavailable (``audio_status`` says why)."""
    try:
        sd = import_sounddevice()
        devices = sd.query_devices()
    except Exception:  # noqa: BLE001 - no PortAudio / broken driver: nothing to choose from
        return []
    return [(i, str(d["name"])) for i, d in enumerate(devices) if int(d.get("max_input_channels", 0)) > 0]


def audio_status(probe: bool = False) -> AudioStatus:
    """Can voice input record? Never raises.

    Checks PortAudio and an input device. ``probe`` also opens (and closes) a stream, which finds a
    denied permission — and on macOS shows the permission prompt, so the app only probes when the
    user asks to record.
    """
    try:
        sd = import_sounddevice()
        name, rate = default_input(sd)
        if probe:
            try:
                stream = sd.InputStream(samplerate=rate, channels=1, dtype="float32")
                stream.close()
            except (sd.PortAudioError, ValueError) as error:
                raise classify_open_error(error) from error
    except AudioUnavailableError as error:
        return AudioStatus(False, error.problem, error.fix)
    except Exception as error:  # noqa: BLE001 - a broken driver must not take the window down
        log.warning("unexpected audio error", exc_info=True)
        return AudioStatus(False, f"The sound system reported an error ({error}).", _device_fix())
    return AudioStatus(True, device=name, sample_rate=rate)
