"""A local stand-in for the model hub, enough of its protocol for huggingface-hub's client.

Runs on 127.0.0.1 (random port) in a thread; tests point ``HF_ENDPOINT`` at it, so no test ever
reaches the internet. It serves:

- ``HEAD/GET /{repo}/resolve/{revision}/{filename}``: LFS files answer the HEAD with a redirect to a
  content-addressed ``/cdn/...`` URL plus ``X-Linked-Etag`` (sha256), ``X-Linked-Size`` and
  ``X-Repo-Commit``, as the real hub does; small files answer directly with their git blob id as ETag.
  GETs honour ``Range: bytes=N-``.
- ``/api/models/{repo}`` (and ``/revision/{rev}``) with siblings (sizes and lfs sha256 when
  ``blobs=true``), and ``/api/models?search=...&filter=gguf`` for search.
- 401 ``GatedRepo`` for a gated repo without the right token, 404 ``EntryNotFound``.
- Faults: cut the connection after N bytes, serve wrong bytes (hash mismatch), stream slowly.

Every request is logged (method, path, range start, bytes of body sent) so tests can assert that a
resumed download transferred only the remainder.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

TOKEN = "hf_localtesttoken"
REPO = "acme/tiny-GGUF"
BIG = "tiny-model.Q4_K_M.gguf"
PAYLOAD = bytes(range(256)) * 1200  # 307,200 bytes: an "LFS" file
CONFIG = b'{"model_type": "llama"}\n'  # a small git file (git blob id ETag)


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Repo:
    repo_id: str
    files: dict[str, bytes]
    gated: bool = False
    tags: tuple[str, ...] = ("gguf",)
    downloads: int = 0
    commit: str = "0123456789abcdef0123456789abcdef01234567"
    lfs_min_size: int = 1024  # files at least this big are "LFS" (sha256 ETag, CDN redirect)

    def is_lfs(self, name: str) -> bool:
        return len(self.files[name]) >= self.lfs_min_size


@dataclass
class LogEntry:
    method: str
    path: str
    status: int
    range_start: int | None = None
    body_bytes: int = 0
    authorization: str | None = None


@dataclass
class Faults:
    cut_after: dict[str, int] = field(default_factory=dict)  # filename → bytes, once
    corrupt: set[str] = field(default_factory=set)  # filename → wrong bytes, same length
    slow: dict[str, float] = field(default_factory=dict)  # filename → seconds between chunks
    chunk: int = 4096


class HubServer:
    """``with HubServer() as hub: hub.add_repo(...); os.environ["HF_ENDPOINT"] = hub.url``"""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.faults = Faults()
        self.log: list[LogEntry] = []
        self._lock = threading.Lock()
        server = self

        class Handler(_Handler):
            hub = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="hubserver", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def cdn_url(self) -> str:
        """The same server under another host name, so the client treats it as a CDN (no auth header)."""
        return self.url.replace("127.0.0.1", "localhost")

    def add_repo(self, repo_id: str, files: dict[str, bytes], **kwargs: object) -> Repo:
        repo = Repo(repo_id, dict(files), **kwargs)  # type: ignore[arg-type]
        self.repos[repo_id] = repo
        return repo

    def record(self, entry: LogEntry) -> None:
        with self._lock:
            self.log.append(entry)

    def gets(self, filename: str) -> list[LogEntry]:
        """Logged GETs that delivered file bytes for ``filename``."""
        return [e for e in self.log if e.method == "GET" and e.path.endswith("/" + filename)]

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


class _Handler(BaseHTTPRequestHandler):
    hub: HubServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - keep test output quiet
        pass

    # --- helpers ---------------------------------------------------------------------------------

    def _send(self, status: int, headers: dict[str, str], body: bytes = b"", *, head: bool = False) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and not head:
            self.wfile.write(body)
        self.hub.record(LogEntry(self.command, self.path, status, None, 0 if head else len(body),
                                 self.headers.get("Authorization")))  # fmt: skip

    def _error(self, status: int, code: str, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        self._send(status, {"X-Error-Code": code, "X-Error-Message": message,
                            "Content-Type": "application/json"}, body, head=self.command == "HEAD")  # fmt: skip

    def _authorized(self, repo: Repo) -> bool:
        return not repo.gated or self.headers.get("Authorization") == f"Bearer {TOKEN}"

    def _find_repo(self, parts: list[str]) -> tuple[Repo | None, list[str]]:
        if len(parts) >= 2:
            repo = self.hub.repos.get(f"{parts[0]}/{parts[1]}")
            if repo is not None:
                return repo, parts[2:]
        return None, parts

    # --- routes ----------------------------------------------------------------------------------

    def do_HEAD(self) -> None:  # noqa: N802
        self._route()

    def do_GET(self) -> None:  # noqa: N802
        self._route()

    def _route(self) -> None:
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        query = parse_qs(url.query)
        if parts[:2] == ["api", "models"]:
            if len(parts) == 2:
                return self._search(query)
            repo, rest = self._find_repo(parts[2:])
            return self._model_info(repo, rest, query)
        if parts[0] == "cdn":
            repo, rest = self._find_repo(parts[1:])
            if repo is None or not rest:
                return self._error(404, "EntryNotFound", "no such blob")
            return self._file(repo, "/".join(rest[1:]))
        repo, rest = self._find_repo(parts)
        if repo is None:
            return self._error(401, "RepoNotFound", "Repository not found")
        if len(rest) < 3 or rest[0] != "resolve":
            return self._error(404, "EntryNotFound", "Entry not found")
        if not self._authorized(repo):
            return self._error(401, "GatedRepo", "Access to model is restricted. You must have access and be authenticated.")  # fmt: skip
        filename = "/".join(rest[2:])
        if filename not in repo.files:
            return self._error(404, "EntryNotFound", "Entry not found")
        data = repo.files[filename]
        headers = {"X-Repo-Commit": repo.commit, "Accept-Ranges": "bytes"}
        if repo.is_lfs(filename):
            sha = hashlib.sha256(data).hexdigest()
            headers.update({"X-Linked-Etag": f'"{sha}"', "X-Linked-Size": str(len(data)),
                            "ETag": f'"{sha}"', "Location": f"{self.hub.cdn_url}/cdn/{repo.repo_id}/{sha}/{filename}"})  # fmt: skip
            return self._send(302, headers, head=self.command == "HEAD")
        headers["ETag"] = f'"{git_blob_id(data)}"'
        return self._file(repo, filename, headers)

    def _file(self, repo: Repo, filename: str, extra: dict[str, str] | None = None) -> None:
        if filename not in repo.files:
            return self._error(404, "EntryNotFound", "Entry not found")
        data = repo.files[filename]
        faults = self.hub.faults
        if filename in faults.corrupt:
            data = bytes(b ^ 0xFF for b in data[:16]) + data[16:]
        start = 0
        range_header = self.headers.get("Range")
        headers = dict(extra or {})
        headers.update({"Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"})
        status = 200
        if range_header and range_header.startswith("bytes="):
            start = int(range_header[len("bytes=") :].split("-")[0])
            if start >= len(data):
                headers["Content-Range"] = f"bytes */{len(data)}"
                return self._send(416, headers, head=self.command == "HEAD")
            status = 206
            headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        body = data[start:]
        headers["Content-Length"] = str(len(body))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        entry = LogEntry(self.command, self.path, status, start if range_header else None, 0,
                         self.headers.get("Authorization"))  # fmt: skip
        self.hub.record(entry)
        if self.command == "HEAD":
            return
        cut = faults.cut_after.pop(filename, None)
        delay = faults.slow.get(filename, 0.0)
        sent = 0
        try:
            while sent < len(body):
                piece = body[sent : sent + faults.chunk]
                if cut is not None and sent + len(piece) > cut:
                    piece = piece[: cut - sent]
                self.wfile.write(piece)
                self.wfile.flush()
                sent += len(piece)
                entry.body_bytes = sent
                if cut is not None and sent >= cut:
                    # Drop the connection mid-body, as a flaky network does.
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if delay:
                    time.sleep(delay)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _model_info(self, repo: Repo | None, rest: list[str], query: dict[str, list[str]]) -> None:
        if repo is None:
            return self._error(401, "RepoNotFound", "Repository not found")
        blobs = query.get("blobs", ["false"])[0].lower() == "true"
        siblings = []
        for name, data in repo.files.items():
            item: dict[str, object] = {"rfilename": name}
            if blobs:
                item["size"] = len(data)
                item["blobId"] = git_blob_id(data)
                if repo.is_lfs(name):
                    item["lfs"] = {
                        "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "pointerSize": 134,
                    }
            siblings.append(item)
        info = {"id": repo.repo_id, "sha": repo.commit, "gated": "manual" if repo.gated else False,
                "tags": list(repo.tags), "downloads": repo.downloads, "likes": 0, "siblings": siblings,
                "lastModified": "2024-01-01T00:00:00.000Z", "private": False}  # fmt: skip
        self._send(200, {"Content-Type": "application/json"}, json.dumps(info).encode())

    def _search(self, query: dict[str, list[str]]) -> None:
        text = query.get("search", [""])[0].lower()
        wanted = set(query.get("filter", []))
        limit = int(query.get("limit", ["1000"])[0])
        found = [r for r in self.hub.repos.values()
                 if text in r.repo_id.lower() and wanted.issubset(r.tags)]  # fmt: skip
        found.sort(key=lambda r: -r.downloads)
        items = [{"id": r.repo_id, "downloads": r.downloads, "likes": 0, "tags": list(r.tags),
                  "gated": "manual" if r.gated else False, "lastModified": "2024-01-01T00:00:00.000Z",
                  "private": False} for r in found[:limit]]  # fmt: skip
        self._send(200, {"Content-Type": "application/json"}, json.dumps(items).encode())


def serve_local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    """For a fixture (``yield from serve_local_hub(monkeypatch)``): the local hub with a few repositories,
    ``HF_ENDPOINT`` pointing at it, offline mode lifted and no real login token visible, for one test."""
    import huggingface_hub.constants

    with HubServer() as server:
        server.add_repo(REPO, {BIG: PAYLOAD, "config.json": CONFIG, "tiny-model.Q8_0.gguf": PAYLOAD[:5000]},
                        downloads=50)  # fmt: skip
        server.add_repo("acme/other-GGUF", {"other-f16.gguf": b"x" * 2048}, downloads=900)
        server.add_repo("acme/not-gguf", {"model.safetensors": b"y" * 2048}, tags=("safetensors",))
        server.add_repo("meta/gated-GGUF", {"gated.Q4_0.gguf": PAYLOAD[:4096]}, gated=True)
        server.add_repo("acme/ckpt", {"config.json": CONFIG, "tokenizer.json": b"{}", "spiece.model": b"m" * 2000,
                                      "model.safetensors": PAYLOAD[:3000], "pytorch_model.bin": PAYLOAD[:3000],
                                      "training_args.bin": b"t" * 10, "sub/extra.json": b"{}"},
                        tags=("gpt_neox",))  # fmt: skip
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
        monkeypatch.delenv("HF_TOKEN", raising=False)
        monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
        monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", os.devnull)
        yield server
