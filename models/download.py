"""Downloads from the model hub that resume, verify and can be cancelled.

The hub's protocol (URLs, metadata, auth, errors) is in ``models.hub``.

huggingface-hub (imported lazily) provides the parts that encode the hub's protocol: file URLs
(``hf_hub_url``), the metadata HEAD (``get_hf_file_metadata``: size, commit, ``X-Linked-Etag`` = the
LFS sha256), authentication headers (``HF_TOKEN`` or the saved ``hf auth login`` token), the shared
HTTP client and the hub's error types. The transfer itself is ours, a ranged GET into a ``.part`` file:

- ``hf_hub_download`` reports progress only through a tqdm class, has no cancel (a thread must be left
  running or killed), and with ``hf_xet`` installed takes a different path for Xet-stored files whose
  partial state we cannot see. A loop over ``iter_bytes`` checks a ``threading.Event`` after every
  chunk, feeds the hash as it goes, and reports exact byte counts.
- The ``.part`` file lives in a ``.downloads`` folder inside the models folder (same disk, so the final
  rename is atomic) with a small JSON record of the hub's ETag, so a restart of the program resumes
  with ``Range: bytes=N-`` only when the remote file is still the same one.

The endpoint is read from ``HF_ENDPOINT`` at call time (huggingface-hub reads it once, at import).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .disk import check_disk
from .errors import Cancelled, DownloadError
from .hub import (
    RemoteFile,
    _http_lib,
    check_online,
    endpoint,
    file_info,
    hub_errors,
    hub_page,
    translate_error,
)
from .paths import atomic_write_text, models_dir
from .units import format_bytes

log = logging.getLogger(__name__)

PARTIAL_DIR = ".downloads"
SIDECAR_SUFFIX = ".tomoshibi.json"


@dataclass(frozen=True)
class DownloadProgress:
    """One progress report. ``downloaded`` counts bytes on disk, resumed ones included."""

    filename: str
    downloaded: int
    total: int | None
    speed: float  # bytes per second over the last few seconds
    eta: float | None  # seconds left, when the speed and the total are known
    resumed_from: int = 0
    file_index: int = 1
    file_count: int = 1

    @property
    def fraction(self) -> float | None:
        return self.downloaded / self.total if self.total else None


ProgressCallback = Callable[[DownloadProgress], None]


class CorruptDownloadError(DownloadError):
    """The downloaded bytes do not match the hub's sha256 (or the catalog's); the file was deleted."""


class FileInUseError(DownloadError):
    """The verified new file cannot replace the old one, which a running model holds open (Windows
    refuses to replace a mapped file). The new file stays as the partial download: a retry only moves it."""


# --- progress and verification ---------------------------------------------------------------------


class _Meter:
    """Turns byte counts into throttled DownloadProgress reports (speed over a 5 s window)."""

    def __init__(self, callback: ProgressCallback | None, filename: str, total: int | None, start: int,
                 index: int, count: int, interval: float = 0.1) -> None:  # fmt: skip
        self.callback = callback
        self.filename, self.total, self.start = filename, total, start
        self.index, self.count, self.interval = index, count, interval
        self.samples: deque[tuple[float, int]] = deque([(time.monotonic(), start)])
        self.last_report = 0.0

    def update(self, downloaded: int, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        self.samples.append((now, downloaded))
        while len(self.samples) > 2 and now - self.samples[0][0] > 5.0:
            self.samples.popleft()
        if not force and now - self.last_report < self.interval:
            return
        self.last_report = now
        t0, b0 = self.samples[0]
        speed = (downloaded - b0) / (now - t0) if now > t0 else 0.0
        eta = (self.total - downloaded) / speed if self.total and speed > 0 else None
        self.callback(DownloadProgress(self.filename, downloaded, self.total, speed, eta, self.start,
                                       self.index, self.count))  # fmt: skip


class _Verifier:
    """Hashes bytes as they arrive; checks them against the hub's sha256 (LFS) or git blob id."""

    def __init__(self, remote: RemoteFile, expected_sha256: str | None) -> None:
        self.expected = {h.lower() for h in (remote.sha256, expected_sha256) if h}
        self.git = remote.git_sha1 if remote.size is not None and not self.expected else None
        self.size = remote.size
        self.reset()

    def reset(self) -> None:
        self.sha256 = hashlib.sha256()
        self.sha1 = hashlib.sha1(b"blob %d\0" % self.size) if self.git and self.size is not None else None

    def update(self, data: bytes) -> None:
        self.sha256.update(data)
        if self.sha1 is not None:
            self.sha1.update(data)

    def feed_file(self, path: Path, cancel: threading.Event | None, filename: str) -> None:
        """Hash what an earlier attempt already wrote, so the final check covers the whole file."""
        with open(path, "rb") as handle:
            while block := handle.read(8 << 20):
                self.update(block)
                _check_cancel(cancel, filename)

    def problem(self) -> str | None:
        """None when the content matches; otherwise what differs."""
        got = self.sha256.hexdigest()
        for want in self.expected:
            if got != want:
                return f"sha256 {got} instead of {want}"
        if self.sha1 is not None and self.git and self.sha1.hexdigest() != self.git:
            return f"git blob id {self.sha1.hexdigest()} instead of {self.git}"
        return None


