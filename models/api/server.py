"""The HTTP side of the local API: Python's threading HTTP server, one thread per connection.

Why the standard library and not an ASGI stack: the engine is a blocking pipe to one process that
answers one request at a time, so a thread per connection that waits for its turn and then streams is
the natural shape; there is nothing for an event loop to overlap. It adds no dependency to the app or
the PyInstaller build, and it gives direct access to the socket, which is what disconnect detection
needs: a failed write ends a stream, and a non-streaming request polls its socket between tokens
(readable with nothing to read means the peer closed).

Safety for a server on the user's machine: loopback by default; any other address needs an API key;
requests carrying a browser ``Origin`` are refused unless CORS allows that origin; POST bodies must be
``application/json`` (so a web page cannot send a "simple" cross-site request); and on loopback the
``Host`` header must name loopback, which stops DNS-rebinding pages.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import select
import socket
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, TomoshibiError
from . import protocol as p
from .body import parse_body
from .config import ApiConfig, is_loopback
from .endpoints import ClientGone, Endpoints, Stats
from .hosts import ModelHost

if TYPE_CHECKING:
    from ..engine import Engine

log = logging.getLogger(__name__)

_HOST_RE = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[^:\[\]]+)(:\d+)?$")
_HEADER_NAME_RE = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")


def _readable(sock: socket.socket) -> bool:
    """Whether ``sock`` has data or an end-of-stream waiting (poll where it exists: select() cannot
    watch descriptors above 1023, which a long-running process can reach)."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0))
    readable, _, _ = select.select([sock], [], [], 0)
    return bool(readable)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the listen backlog: many clients connect at once, then wait in the fair queue
    config: ApiConfig
    endpoints: Endpoints

    def __init__(self, address: tuple[str, int], config: ApiConfig, endpoints: Endpoints) -> None:
        self.config = config
        self.endpoints = endpoints
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive for the openai client's connection pool
    server_version = "Tomoshibi"
    sys_version = ""
    server: _Server

    # ---- connection life cycle -------------------------------------------------------------------
    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.config.idle_timeout)  # an idle keep-alive ends eventually
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("%s %s", self.address_string(), format % args)

    # ---- Channel for the endpoints ------------------------------------------------------------------
    client = ""
    _streaming = False
    _closed = False
    _cors: dict[str, str] = {}

    def gone(self) -> bool:
        """True when the peer has closed the connection (checked without blocking)."""
        if self._closed:
            return True
        try:
            if _readable(self.connection) and self.connection.recv(1, socket.MSG_PEEK) == b"":
                self._closed = True
        except (OSError, ValueError):
            self._closed = True
        return self._closed

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except (OSError, ValueError):
            self._closed = True
            self.close_connection = True
            return False

    def send_json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        for name, value in {**self._cors, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self._write(data)

    def start_stream(self) -> None:
        self._streaming = True
        self.close_connection = True  # no length is known: the stream ends when the connection closes
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        for name, value in self._cors.items():
            self.send_header(name, value)
        self.end_headers()
        self._write(b"")

    def send_event(self, data: Any) -> bool:
        if self.gone():
            return False
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        return self._write(f"data: {text}\n\n".encode())

    # ---- requests ----------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def _handle(self, method: str) -> None:
        self._streaming, self._closed, self._cors = False, False, {}
        self._body: bytes | None = None
        self.client = self.client_address[0]
        try:
            # The body is read (or the connection marked to close) before anything is answered:
            # bytes left unread on a keep-alive connection would be parsed as the next request.
            self._body = self._read_body()
            self._check_origin_and_host()
            if method == "OPTIONS":
                self._preflight()
                return
            path = self.path.split("?", 1)[0].rstrip("/")
            if path in ("/health", "/v1/health"):
                self.send_json(200, {"status": "ok"})
                return
            self._check_key()
            self._route(method, path)
        except p.ApiError as error:
            self._send_error(error)
        except ClientGone:
            self.close_connection = True
        except TomoshibiError as error:
            if isinstance(error, ConfigError):
                self._send_error(p.ApiError(400, str(error)))
            else:
                log.error("API request %s %s failed: %s", method, self.path, error)
                self._send_error(p.internal_error())
        except Exception:  # noqa: BLE001 - a bug must answer 500, not drop the connection
            log.exception("API request %s %s failed", method, self.path)
            self._send_error(p.internal_error())

    def _send_error(self, error: p.ApiError) -> None:
        if self._closed:
            return
        if self._streaming:
            self.send_event(error.body())
            self.send_event("[DONE]")
        else:
            self.send_json(error.status, error.body(), error.headers)

    def _route(self, method: str, path: str) -> None:
        endpoints = self.server.endpoints
        path = path[3:] if path.startswith("/v1/") else path
        if method == "GET" and path == "/models":
            endpoints.models(self)
            return
        if method == "GET" and path.startswith("/models/"):
            wanted = path[len("/models/") :]
            ids = {endpoints.chat_host.id: endpoints.chat_host, endpoints.embed_host.id: endpoints.embed_host}
            if wanted not in ids:
                raise p.ApiError(
                    404, f"The model '{wanted}' does not exist.", code="model_not_found", param="model"
                )
            self.send_json(200, p.model_entry(wanted, ids[wanted].created))
            return
        routes = {
            "/chat/completions": endpoints.chat,
            "/completions": endpoints.completions,
            "/embeddings": endpoints.embeddings,
        }
        if path not in routes:
            raise p.ApiError(404, f"Unknown endpoint {method} {self.path}.", code="not_found")
        if method != "POST":
            raise p.ApiError(405, f"{self.path} takes POST.", code="method_not_allowed")
        body = self._read_json()
        user = body.get("user")
        if isinstance(user, str) and user:
            self.client = f"user:{user}"
        routes[path](body, self)

    def _read_body(self) -> bytes:
        """The whole request body; framing that cannot be trusted closes the connection after the answer."""
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise p.ApiError(411, "Chunked request bodies are not supported; send a Content-Length.")
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        length = length.strip()
        if not (length.isascii() and length.isdigit() and len(length) <= 18):
            self.close_connection = True  # where the body ends is unknown: nothing after it can be trusted
            raise p.ApiError(400, "The Content-Length header is not a number.", code="invalid_content_length")
        size = int(length)
        if size > self.server.config.max_body_bytes:
            self.close_connection = True  # not worth reading: the answer closes the connection instead
            raise p.ApiError(
                413,
                f"The request body is larger than {self.server.config.max_body_bytes} bytes.",
                code="request_too_large",
            )
        try:
            data = self.rfile.read(size)
        except OSError:  # the client stopped sending (or the read timed out)
            data = b""
        if len(data) < size:
            self.close_connection = True
            raise ClientGone()
        return data

    def _read_json(self) -> dict[str, Any]:
        ctype = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        if ctype != "application/json":
            raise p.ApiError(415, "The request body must be JSON (Content-Type: application/json).")
        if self.headers.get("Content-Length") is None:
            raise p.ApiError(411, "A Content-Length header is required.")
        return parse_body(self._body or b"")

    # ---- security ----------------------------------------------------------------------------------
    def _check_origin_and_host(self) -> None:
        config = self.server.config
        if is_loopback(config.host):
            match = _HOST_RE.match(self.headers.get("Host") or "")
            name = match.group(1).strip("[]").lower() if match else ""
            if not is_loopback(name):
                raise p.ApiError(
                    403, "This server only answers requests addressed to localhost.", code="bad_host"
                )
        origin = self.headers.get("Origin")
        if origin is None:
            return
        if "*" in config.cors_origins or origin in config.cors_origins:
            self._cors = {
                "Access-Control-Allow-Origin": "*" if "*" in config.cors_origins else origin,
                "Vary": "Origin",
            }
            return
        raise p.ApiError(
            403,
            f"Requests from the web page {origin} are not allowed (CORS is off for it).",
            code="origin_not_allowed",
        )

    def _preflight(self) -> None:
        # Allow the headers the browser says the page will send (the openai npm client adds x-stainless-*):
        # the origin is already allowed, and a header name grants nothing the API key does not.
        asked = self.headers.get("Access-Control-Request-Headers") or ""
        names = [h.strip() for h in asked.split(",") if _HEADER_NAME_RE.match(h.strip())]
        allowed = ", ".join(dict.fromkeys(["Authorization", "Content-Type", *names]))
        self.send_response(204)
        for name, value in self._cors.items():
            self.send_header(name, value)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", allowed)
        self.send_header("Access-Control-Max-Age", "600")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _check_key(self) -> None:
        key = self.server.config.api_key
        if key is None:
            return
        given = self.headers.get("Authorization") or ""
        token = given[7:].strip() if given[:7].lower() == "bearer " else ""
        if not hmac.compare_digest(token.encode(), key.encode()):
            raise p.ApiError(
                401,
                "Incorrect or missing API key. Send 'Authorization: Bearer <key>' with the key the server was started with.",
                code="invalid_api_key",
            )


class ApiServer:
    """The local OpenAI-compatible server. ``start()`` loads the model and serves on a thread.

    ``engine``: an already loaded chat engine to share (it is not closed by ``stop``); otherwise the
    server starts its own from ``config.model``. Embeddings start their own engine on first use.
    """

    def __init__(self, config: ApiConfig, engine: Engine | None = None) -> None:
        config.check()
        self.config = config
        self.chat_host = ModelHost(config.model, config.queue_limit, engine)
        self.embed_host = ModelHost(config.embedding_config, config.queue_limit)
        if config.embedding_model is None:
            self.embed_host.id = self.chat_host.id  # the same model, loaded for embeddings
        self.endpoints = Endpoints(self.chat_host, self.embed_host, config.default_max_tokens)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def stats(self) -> Stats:
        return self.endpoints.stats

    @property
    def port(self) -> int:
        if self._httpd is None:
            return self.config.port
        return int(self._httpd.server_address[1])

    @property
    def address(self) -> str:
        """Base URL for OpenAI clients, e.g. http://127.0.0.1:8080/v1."""
        host = self.config.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}/v1"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> str:
        """Bind, load the chat model, serve in the background; returns the address."""
        if self.running:
            return self.address
        server_class = (
            type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
            if ":" in self.config.host
            else _Server
        )
        try:
            httpd = server_class((self.config.host, self.config.port), self.config, self.endpoints)
        except OSError as error:
            raise ConfigError(
                f"Cannot listen on {self.config.host}:{self.config.port}: {error.strerror or error}.",
                "Choose another port with --port, or stop the program that uses this one.",
            ) from None
        try:
            self.chat_host.engine()
        except Exception as error:
            httpd.server_close()
            down = getattr(error, "error", None)
            raise (down if isinstance(down, TomoshibiError) else error) from None
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, name="tomoshibi-api", daemon=True)
        self._thread.start()
        log.info("local API serving %s on %s", self.chat_host.id, self.address)
        return self.address

    def stop(self) -> None:
        """Stop accepting, drop open connections (cancelling their generations) and close the engines."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
            with httpd.connections_lock:
                for conn in list(httpd.connections):
                    try:
                        conn.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            deadline = time.monotonic() + 5
            while (self.chat_host.queue.busy or self.embed_host.queue.busy) and time.monotonic() < deadline:
                time.sleep(0.02)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self.chat_host.close()
        self.embed_host.close()

    def __enter__(self) -> ApiServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
