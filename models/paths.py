"""Where Tomoshibi keeps things on the user's machine.

Everything lives under one data folder (platformdirs' user data dir). ``TOMOSHIBI_HOME`` overrides
it; tests point it at a temporary directory. Nothing is ever written next to the program.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

APP_NAME = "Tomoshibi"
ENV_HOME = "TOMOSHIBI_HOME"


def data_dir() -> Path:
    """The root data folder, created on first use."""
    override = os.environ.get(ENV_HOME)
    if override:
        root = Path(override).expanduser()
    else:
        import platformdirs

        root = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    root.mkdir(parents=True, exist_ok=True)
    return root


def _sub(name: str) -> Path:
    path = data_dir() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def models_dir() -> Path:
    """GGUF models the user downloaded, imported or converted (overridable: ``TOMOSHIBI_MODELS``)."""
    override = os.environ.get("TOMOSHIBI_MODELS")
    if override:
        path = Path(override).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return _sub("models")


def conversations_db() -> Path:
    return data_dir() / "conversations.sqlite3"


def documents_dir() -> Path:
    return _sub("documents")


def presets_dir() -> Path:
    return _sub("presets")


def evaluations_dir() -> Path:
    return _sub("evaluations")


def temp_path_for(dst: Path, tag: str = "") -> Path:
    """A hidden temporary name next to ``dst`` (same file system, so the final rename is atomic):
    ``.<name>.<tag>-<random>.part``. Every file Tomoshibi writes before moving it into place is named so,
    and the model library skips such names."""
    dst = Path(dst)
    return dst.with_name(f".{dst.name}.{tag + '-' if tag else ''}{uuid.uuid4().hex[:8]}.part")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so no half file is ever seen."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
