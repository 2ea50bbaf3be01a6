"""Free disk space: the one check downloads, conversions, quantization and the voice model make before
writing a byte, so a full disk is a clear message up front and never a half-written file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from .errors import InsufficientDiskError
from .units import format_bytes

DISK_MARGIN = 32 << 20  # room for the filesystem, sidecar files and headers beyond the payload
DEFAULT_FIX = (
    "Free some space (remove models you no longer use: `tomoshibi models rm NAME`), or set "
    "TOMOSHIBI_MODELS to a folder on a larger disk."
)


def check_disk(folder: Path, needed: int, what: str, fix: str = DEFAULT_FIX) -> None:
    """InsufficientDiskError when ``folder``'s disk cannot hold ``needed`` bytes (plus a margin).

    ``what`` names the job or file ("Quantization", "model.safetensors"); ``fix`` says what to do.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(folder).free
    if needed + DISK_MARGIN > free:
        raise InsufficientDiskError(
            f"Not enough disk space for {what}: it needs {format_bytes(needed)}, and {folder} has "
            f"{format_bytes(free)} free.",
            fix,
        )


# The sizes in check_disk's sentence, read back where only the text crossed a process boundary.
_FIGURES = re.compile(
    r"it needs (?P<needed>[\d.]+ [A-Za-z]?B), and .* has (?P<free>[\d.]+ [A-Za-z]?B) free\.", re.S
)


def disk_figures(problem: str) -> tuple[str, str] | None:
    """``(needed, free)`` as check_disk wrote them (``("9.6 GB", "2.1 GB")``), or None for another text:
    so a translated message can keep the figures that the English one gives."""
    match = _FIGURES.search(problem)
    return (match["needed"], match["free"]) if match else None
