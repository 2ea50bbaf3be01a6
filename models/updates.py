"""Whether the hub has a newer version of an installed catalog model, and installing it in place.

The sidecar ``<file>.tomoshibi.json`` written when a GGUF was downloaded (``models.download``) is the
one record of what is installed: repository, file, commit and sha256. A check asks the hub for the
file the catalog entry resolves to *now* (by listing the repository, as a first download does) and
compares its sha256 (or, for a file without one, its size) with the sidecar's. Files imported by hand
have no sidecar and are never checked.

An update is downloaded like any other file (``.part``, resume, sha256), then moved over the old file
in one rename, so the old model stays usable until the new one is verified, and a cancelled or
failed update leaves it in place.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .catalog import CatalogEntry
from .download import SIDECAR_SUFFIX, ProgressCallback, download_file
from .errors import DownloadError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Update:
    """A newer file on the hub for the model installed at ``path``."""

    entry_id: str
    path: str
    filename: str  # the hub file the catalog entry resolves to now
    sha256: str | None
    size: int | None
    installed_sha256: str


@dataclass
class UpdateCheck:
    """The outcome of one check. ``reached`` is False when the hub could not be asked (offline, an
    error): then ``updates`` says nothing, and the UI stays quiet."""

    updates: dict[str, Update] = field(default_factory=dict)
    reached: bool = True
    checked_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_json(self) -> dict[str, Any]:
        return {"checked_at": self.checked_at, "updates": {k: asdict(v) for k, v in self.updates.items()}}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> UpdateCheck:
        """A saved check, keeping only updates whose model is still the version it was checked against."""
        updates = {}
        for key, value in dict(raw.get("updates") or {}).items():
            try:
                update = Update(**value)
            except TypeError:
                continue
            if installed_sha256(Path(update.path)) == update.installed_sha256:
                updates[key] = update
        return cls(updates, True, str(raw.get("checked_at") or ""))


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """What the download of ``path`` recorded, or None for a file that was not downloaded by us."""
    try:
        value = json.loads(path.with_name(path.name + SIDECAR_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def installed_sha256(path: Path) -> str | None:
    record = read_sidecar(path)
    value = record.get("sha256") if record else None
    return str(value).lower() if value else None


def _current(entry: CatalogEntry) -> tuple[str, int | None, str | None]:
    """(file name, size, sha256) of the hub file the entry resolves to now."""
    from .fetch import _wanted_files
    from .hub import file_info

    wanted = _wanted_files(entry)[0]
    if wanted.sha256 or not entry.repo:
        return wanted.name, wanted.size, wanted.sha256
    remote = file_info(entry.repo, wanted.name)
    return wanted.name, remote.size, remote.sha256


def check_entry(entry: CatalogEntry, path: Path) -> Update | None:
    """The update for the model installed at ``path``, or None when it is current (or cannot be told).

    Raises DownloadError when the hub cannot be asked.
    """
    record = read_sidecar(path)
    have = installed_sha256(path)
    if record is None or have is None or not entry.downloadable or entry.kind not in ("chat", "embedding"):
        return None
    name, size, sha = _current(entry)
    if sha:
        newer = sha.lower() != have
    else:  # a file without an LFS hash: only a change of size can be seen
        newer = size is not None and size != record.get("size")
    return Update(entry.id, str(path), name, sha, size, have) if newer else None


def installed_from_hub(entries: Sequence[CatalogEntry]) -> dict[str, str]:
    """Entry id → path of each installed catalog GGUF that was downloaded from the hub (has a sidecar
    with its sha256): the models an update check can look at."""
    from .library import list_models
    from .model_names import catalog_entry_for

    paths: dict[str, str] = {}
    for model in list_models():
        entry = catalog_entry_for(model.path, entries)
        if entry is not None and installed_sha256(Path(model.path)) is not None:
            paths.setdefault(entry.id, str(model.path))
    return paths


def check_updates(entries: Sequence[CatalogEntry], paths: Mapping[str, str]) -> UpdateCheck:
    """Check every installed catalog model (``paths``: entry id → installed path) against the hub.

    The first failure to reach the hub ends the check (``reached`` False); an entry the hub no longer
    has (a removed repository or quantization) is skipped.
    """
    from .downloads import failure_reason

    by_id = {e.id: e for e in entries}
    result = UpdateCheck()
    for entry_id, value in paths.items():
        entry = by_id.get(entry_id)
        if entry is None:
            continue
        try:
            update = check_entry(entry, Path(value))
        except DownloadError as error:
            if failure_reason(error) in ("missing_repo", "missing_file", "gated"):
                log.info("No update check for %s: %s", entry_id, error)
                continue
            log.info("Update check stopped, the hub cannot be asked: %s", error)
            return UpdateCheck(reached=False)
        if update is not None:
            result.updates[entry_id] = update
    return result


def update_entry(entry: CatalogEntry, path: Path, *, progress: ProgressCallback | None = None,
                 cancel: threading.Event | None = None, retries: int = 3) -> Path:  # fmt: skip
    """Download the current hub file of ``entry`` and put it at ``path`` in place of the old one.

    The old file is replaced in one rename once the new one's sha256 is verified, and the sidecar
    then describes the new file.
    """
    from .fetch import _wanted_files

    assert entry.repo is not None
    wanted = _wanted_files(entry)[0]
    return download_file(entry.repo, wanted.name, dest_dir=path.parent, dest_name=path.name,
                         expected_sha256=wanted.sha256, replace_existing=True, progress=progress,
                         cancel=cancel, retries=retries)  # fmt: skip
