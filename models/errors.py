"""Every failure a user can meet, as a few exception types whose message says what to do.

The UI and the CLI show ``str(error)``: the problem, then the fix. Never a traceback.
A failure the desktop explains in its own words also carries a stable ``code`` (one of ``Code``), so
the UI translates it without matching words in the English message.
"""

from __future__ import annotations


class Code:
    """Stable error codes; the desktop maps each to a message in the UI language (desktop/error_text.py)."""

    OFFLINE = "offline"  # downloads are switched off (offline mode)
    HUB_UNREACHABLE = "hub_unreachable"  # no connection to the model hub
    HUB_TIMEOUT = "hub_timeout"
    GATED = "gated"  # the hub wants the licence accepted / a login
    NOT_FOUND = "not_found"  # no such repository or file on the hub
    DISK_FULL = "disk_full"
    NO_MEMORY = "no_memory"
    NOT_A_CHECKPOINT = "not_a_checkpoint"  # a folder without config.json
    UNSUPPORTED = "unsupported"  # an architecture Tomoshibi cannot convert or run
    CANCELLED = "cancelled"
    ENGINE_CRASHED = "engine_crashed"


class TomoshibiError(Exception):
    """Base of all user-facing errors.

    ``problem`` says what happened; ``fix`` says what the user can do about it; ``code`` (optional,
    see ``Code``) names the kind of failure for translation.
    """

    code: str = ""

    def __init__(self, problem: str, fix: str = "", *, code: str = "") -> None:
        self.problem = problem
        self.fix = fix
        if code:
            self.code = code
        super().__init__(problem if not fix else f"{problem}\n→ {fix}")


class ModelFileError(TomoshibiError):
    """A model file is missing, truncated, corrupt or not a GGUF file."""


class UnsupportedModelError(TomoshibiError):
    """A model or checkpoint uses an architecture or feature Tomoshibi cannot handle."""

    code = Code.UNSUPPORTED


class InsufficientMemoryError(TomoshibiError):
    """The memory pre-flight found that a model will not fit in RAM/VRAM."""

    code = Code.NO_MEMORY


class InsufficientDiskError(TomoshibiError):
    """Not enough free disk space for a download or a conversion."""

    code = Code.DISK_FULL


class ChatTemplateError(TomoshibiError):
    """A chat template failed to render (or tried to escape the sandbox)."""


class EngineError(TomoshibiError):
    """The engine process reported an error (load failure, bad request)."""


class EngineCrashedError(EngineError):
    """The engine process died (llama.cpp aborted, out of memory, killed)."""

    code = Code.ENGINE_CRASHED


class ConversionError(TomoshibiError):
    """A checkpoint could not be converted or quantized."""


class DownloadError(TomoshibiError):
    """A download failed: offline, gated, hash mismatch, interrupted."""


class AudioUnavailableError(TomoshibiError):
    """Voice input cannot work: no PortAudio, no input device, permission denied."""


class DocumentError(TomoshibiError):
    """A document could not be read or indexed."""


class ConfigError(TomoshibiError):
    """A setting, preset or argument is invalid."""


class ContextLengthError(ConfigError):
    """The input does not fit the model's context window (the local API answers context_length_exceeded)."""


class Cancelled(TomoshibiError):
    """Long work was cancelled by the user; nothing was left half-written."""

    code = Code.CANCELLED

    def __init__(self, what: str = "The operation") -> None:
        super().__init__(f"{what} was cancelled.", "")
