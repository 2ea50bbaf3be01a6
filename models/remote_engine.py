"""A model on another computer's OpenAI-compatible server, behind the same interface as ``Engine``.

Chat turns stream the same typed events (Token …, then Finished / ErrorEvent), ``cancel`` stops the
answer at once (it closes the connection), and conversations, documents and presets work unchanged
because they build their messages in ``models/`` and only call ``chat``. A server that is down or
goes away mid-answer ends that answer with an ErrorEvent naming the server; the engine object stays
usable, so the next message tries again.

A remote model is named by a path ``remote://<base url>/<model id>`` (both percent-encoded), so the
model picker, settings and ``LoadConfig.model_path`` carry it like a file path.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from .cancel import CancelToken
from .errors import ConfigError, EngineError
from .events import EngineInfo, ErrorEvent, Event, Finished, LoadConfig, SamplingParams, Token

SCHEME = "remote://"
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 300.0  # a big model on a busy server may think this long before its first token


def remote_path(base_url: str, model_id: str) -> str:
    return f"{SCHEME}{quote(base_url, safe='')}/{quote(model_id, safe='')}"


def is_remote(path: str) -> bool:
    return str(path).startswith(SCHEME)


def parse_remote_path(path: str) -> tuple[str, str]:
    """(base url, model id) of a ``remote://`` path."""
    rest = str(path)[len(SCHEME) :]
    base, sep, model = rest.partition("/")
    if not is_remote(path) or not sep or not base or not model:
        raise ConfigError(f"'{path}' is not a remote model.", "Choose the model again in the model menu.")
    return unquote(base), unquote(model)


@dataclass(frozen=True)
class RemoteModel:
    server: str  # the server's name in Settings › Other computers
    base_url: str
    model_id: str

    @property
    def path(self) -> str:
        return remote_path(self.base_url, self.model_id)

    @property
    def label(self) -> str:
        return f"{self.model_id} — {self.server}"


