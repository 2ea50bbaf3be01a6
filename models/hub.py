"""The model hub's protocol, as Tomoshibi uses it: endpoint, authentication, errors, file metadata.

huggingface-hub (imported lazily) provides file URLs (``hf_hub_url``), the metadata HEAD
(``get_hf_file_metadata``: size, commit, ``X-Linked-Etag`` = the LFS sha256), authentication headers
(``HF_TOKEN`` or the saved ``hf auth login`` token), the shared HTTP client and the hub's error types;
this module turns its failures into DownloadError messages that say what to do. The transfer itself
is in ``models.download``. The endpoint is read from ``HF_ENDPOINT`` at call time (huggingface-hub
reads it once, at import).
"""

from __future__ import annotations

import importlib
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import Code, DownloadError, TomoshibiError

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "https://huggingface.co"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_GIT_SHA1 = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class RemoteFile:
    """What the hub says about one file before we download it."""

    repo: str
    filename: str
    revision: str
    url: str  # where the bytes are (the hub, or the CDN it redirects to)
    size: int | None
    etag: str
    commit: str | None
    sha256: str | None  # LFS files: the hub's sha256 of the content
    git_sha1: str | None  # small (non-LFS) files: the git blob id


# --- environment -----------------------------------------------------------------------------------


def endpoint() -> str:
    """The hub's base URL: ``HF_ENDPOINT`` when set (a mirror, or a test server), read at call time."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def hub_page(repo: str) -> str:
    return f"{endpoint()}/{repo}"


def _offline_env() -> bool:
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().upper() in {"1", "ON", "YES", "TRUE"}


def check_online() -> None:
    """DownloadError when the user switched the hub off (``HF_HUB_OFFLINE``)."""
    if _offline_env():
        raise DownloadError("Downloads are switched off: HF_HUB_OFFLINE is set (offline mode).",
                            "Unset HF_HUB_OFFLINE to download models; local models keep working.",
                            code=Code.OFFLINE)  # fmt: skip


def _http_lib() -> Any:
    """The HTTP package huggingface-hub's client comes from (``httpx2`` or ``httpx``), for its errors."""
    from huggingface_hub.utils import get_session

    return importlib.import_module(type(get_session()).__module__.split(".")[0])


def login_hint(repo: str) -> str:
    return (f"Accept the licence on the hub page ({hub_page(repo)}) and log in with `huggingface-cli login` "
            "(or `hf auth login`), or set HF_TOKEN to an access token.")  # fmt: skip


# --- errors ----------------------------------------------------------------------------------------


def translate_error(error: BaseException, repo: str, filename: str | None = None) -> TomoshibiError:
    """A hub or network failure as a DownloadError that says what happened and what to do."""
    from huggingface_hub import errors as hf

    what = f"{repo}/{filename}" if filename else repo
    if isinstance(error, TomoshibiError):
        return error
    if isinstance(error, hf.OfflineModeIsEnabled):
        return DownloadError(f"Cannot download {what}: offline mode is on (HF_HUB_OFFLINE).",
                             "Unset HF_HUB_OFFLINE to download models.", code=Code.OFFLINE)  # fmt: skip
    if isinstance(error, hf.GatedRepoError):
        return DownloadError(f"{repo} is gated: its licence must be accepted on the hub before downloading "
                             "(the hub answered 401/403).", login_hint(repo), code=Code.GATED)  # fmt: skip
    if isinstance(error, hf.RepositoryNotFoundError):
        return DownloadError(f"The repository {repo} was not found on the hub (or it is private).",
                             f"Check the name (`tomoshibi models search {repo.split('/')[-1]}`). "
                             f"If it is private or gated: {login_hint(repo)}", code=Code.NOT_FOUND)  # fmt: skip
    if isinstance(error, hf.RevisionNotFoundError):
        return DownloadError(f"The revision asked for does not exist in {repo}.", "Use the main branch.")
    if isinstance(error, hf.EntryNotFoundError):
        return DownloadError(f"{filename} is not in {repo} (404).",
                             f"List its files with `tomoshibi models search {repo}`.")  # fmt: skip
    if isinstance(error, hf.HfHubHTTPError):
        status = getattr(getattr(error, "response", None), "status_code", None)
        if status in (401, 403):
            return DownloadError(f"The hub refused access to {what} ({status}): the repository is gated or "
                                 "private.", login_hint(repo))  # fmt: skip
        if status == 404:
            return DownloadError(
                f"{what} was not found on the hub (404).", "Check the repository and file name."
            )
        return DownloadError(f"The hub answered an error for {what} ({status}).",
                             "The hub may be busy: try again in a few minutes.")  # fmt: skip
    lib = _http_lib()
    if isinstance(error, lib.ConnectError | lib.ConnectTimeout | ConnectionRefusedError):
        return DownloadError(f"Cannot reach the model hub at {endpoint()} (offline?): {error}",
                             "Check your internet connection (or HF_ENDPOINT) and try again; "
                             "a started download resumes where it stopped.", code=Code.HUB_UNREACHABLE)  # fmt: skip
    if isinstance(error, lib.TimeoutException):
        return DownloadError(f"The model hub did not answer in time for {what}.",
                             "Check your connection and try again; the download resumes.",
                             code=Code.HUB_TIMEOUT)  # fmt: skip
    if isinstance(error, lib.TransportError):
        return DownloadError(f"The connection to the hub failed while fetching {what}: {error}",
                             "Try again; the download resumes where it stopped.")  # fmt: skip
    return DownloadError(f"Downloading {what} failed: {error}", "Try again; the download resumes.")


@contextmanager
def hub_errors(repo: str, filename: str | None = None) -> Iterator[None]:
    """Turn everything huggingface-hub and the network raise into DownloadError."""
    try:
        yield
    except TomoshibiError:
        raise
    except Exception as error:
        raise translate_error(error, repo, filename) from error


# --- metadata --------------------------------------------------------------------------------------


def file_info(repo: str, filename: str, revision: str = "main") -> RemoteFile:
    """Size, commit and content hash of one hub file (a HEAD request; follows the hub's redirects)."""
    check_online()
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    ep = endpoint()
    url = hf_hub_url(repo, filename, revision=revision, endpoint=ep)
    with hub_errors(repo, filename):
        meta = get_hf_file_metadata(url, endpoint=ep, timeout=20)
    etag = (meta.etag or "").strip('"').lower()
    return RemoteFile(
        repo=repo,
        filename=filename,
        revision=revision,
        url=meta.location or url,
        size=meta.size,
        etag=etag,
        commit=meta.commit_hash,
        sha256=etag if _SHA256.match(etag) else None,
        git_sha1=etag if _GIT_SHA1.match(etag) else None,
    )


# --- disk ------------------------------------------------------------------------------------------