def _check_cancel(cancel: threading.Event | None, filename: str) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled(f"The download of {filename}")


# --- the partial file ------------------------------------------------------------------------------


class _Partial:
    """``.downloads/<name>.part`` plus ``<name>.part.json`` recording which remote file it belongs to."""

    def __init__(self, folder: Path, name: str, remote: RemoteFile) -> None:
        self.dir = folder / PARTIAL_DIR
        self.part = self.dir / f"{name}.part"
        self.record = self.dir / f"{name}.part.json"
        self.remote = remote

    def _identity(self) -> dict[str, Any]:
        r = self.remote
        return {"repo": r.repo, "filename": r.filename, "etag": r.etag, "size": r.size}

    def prepare(self) -> int:
        """Bytes already downloaded for this very remote file (a stale partial is discarded)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.part.exists():
            try:
                saved = json.loads(self.record.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                saved = None
            have = self.part.stat().st_size
            if saved == self._identity() and (self.remote.size is None or have <= self.remote.size):
                return have
            log.info("Discarding a partial download of %s that belongs to another version", self.part.name)
            self.discard()
        atomic_write_text(self.record, json.dumps(self._identity()))
        self.part.touch()
        return 0

    def discard(self) -> None:
        self.part.unlink(missing_ok=True)
        self.record.unlink(missing_ok=True)


class _Interrupted(Exception):
    """The connection dropped mid-transfer; the partial file is intact and can be resumed."""


# --- download --------------------------------------------------------------------------------------


def download_file(
    repo: str,
    filename: str,
    *,
    revision: str = "main",
    dest_dir: Path | None = None,
    dest_name: str | None = None,
    expected_sha256: str | None = None,
    replace_existing: bool = False,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    retries: int = 3,
    retry_delay: float = 1.0,
    file_index: int = 1,
    file_count: int = 1,
) -> Path:
    """Download one hub file into ``dest_dir`` (default: the models folder) and return its path.

    Resumes a partial download left by an earlier attempt (even from an earlier run), retries a dropped
    connection ``retries`` times from where it stopped, verifies the content against the hub's sha256
    (and ``expected_sha256`` when given), and moves the file into place atomically. A file already at
    the destination is kept, unless ``replace_existing`` (an update) and its recorded sha256 differs
    from the hub's: then it is replaced only once the new one is verified. Raises
    InsufficientDiskError before any byte when the disk is too small, Cancelled when ``cancel`` is set
    (the partial file stays for a later resume), DownloadError otherwise.
    """
    check_online()
    folder = Path(dest_dir) if dest_dir is not None else models_dir()
    name = dest_name or Path(filename).name
    final = folder / name
    _check_cancel(cancel, name)
    remote = file_info(repo, filename, revision)
    if final.is_file() and remote.size is not None and final.stat().st_size == remote.size:
        if not replace_existing or (remote.sha256 and _recorded_sha256(final) == remote.sha256):
            log.info("%s is already in %s", name, folder)
            return final
    partial = _Partial(folder, name, remote)
    have = partial.prepare()
    if remote.size is not None:
        check_disk(folder, remote.size - have, name)
    verifier = _Verifier(remote, expected_sha256)
    if have:
        log.info("Resuming %s from %s", name, format_bytes(have))
        verifier.feed_file(partial.part, cancel, name)
    meter = _Meter(progress, name, remote.size, have, file_index, file_count)
    attempt = 0
    while True:
        try:
            _transfer(remote, partial.part, verifier, meter, cancel, name)
            break
        except _Interrupted as cut:
            attempt += 1
            done = partial.part.stat().st_size
            if attempt > retries:
                total = format_bytes(remote.size) if remote.size is not None else "?"
                raise DownloadError(
                    f"The download of {name} was interrupted after {format_bytes(done)} of {total} ({cut}).",
                    "Run the download again: it resumes where it stopped.",
                ) from None
            log.warning("Download of %s interrupted at %d bytes (%s); resuming", name, done, cut)
            time.sleep(retry_delay * attempt)
            _check_cancel(cancel, name)
    meter.update(partial.part.stat().st_size, force=True)
    problem = verifier.problem()
    if problem is not None:
        partial.discard()
        raise CorruptDownloadError(
            f"The downloaded {name} is corrupted ({problem}); the damaged file was deleted.",
            "Download it again. If this repeats, the file on the hub may have changed: check its page "
            f"({hub_page(repo)}).",
        )
    try:
        _move_into_place(partial, final)
    except PermissionError as error:
        raise FileInUseError(
            f"The new {name} is downloaded and verified, but the old file is in use ({error}).",
            "Load another model (or close the chat), then run the download again: it only moves the file.",
        ) from None
    if final.suffix.lower() == ".gguf":
        _write_sidecar(final, remote, verifier)
    return final


def _transfer(remote: RemoteFile, part: Path, verifier: _Verifier, meter: _Meter,
              cancel: threading.Event | None, name: str) -> None:  # fmt: skip
    """Append the rest of the file to ``part``; raise _Interrupted when the connection drops."""
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    lib = _http_lib()
    offset = part.stat().st_size
    if remote.size is not None and offset >= remote.size:
        return
    headers = build_hf_headers()
    if urlsplit(remote.url).netloc != urlsplit(endpoint()).netloc:
        headers.pop("authorization", None)  # never send the token to a CDN's signed URL
        headers.pop("Authorization", None)
    headers["Accept-Encoding"] = "identity"
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        with get_session().stream("GET", remote.url, headers=headers, follow_redirects=True,
                                  timeout=lib.Timeout(60.0, connect=15.0)) as response, \
                _close_on_cancel(response, cancel):  # fmt: skip
            if response.status_code == 416:
                # Our partial no longer matches what the server has: start over.
                part.write_bytes(b"")
                verifier.reset()
                raise _Interrupted("the server refused to resume")
            if response.status_code >= 400:
                response.read()
                with hub_errors(remote.repo, remote.filename):
                    hf_raise_for_status(response)
            with open(part, "r+b") as out:
                if offset and response.status_code == 200:
                    # The server ignored the Range header and sends everything again.
                    offset = 0
                    verifier.reset()
                out.seek(offset)
                out.truncate()
                for chunk in response.iter_bytes():
                    if not chunk:
                        continue
                    out.write(chunk)
                    verifier.update(chunk)
                    offset += len(chunk)
                    meter.update(offset)
                    if cancel is not None and cancel.is_set():
                        out.flush()
                        raise Cancelled(f"The download of {name}")
                out.flush()
                os.fsync(out.fileno())
    except Exception as error:
        _check_cancel(cancel, name)  # the watcher closed the stream: that is a cancel, not a failure
        if not isinstance(error, lib.TransportError):
            raise
        if isinstance(error, lib.ConnectError) and offset == 0 and part.stat().st_size == 0:
            raise translate_error(error, remote.repo, remote.filename) from error
        raise _Interrupted(str(error) or type(error).__name__) from error
    if remote.size is not None and offset < remote.size:
        raise _Interrupted(f"the server closed the connection at {offset} of {remote.size} bytes")


def _abort(response: Any) -> None:
    """Unblock a read in progress on another thread. ``response.close()`` would wait for that read to
    return (it shares the connection's lock); shutting the socket down makes it return at once."""
    stream = getattr(response, "extensions", {}).get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    try:
        if sock is not None:
            sock.shutdown(socket.SHUT_RDWR)
        else:
            response.close()
    except OSError as error:
        log.debug("Aborting the download stream: %s", error)


@contextmanager
def _close_on_cancel(response: Any, cancel: threading.Event | None) -> Iterator[None]:
    """Close the stream as soon as ``cancel`` is set, so a cancel never waits for a stalled read."""
    if cancel is None:
        yield
        return
    finished = threading.Event()

    def watch() -> None:
        while not finished.is_set():
            if cancel.wait(0.2):
                if not finished.is_set():
                    _abort(response)
                return

    watcher = threading.Thread(target=watch, name="download-cancel", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def _move_into_place(partial: _Partial, final: Path) -> None:
    os.replace(partial.part, final)
    partial.record.unlink(missing_ok=True)
    try:
        partial.dir.rmdir()  # only when no other download is pending
    except OSError:
        pass


def _write_sidecar(final: Path, remote: RemoteFile, verifier: _Verifier) -> None:
    """Where a downloaded file came from, for the model library (``<file>.tomoshibi.json``)."""
    record = {
        "source": "hub",
        "repo": remote.repo,
        "filename": remote.filename,
        "revision": remote.revision,
        "commit": remote.commit,
        "sha256": verifier.sha256.hexdigest(),
        "size": final.stat().st_size,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    atomic_write_text(final.with_name(final.name + SIDECAR_SUFFIX), json.dumps(record, indent=2))


def _recorded_sha256(final: Path) -> str | None:
    try:
        record = json.loads(final.with_name(final.name + SIDECAR_SUFFIX).read_text(encoding="utf-8"))
        return str(record["sha256"]).lower()
    except (OSError, ValueError, KeyError, TypeError):
        return None


def partial_downloads(folder: Path | None = None) -> list[Path]:
    """Partial files waiting to be resumed (shown by the library; removable)."""
    base = (Path(folder) if folder is not None else models_dir()) / PARTIAL_DIR
    return sorted(base.glob("*.part")) if base.is_dir() else []
