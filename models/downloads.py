"""The app's download list: catalog models and hub files downloading in the background, that can be
paused, resumed and cancelled, and that pick up where they stopped after the app restarts.

Each job runs ``models.fetch.download_entry`` (or ``download.download_file`` for a hub file) on its
own thread with its own cancel event; pause and cancel both set it. A paused job keeps its ``.part``
file; a cancelled one deletes it. The list is saved in ``downloads.json`` in the data folder at every
state change, so a restart finds the unfinished jobs and resumes them (the transfer itself resumes
with an HTTP range request). Failures are kept as a ``reason`` the UI translates, never as raw text.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .catalog import CatalogEntry, load_catalog
from .download import (
    PARTIAL_DIR,
    SIDECAR_SUFFIX,
    CorruptDownloadError,
    DownloadProgress,
    FileInUseError,
    _Interrupted,
    download_file,
)
from .errors import Cancelled, DownloadError, InsufficientDiskError, TomoshibiError
from .fetch import FileNotInRepoError, download_entry, entry_destination
from .paths import atomic_write_text, data_dir, models_dir

log = logging.getLogger(__name__)

ACTIVE = ("queued", "running")
STATES = ("queued", "running", "paused", "failed", "done", "cancelled")
# Why a download failed, as the UI explains it (desktop translates each one).
REASONS = ("offline", "gated", "missing_repo", "missing_file", "disk", "corrupt", "interrupted", "in_use",
           "other")  # fmt: skip


@dataclass
class Job:
    """One download in the list."""

    id: str  # the catalog id, or "OWNER/REPO/FILENAME" for a file from the hub search
    label: str
    repo: str
    filename: str | None = None  # a hub file; None for a catalog entry
    catalog_id: str | None = None
    state: str = "queued"
    downloaded: int = 0
    total: int | None = None
    speed: float = 0.0
    eta: float | None = None
    current_file: str | None = None
    reason: str | None = None  # one of REASONS when state is "failed"
    detail: str = ""  # the engine's English message, for the log and a tooltip
    path: str | None = None  # what was downloaded, once done
    replace: str | None = None  # an update: the installed file it replaces once verified
    started: float = field(default_factory=time.time)

    @property
    def fraction(self) -> float | None:
        return self.downloaded / self.total if self.total else None


def failure_reason(error: BaseException) -> str:
    """Which of REASONS an error is, from its type and the network error behind it (never its text)."""
    from .hub import _offline_env

    if isinstance(error, CorruptDownloadError):
        return "corrupt"
    if isinstance(error, FileInUseError):
        return "in_use"
    if isinstance(error, InsufficientDiskError):
        return "disk"
    if isinstance(error, FileNotInRepoError):
        return "missing_file"
    cause = error.__cause__ or error.__context__
    try:
        from huggingface_hub import errors as hf

        if isinstance(cause, hf.GatedRepoError):
            return "gated"
        if isinstance(cause, hf.RepositoryNotFoundError):
            return "missing_repo"
        if isinstance(cause, hf.EntryNotFoundError):
            return "missing_file"
        if isinstance(cause, hf.HfHubHTTPError):
            status = getattr(getattr(cause, "response", None), "status_code", None)
            return {401: "gated", 403: "gated", 404: "missing_file"}.get(status or 0, "other")
        if isinstance(cause, hf.OfflineModeIsEnabled):
            return "offline"
        from .hub import _http_lib

        lib = _http_lib()
        if isinstance(cause, lib.ConnectError | lib.ConnectTimeout | ConnectionError | OSError):
            return "offline"
        if isinstance(cause, lib.TransportError):
            return "interrupted"
    except ImportError:
        pass
    if isinstance(cause, _Interrupted):
        return "interrupted"
    if isinstance(error, DownloadError) and _offline_env():
        return "offline"
    return "other"


def _store_file() -> Path:
    return data_dir() / "downloads.json"


class DownloadQueue:
    """Downloads running on background threads. ``on_change(job)`` is called (from those threads) with
    a copy of a job whenever it changes; the desktop turns that into a Qt signal."""

    def __init__(self, entries: Sequence[CatalogEntry] | None = None,
                 on_change: Callable[[Job], None] | None = None, store: Path | None = None) -> None:  # fmt: skip
        self.entries = tuple(load_catalog() if entries is None else entries)
        self.on_change = on_change
        self.store = store or _store_file()
        self._jobs: dict[str, Job] = {}
        self._cancel: dict[str, threading.Event] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._cancelling: set[str] = set()
        self._lock = threading.RLock()

    # --- queries -----------------------------------------------------------------------------------
    def jobs(self) -> list[Job]:
        with self._lock:
            return [replace(j) for j in self._jobs.values()]

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return replace(job) if job else None

    def entry(self, catalog_id: str) -> CatalogEntry | None:
        return next((e for e in self.entries if e.id == catalog_id), None)

    # --- commands ----------------------------------------------------------------------------------
    def start_entry(self, entry: CatalogEntry) -> Job:
        """Download a catalog entry (or resume it, when it is already in the list)."""
        return self._start(Job(entry.id, entry.name, entry.repo or "", catalog_id=entry.id))

    def start_update(self, entry: CatalogEntry, path: str | Path) -> Job:
        """Download the hub's newer version of ``entry`` and put it in place of the file at ``path``
        (``models.updates``); until it is verified, the installed model stays as it was."""
        return self._start(
            Job(entry.id, entry.name, entry.repo or "", catalog_id=entry.id, replace=str(path))
        )

    def start_file(self, repo: str, filename: str) -> Job:
        """Download one GGUF file from a hub repository (the hub search's button)."""
        return self._start(Job(f"{repo}/{filename}", Path(filename).name, repo, filename=filename))

    def pause(self, job_id: str) -> None:
        with self._lock:
            event = self._cancel.get(job_id)
            job = self._jobs.get(job_id)
            if job is None or job.state not in ACTIVE:
                return
            job.state = "paused"
            job.speed, job.eta = 0.0, None
        if event is not None:
            event.set()
        self._changed(job_id)

    def resume(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state in ACTIVE or job.state == "done":
                return
        self._start(replace(job))

    def cancel(self, job_id: str) -> None:
        """Stop and forget the download, deleting what it had written."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            running = self._threads.get(job_id)
            if running is not None and running.is_alive():
                self._cancelling.add(job_id)
                self._cancel[job_id].set()
                job.state = "cancelled"
            else:
                job.state = "cancelled"
                self._discard_partial(job)
        self._changed(job_id)

    def remove(self, job_id: str) -> None:
        """Take a finished, failed or cancelled job off the list."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.state not in ACTIVE:
                del self._jobs[job_id]
        self._save()

    def restore(self) -> list[Job]:
        """After a restart: put the saved jobs back; those that were downloading resume."""
        try:
            saved = json.loads(self.store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        resumed = []
        known = set(Job.__dataclass_fields__)
        for raw in saved.get("jobs", []) if isinstance(saved, dict) else []:
            try:
                job = Job(**{k: v for k, v in raw.items() if k in known})
            except TypeError:
                continue
            if job.id in self._jobs:
                continue
            job.speed, job.eta = 0.0, None
            if job.state in ACTIVE:
                resumed.append(self._start(job))
            else:
                with self._lock:
                    self._jobs[job.id] = job
        return resumed

    def shutdown(self, timeout: float = 5.0) -> None:
        """The app is closing: stop the transfers, keeping them listed as running so that the next
        start resumes them."""
        with self._lock:
            threads = list(self._threads.items())
            self._closing = True
            for job_id, _thread in threads:
                self._cancel[job_id].set()
        for _job_id, thread in threads:
            thread.join(timeout)
        self._save(keep_running=True)

    def wait(self, job_id: str, timeout: float | None = None) -> Job | None:
        thread = self._threads.get(job_id)
        if thread is not None:
            thread.join(timeout)
        return self.get(job_id)

    # --- the work ----------------------------------------------------------------------------------
    def _start(self, job: Job) -> Job:
        with self._lock:
            thread = self._threads.get(job.id)
            if thread is not None and thread.is_alive():
                return replace(self._jobs[job.id])
            job.state, job.reason, job.detail = "queued", None, ""
            self._jobs[job.id] = job
            self._cancel[job.id] = event = threading.Event()
            self._cancelling.discard(job.id)
            thread = threading.Thread(target=self._run, args=(job.id, event), name=f"download-{job.id}",
                                      daemon=True)  # fmt: skip
            self._threads[job.id] = thread
        self._changed(job.id)
        thread.start()
        return replace(job)

    def _run(self, job_id: str, cancel: threading.Event) -> None:
        job = self._jobs[job_id]
        self._update(job_id, state="running")

        def progress(p: DownloadProgress) -> None:
            self._update(job_id, downloaded=p.downloaded, total=p.total, speed=p.speed, eta=p.eta,
                         current_file=p.filename)  # fmt: skip

        try:
            if job.catalog_id is not None:
                entry = self.entry(job.catalog_id)
                if entry is None:
                    raise FileNotInRepoError(job.repo, "?", [])
                if job.replace:
                    from .updates import update_entry

                    path = update_entry(entry, Path(job.replace), progress=progress, cancel=cancel)
                else:
                    path = download_entry(entry, progress=progress, cancel=cancel)
                _note_catalog_id(path, entry.id)
            else:
                assert job.filename is not None
                path = download_file(job.repo, job.filename, progress=progress, cancel=cancel)
        except Cancelled:
            with self._lock:
                cancelled = job_id in self._cancelling
            if cancelled:
                self._discard_partial(self._jobs[job_id])
            self._update(job_id, speed=0.0, eta=None)
            return
        except TomoshibiError as error:
            if cancel.is_set():  # a stop that surfaced as a network error
                self._update(job_id, speed=0.0, eta=None)
                return
            reason = failure_reason(error)
            log.warning("Download of %s failed (%s): %s", job_id, reason, error)
            self._update(job_id, state="failed", reason=reason, detail=str(error), speed=0.0, eta=None)
            return
        except Exception as error:  # noqa: BLE001 - a bug must still end the job with a message
            log.exception("Download of %s failed", job_id)
            self._update(job_id, state="failed", reason="other", detail=str(error), speed=0.0, eta=None)
            return
        self._update(job_id, state="done", path=str(path), speed=0.0, eta=None,
                     downloaded=self._jobs[job_id].total or self._jobs[job_id].downloaded)  # fmt: skip

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            if job.state in ("paused", "cancelled") and changes.get("state") in ("running", "done", "failed"):
                changes.pop("state")  # the user's pause or cancel wins over the thread's last word
            for key, value in changes.items():
                setattr(job, key, value)
        self._changed(job_id, save="state" in changes or "path" in changes)

    def _changed(self, job_id: str, save: bool = True) -> None:
        if save:
            self._save()
        job = self.get(job_id)
        if job is not None and self.on_change is not None:
            self.on_change(job)

    def _save(self, keep_running: bool = False) -> None:
        if getattr(self, "_closing", False) and not keep_running:
            return  # the threads' last reports must not overwrite "resume these next time"
        with self._lock:
            jobs = [asdict(j) for j in self._jobs.values() if j.state != "cancelled"]
        try:
            atomic_write_text(self.store, json.dumps({"version": 1, "jobs": jobs}, indent=1))
        except OSError as error:
            log.warning("Cannot save the download list: %s", error)

    def _discard_partial(self, job: Job) -> None:
        """Delete the ``.part`` files a cancelled download left."""
        folder = models_dir()
        if job.catalog_id is not None and (entry := self.entry(job.catalog_id)) is not None:
            folder = entry_destination(entry)
        partial = folder / PARTIAL_DIR
        names = {job.current_file, Path(job.filename).name if job.filename else None} - {None}
        for name in names:
            for suffix in (".part", ".part.json"):
                (partial / f"{name}{suffix}").unlink(missing_ok=True)


def _note_catalog_id(path: Path, catalog_id: str) -> None:
    """Add the catalog id to the download record, so the model keeps its catalog name."""
    side = path.with_name(path.name + SIDECAR_SUFFIX)
    if not path.is_file() or not side.is_file():
        return
    try:
        record = json.loads(side.read_text(encoding="utf-8"))
        record["catalog_id"] = catalog_id
        atomic_write_text(side, json.dumps(record, indent=2))
    except (OSError, ValueError) as error:
        log.info("Cannot note the catalog id of %s: %s", path.name, error)