class _Http:
    """One request at a time to one server (stdlib http.client; the socket can be shut from any thread)."""

    def __init__(self, base_url: str, key: str | None) -> None:
        parts = urlsplit(base_url)
        self.base_url, self.prefix = base_url, parts.path.rstrip("/")
        self.host, self.https = parts.netloc, parts.scheme == "https"
        self.key = key
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None, timeout: float = READ_TIMEOUT) -> Any:
        cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        self.conn = cls(self.host, timeout=CONNECT_TIMEOUT)
        headers = {"Accept": "application/json, text/event-stream"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        try:
            self.conn.request(
                method, self.prefix + path, json.dumps(body) if body is not None else None, headers
            )
            if self.conn.sock is not None:
                self.conn.sock.settimeout(timeout)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise EngineError(
                f"The server at {self.base_url} does not answer ({_reason(error)}).",
                "Check that it is running and reachable from this computer (tomoshibi serve, llama-server, "
                "Ollama …); your conversation is kept.",
            ) from None
        if response.status >= 400:
            detail = _error_detail(response.read(4096))
            self.close()
            raise _http_error(self.base_url, response.status, detail)
        return response

    def get_json(self, path: str, timeout: float = CONNECT_TIMEOUT) -> Any:
        response = self.request("GET", path, timeout=timeout)
        try:
            return json.loads(response.read())
        except ValueError:
            raise EngineError(
                f"{self.base_url}{path} did not answer with JSON.", "Check the address: it should end in /v1."
            ) from None
        finally:
            self.close()

    def abort(self) -> None:
        """Unblock a read in progress (from another thread)."""
        conn = self.conn
        if conn is not None and conn.sock is not None:
            try:
                conn.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _reason(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, socket.gaierror):
        return "unknown host"
    return str(error) or type(error).__name__


def _error_detail(raw: bytes) -> str:
    try:
        data = json.loads(raw)
        error = data.get("error", data) if isinstance(data, dict) else data
        message = error.get("message") if isinstance(error, dict) else error
        return str(message)[:300]
    except ValueError:
        return raw.decode("utf-8", "replace").strip()[:300]


def _http_error(base_url: str, status: int, detail: str) -> EngineError:
    if status in (401, 403):
        return EngineError(
            f"The server at {base_url} refused the key (HTTP {status}).",
            "Enter the server's API key under Settings › Other computers.",
        )
    if status == 404:
        return EngineError(
            f"The server at {base_url} has no such model or endpoint (HTTP 404: {detail}).",
            "Choose one of the models it lists, and check that the address ends in /v1.",
        )
    return EngineError(f"The server at {base_url} answered HTTP {status}: {detail}", "Try again later.")


def list_models(base_url: str, key: str | None = None, timeout: float = 5.0) -> list[str]:
    """The model ids the server lists at /models."""
    data = _Http(base_url, key).get_json("/models", timeout=timeout)
    items = data.get("data", []) if isinstance(data, dict) else []
    return [str(m["id"]) for m in items if isinstance(m, dict) and m.get("id")]


class RemoteEngine:
    """Chat with one model on one server. ``RemoteEngine.start(config)`` with a ``remote://`` path."""

    def __init__(self, base_url: str, model_id: str, key: str | None, info: EngineInfo) -> None:
        self.base_url, self.model_id, self.info = base_url, model_id, info
        self._key = key
        self._lock = threading.RLock()
        self._cancel = threading.Event()
        self._http: _Http | None = None
        self._closed = False

    @classmethod
    def start(cls, config: LoadConfig, timeout: float = CONNECT_TIMEOUT) -> RemoteEngine:
        """Check that the server answers and has the model. Raises EngineError naming the server."""
        from .other_computers import get_key

        base_url, model_id = parse_remote_path(config.model_path)
        key = str(config.extra.get("api_key") or "") or get_key(base_url)
        started = time.perf_counter()
        models = list_models(base_url, key, timeout)
        if models and model_id not in models:
            raise EngineError(
                f"The server at {base_url} no longer has the model '{model_id}' (it has: {', '.join(models[:5])}).",
                "Choose one of its models in the model menu.",
            )
        info = EngineInfo(
            model_path=config.model_path, architecture="remote", backend="remote", n_gpu_layers=0,
            n_ctx=config.n_ctx, n_threads=0, n_vocab=0, chat_template=None, bos_token="", eos_token="",
            load_seconds=time.perf_counter() - started, memory_bytes=0, tokenizer="remote",
        )  # fmt: skip
        return cls(base_url, model_id, key, info)

    # ---- the Engine interface --------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        return not self._closed

    @property
    def pid(self) -> int | None:
        return None

    def close(self) -> None:
        self._closed = True
        self.cancel()

    def __enter__(self) -> RemoteEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Stop the answer now: the connection is closed under the reader (safe from any thread)."""
        self._cancel.set()
        http = self._http
        if http is not None:
            http.abort()

    def chat(
        self,
        messages: Sequence[Mapping[str, str]],
        params: SamplingParams | None = None,
        cancel: CancelToken | None = None,
        conversation: str | None = None,  # the server keeps its own caches: nothing to pass on
    ) -> Iterator[Event]:
        payload = [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]
        return self._stream(
            "/chat/completions", {"messages": payload}, params or SamplingParams(), True, cancel
        )

    def generate(
        self,
        prompt: str | Sequence[int],
        params: SamplingParams | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[Event]:
        if not isinstance(prompt, str):
            raise ConfigError("A remote model takes text prompts, not token ids.", "Send the prompt as text.")
        return self._stream("/completions", {"prompt": prompt}, params or SamplingParams(), False, cancel)

    def count_tokens(self, messages: Sequence[Mapping[str, str]]) -> int:
        """An estimate (the server's tokenizer is not reachable through the OpenAI API): about three
        characters per token plus a few per message, on the high side so budgets stay safe."""
        return sum(len(str(m.get("content", ""))) // 3 + 8 for m in messages)

    def tokenize(self, text: str, add_special: bool = True) -> list[int]:
        raise EngineError("A remote model's tokenizer cannot be reached.", "Use a local model for this.")

    def detokenize(self, tokens: Sequence[int]) -> str:
        raise EngineError("A remote model's tokenizer cannot be reached.", "Use a local model for this.")

    def render(self, messages: Sequence[Mapping[str, str]]) -> str:
        raise EngineError(
            "A remote model's chat template is not visible here.", "Use a local model for this."
        )

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        http = _Http(self.base_url, self._key)
        response = http.request("POST", "/embeddings", {"model": self.model_id, "input": list(texts)})
        try:
            data = json.loads(response.read())
        finally:
            http.close()
        return [
            list(map(float, d["embedding"])) for d in sorted(data["data"], key=lambda d: d.get("index", 0))
        ]

    def _debug_abort(self) -> None:
        """The local engine's test hook; a remote server is not ours to crash."""

    # ---- streaming ---------------------------------------------------------------------------------
    def _body(self, body: dict[str, Any], params: SamplingParams) -> dict[str, Any]:
        body = {**body, "model": self.model_id, "stream": True, "temperature": params.temperature,
                "top_p": params.top_p, "max_tokens": params.max_tokens, "stream_options": {"include_usage": True}}  # fmt: skip
        if params.seed is not None:
            body["seed"] = params.seed
        if params.stop:
            body["stop"] = list(params.stop)
        return body

    def _stream(
        self, path: str, body: dict[str, Any], params: SamplingParams, chat: bool, token: CancelToken | None
    ) -> Iterator[Event]:
        token = token or CancelToken()
        with self._lock:
            if self._closed:
                yield ErrorEvent("This remote model was unloaded.\n→ Choose it again in the model menu.")
                return
            self._cancel.clear()
            token._bind(self.cancel)  # this caller's Stop closes this request's connection
            try:
                yield from self._request(path, body, params, chat)
            finally:
                token._unbind()

    def _request(
        self, path: str, body: dict[str, Any], params: SamplingParams, chat: bool
    ) -> Iterator[Event]:
        started = time.perf_counter()
        first_at: float | None = None
        parts: list[str] = []
        reason, usage = "stop", {}
        http = self._http = _Http(self.base_url, self._key)
        try:
            try:
                response = http.request("POST", path, self._body(body, params))
            except EngineError as error:
                if self._cancel.is_set():
                    reason = "cancelled"
                else:
                    yield ErrorEvent(str(error))
                    return
            else:
                for chunk in _sse(response, self._cancel):
                    if chunk.get("usage"):
                        usage = chunk["usage"]
                    for choice in chunk.get("choices") or []:
                        piece = (choice.get("delta") or {}).get("content") if chat else choice.get("text")
                        if piece:
                            first_at = first_at or time.perf_counter()
                            parts.append(piece)
                            yield Token(piece)
                        if choice.get("finish_reason"):
                            reason = "length" if choice["finish_reason"] == "length" else "stop"
                if self._cancel.is_set():
                    reason = "cancelled"
        except _Lost as lost:
            if self._cancel.is_set():
                reason = "cancelled"
            else:
                yield ErrorEvent(
                    f"The server at {self.base_url} stopped answering mid-answer ({lost}).\n"
                    "→ Your conversation is kept; check the server and send again."
                )
                return
        finally:
            self._http = None
            http.close()
        ended = time.perf_counter()
        count = int(usage.get("completion_tokens") or len(parts))
        decode = ended - (first_at or ended)
        yield Finished(
            reason=reason, text="".join(parts), prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=count, tokens_per_second=(count - 1) / decode if count > 1 and decode > 0 else 0.0,
            time_to_first_token=(first_at or ended) - started, seconds=ended - started,
        )  # fmt: skip


class _Lost(Exception):
    """The connection broke before the server said [DONE]."""


def _sse(response: Any, cancel: threading.Event) -> Iterator[dict[str, Any]]:
    """The JSON objects of a server-sent-events stream, until ``data: [DONE]``."""
    done = False
    while not cancel.is_set():
        try:
            line = response.readline()
        except (OSError, http.client.HTTPException, ValueError) as error:
            if cancel.is_set():
                return
            raise _Lost(_reason(error)) from None
        if not line:
            break
        text = line.decode("utf-8", "replace").strip()
        if not text.startswith("data:"):
            continue
        data = text[5:].strip()
        if data == "[DONE]":
            done = True
            break
        try:
            chunk = json.loads(data)
        except ValueError:
            continue
        if isinstance(chunk, dict) and "error" in chunk:
            raise _Lost(_error_detail(data.encode()))
        if isinstance(chunk, dict):
            yield chunk
    if not done and not cancel.is_set():
        raise _Lost("the connection closed")
