"""Every failure a user can meet, as a few exception types whose message says what to do.

The UI and the CLI show ``str(error)``: the problem, then the fix. Never a traceback.
"""

from __future__ import annotations


class TomoshibiError(Exception):
    """Base of all user-facing errors.

    ``problem`` says what happened; ``fix`` says what the user can do about it.
    """

    def __init__(self, problem: str, fix: str = "") -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(problem if not fix else f"{problem}\n→ {fix}")


class ModelFileError(TomoshibiError):
    """A model file is missing, truncated, corrupt or not a GGUF file."""


class UnsupportedModelError(TomoshibiError):
    """A model or checkpoint uses an architecture or feature Tomoshibi cannot handle."""


class InsufficientMemoryError(TomoshibiError):
    """The memory pre-flight found that a model will not fit in RAM/VRAM."""


class InsufficientDiskError(TomoshibiError):
    """Not enough free disk space for a download or a conversion."""


class ChatTemplateError(TomoshibiError):
    """A chat template failed to render (or tried to escape the sandbox)."""


class EngineError(TomoshibiError):
    """The engine process reported an error (load failure, bad request)."""


class EngineCrashedError(EngineError):
    """The engine process died (llama.cpp aborted, out of memory, killed)."""


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

    def __init__(self, what: str = "The operation") -> None:
        super().__init__(f"{what} was cancelled.", "")
