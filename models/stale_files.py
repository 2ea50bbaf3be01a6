"""Temporary files a killed process left behind, removed at the next start (issue 20).

Every writer in Tomoshibi writes under a hidden temporary name and renames at the end
(``paths.temp_path_for`` and ``paths.atomic_write_bytes``: ``.NAME.[TAG-]XXXXXXXX.part``; earlier
versions also left ``.NAME.f16.part.gguf`` and ``.NAME.XXXXXXXX.partial``). A kill -9 leaves
them; 11 killed conversions left 1.56 GB. Resumable downloads (``.downloads/*.part``) are kept: they
are the library's to resume or discard.

A file is only taken when nothing has written to it for ``STALE_SECONDS``: another Tomoshibi (the CLI
beside the app) may be converting right now, and its files are written continuously.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)

STALE_SECONDS = 30 * 60
_TEMPORARY = re.compile(r"^\..+\.(?:part|partial|f16\.part\.gguf)$")
_KEEP_DIRS = {".downloads"}


def stale_temporaries(folders: list[Path], now: float | None = None) -> list[Path]:
    """Hidden temporary files in ``folders`` (and their direct subfolders) untouched for STALE_SECONDS."""
    now = time.time() if now is None else now
    found: list[Path] = []
    for folder in folders:
        candidates: list[Path] = []
        try:
            for entry in folder.iterdir():
                if entry.is_dir() and entry.name not in _KEEP_DIRS and not entry.is_symlink():
                    candidates.extend(entry.iterdir())
                else:
                    candidates.append(entry)
        except OSError:
            continue  # a folder that is not there (yet) or not readable has nothing of ours
        for path in candidates:
            try:
                if (
                    _TEMPORARY.match(path.name)
                    and path.is_file()
                    and now - path.stat().st_mtime > STALE_SECONDS
                ):
                    found.append(path)
            except OSError:
                continue
    return sorted(found)


def remove_stale_temporaries(folders: list[Path] | None = None) -> int:
    """Delete what ``stale_temporaries`` finds (default: the models and data folders); bytes freed."""
    if folders is None:
        from .paths import data_dir, models_dir

        folders = [models_dir(), data_dir()]
    freed = 0
    for path in stale_temporaries(folders):
        try:
            size = path.stat().st_size
            path.unlink()
        except OSError as error:
            log.info("could not remove the stale temporary file %s: %s", path, error)
            continue
        freed += size
        log.info("removed the stale temporary file %s (%d bytes)", path, size)
    return freed
