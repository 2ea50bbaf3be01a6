"""The engine as the rest of Tomoshibi sees it: a model running in its own process.

``Engine.start`` checks the file and the memory before anything loads, starts the engine process and
waits until the model is ready. Requests go over a pipe; generation comes back as typed events. If the
process dies (llama.cpp aborted, the OS killed it), the running request ends with ``EngineCrashed``
and everything in this process is intact: start a new engine to go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
import time
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import debug
from .cancel import CancelFlag, CancelToken
from .child_process import error_from_payload, stop_process
from .errors import EngineCrashedError, EngineError, ModelFileError, TomoshibiError
from .events import EngineCrashed, EngineInfo, ErrorEvent, Event, Finished, LoadConfig, SamplingParams, Token

log = logging.getLogger(__name__)

LOAD_TIMEOUT = 300.0
_TERMINAL = (Finished, ErrorEvent, EngineCrashed)


def _error_from_payload(kind: str, problem: str, fix: str) -> TomoshibiError:
    return error_from_payload(kind, problem, fix, EngineError)  # models.child_process: one transport


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = {
            "SIGABRT": "llama.cpp aborted",
            "SIGKILL": "it was killed, often for lack of memory",
            "SIGSEGV": "llama.cpp crashed",
        }.get(name, "it was stopped")
        return f"{hint} ({name})"
    return f"it exited with code {code}"


def check_model(config: LoadConfig, *, in_engine: bool = False) -> LoadConfig:
    """Everything that can be known before loading: the file is a sound GGUF and it fits in memory.

    Returns the config with ``n_gpu_layers`` resolved: -1 ("auto") becomes the number of layers that
    fit in the GPU's free memory, 0 when there is no GPU. On a build with a GPU backend only llama.cpp
    can tell the GPU's free memory: the caller then checks the file alone, and the engine process
    (``in_engine``, see ``preflight_in_engine``) runs the memory check before it loads the model, so
    llama.cpp and the GPU driver never load into the caller (the window) and its crash isolation holds.
    """
    path = Path(config.model_path)
    if not path.exists():
        raise ModelFileError(
            f"The model file {path} does not exist.", "Choose another model, or download it again."
        )
    from .backends import detect_backends
    from .gguf_info import inspect_gguf
    from .memory import available_memory, estimate_gguf, preflight, suggest_n_gpu_layers
    from .memory_budget import gpu_backend_shipped

    info = inspect_gguf(path)  # validates the file first
    if config.rpc_workers:
        from .rpc_split import plan  # other computers: their memory counts, the split follows it

        config = plan(config, info)
        if config.rpc_workers:
            return config
    layers = 0
    # A CPU-only build is known from its files; only a GPU build needs llama.cpp loaded to ask.
    gpu_build = config.backend != "cpu" and gpu_backend_shipped()
    if gpu_build and not in_engine:
        return config
    if gpu_build and detect_backends()["gpu"]:
        budget = available_memory(load_llama_cpp=True)
        all_layers = (info.n_layer or 0) + 1
        layers = (
            config.n_gpu_layers
            if config.n_gpu_layers >= 0
            else suggest_n_gpu_layers(
                info, config.n_ctx, budget.vram_free if budget.vram_free is not None else budget.ram_available
            )
        )
        layers = min(layers, all_layers)
    preflight(estimate_gguf(info, config.n_ctx, n_gpu_layers=layers))
    return replace(config, n_gpu_layers=layers) if config.n_gpu_layers < 0 else config


def preflight_in_engine(config: LoadConfig) -> LoadConfig:
    """In the engine process, before loading: the GPU-aware memory check ``check_model`` left to it."""
    from .memory_budget import gpu_backend_shipped

    if config.backend != "cpu" and gpu_backend_shipped():
        return check_model(config, in_engine=True)
    return config


class Engine:
    """A running engine process. Use ``Engine.start(config)``; close it (or use ``with``) when done."""

    def __init__(self, process: Any, conn: Any, cancel: Any, abort: Any, info: EngineInfo) -> None:
        self._process = process
        self._conn = conn
        self._cancel = cancel
        self._abort = abort
        self.info = info
        self._lock = threading.RLock()
        self._running: CancelToken | None = None  # the token of the request the engine is answering
        self._dead: str | None = None
        self._finalizer = weakref.finalize(self, _shutdown, process, conn)

    # ---- life cycle ----------------------------------------------------------------------------
    @classmethod
    def start(cls, config: LoadConfig, timeout: float = LOAD_TIMEOUT) -> Engine:
        """Check, start and load. Raises ModelFileError, InsufficientMemoryError or EngineError."""
        if config.model_path.startswith("remote://"):  # a model on another computer's server
            from .remote_engine import RemoteEngine

            return RemoteEngine.start(config)  # type: ignore[return-value]  # same interface
        config = check_model(config)
        from .worker import worker_main

        ctx = multiprocessing.get_context("spawn")
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        cancel, abort = CancelFlag(ctx), ctx.Event()
        level = logging.getLogger("models").getEffectiveLevel()
        process = ctx.Process(
            target=worker_main,
            args=(child_conn, cancel, abort, config, level),
            name="tomoshibi-engine",
            daemon=True,
        )
        process.start()
        child_conn.close()
        deadline = time.monotonic() + timeout
        try:
            while not parent_conn.poll(0.05):
                if not process.is_alive() and not parent_conn.poll(0.05):
                    break  # recv below reports the death
                if time.monotonic() > deadline:
                    raise EngineError(
                        f"Loading {Path(config.model_path).name} took longer than {timeout:.0f} s.",
                        "Try again; a large model on a slow disk may need more time.",
                    )
            try:
                message = parent_conn.recv()
            except (EOFError, OSError):
                process.join(2)
                raise EngineCrashedError(
                    f"The engine stopped while loading {Path(config.model_path).name}: "
                    f"{_describe_exit(process.exitcode)}.",
                    "Try a smaller context or model; if it happens again the file may be damaged.",
                ) from None
        except BaseException:
            _shutdown(process, parent_conn)
            raise
        if message[0] == "load_error":
            _shutdown(process, parent_conn)
            raise _error_from_payload(*message[1:])
        return cls(process, parent_conn, cancel, abort, message[1])

    def close(self) -> None:
        """Stop the engine process (politely, then by force)."""
        self._finalizer()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self._dead is None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    # ---- generation ----------------------------------------------------------------------------
    def chat(
        self,
        messages: Sequence[Mapping[str, str]],
        params: SamplingParams | None = None,
        cancel: CancelToken | None = None,
        conversation: str | None = None,
    ) -> Iterator[Event]:
        """Answer a conversation with the model's chat template; streams Token events, then one of
        Finished / ErrorEvent / EngineCrashed. Old turns are left out if the context is too small.

        ``cancel`` stops this request only (see ``models.cancel``). ``conversation`` is an optional
        stable key (the conversation's id): the engine keeps that conversation's KV cache when another
        one is answered, so going back to it does not re-read the whole history.
        """
        payload = [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]
        return self._stream(("chat", payload, params or SamplingParams(), conversation), cancel)

    def generate(
        self,
        prompt: str | Sequence[int],
        params: SamplingParams | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[Event]:
        """Raw completion of ``prompt`` (text, or token ids), with no chat template. Text is read as
        plain text: special-token texts in it (``</s>``, ``<|im_end|>``) stay text."""
        payload = prompt if isinstance(prompt, str) else [int(t) for t in prompt]
        return self._stream(("generate", payload, params or SamplingParams()), cancel)

    def cancel(self) -> None:
        """Stop whichever request is running now (safe from any thread). To stop one caller's own
        request — and never another's — pass a ``CancelToken`` to chat/generate and cancel that."""
        running = self._running
        if running is not None:
            running.cancel()

    def _stream(self, request: tuple[Any, ...], token: CancelToken | None = None) -> Iterator[Event]:
        token = token or CancelToken()
        with self._lock:
            self._ensure_alive()
            if token.cancelled:  # stopped while it waited behind another request: never starts
                yield Finished("cancelled", "", 0, 0, 0.0, 0.0, 0.0)
                return
            self._cancel.clear()  # only the parent writes the flag, and only for the running request
            self._running = token
            token._bind(self._cancel.set)
            partial: list[str] = []
            finished = False
            try:
                self._conn.send(request)
                while True:
                    try:
                        event = self._conn.recv()
                    except (EOFError, OSError):
                        finished = True
                        yield self._crashed("".join(partial))
                        return
                    if isinstance(event, Token):
                        partial.append(event.text)
                    elif isinstance(event, _TERMINAL):
                        finished = True
                    yield event
                    if finished:
                        return
            finally:
                if not finished and self.alive:
                    # The caller stopped listening: stop the model and read until the request ends,
                    # so the next request starts in step.
                    self._cancel.set()
                    try:
                        while not isinstance(self._conn.recv(), _TERMINAL):
                            pass
                    except (EOFError, OSError):
                        self._crashed("".join(partial))
                token._unbind()
                self._running = None

    def _crashed(self, partial: str) -> EngineCrashed:
        self._process.join(2)
        reason = _describe_exit(self._process.exitcode)
        if self.info.rpc_workers:
            from .rpc import lost_workers

            lost = lost_workers(self.info.rpc_workers)
            if lost:  # llama.cpp aborts when a worker stops answering: name the computer
                reason = (
                    f"the other computer at {', '.join(lost)} stopped answering (rpc-worker ended or the "
                    "network dropped); the next load goes on without it"
                )
        self._dead = reason
        return EngineCrashed(
            f"The engine stopped unexpectedly: {reason}. Your conversation is kept; reload the model to go on.",
            self._process.exitcode,
            partial,
        )

    def _ensure_alive(self) -> None:
        if self._dead is None and not self._process.is_alive():
            self._dead = _describe_exit(self._process.exitcode)
        if self._dead is not None:
            raise EngineCrashedError(
                f"The engine is not running ({self._dead}).", "Reload the model to go on."
            )

    # ---- small requests ------------------------------------------------------------------------
    def _call(self, *request: Any) -> Any:
        with self._lock:
            self._ensure_alive()
            self._cancel.clear()  # a stale Stop must not abort an embedding batch
            try:
                self._conn.send(request)
                reply = self._conn.recv()
            except (EOFError, OSError):
                crash = self._crashed("")
                raise EngineCrashedError(crash.message, "Reload the model to go on.") from None
        if reply[0] == "ok":
            return reply[1]
        raise _error_from_payload(*reply[1:])

    def tokenize(self, text: str, add_special: bool = True) -> list[int]:
        return list(self._call("tokenize", text, add_special))

    def detokenize(self, tokens: Sequence[int]) -> str:
        return str(self._call("detokenize", list(tokens)))

    def count_tokens(self, messages: Sequence[Mapping[str, str]]) -> int:
        """Tokens in the rendered chat prompt for ``messages``."""
        return int(self._call("count", [dict(m) for m in messages]))

    def prompt_tokens(self, messages: Sequence[Mapping[str, str]]) -> list[int]:
        """The token ids the model reads for ``messages`` (the template's markers as control tokens,
        the messages' text as plain text)."""
        return list(self._call("prompt", [dict(m) for m in messages]))

    def render(self, messages: Sequence[Mapping[str, str]]) -> str:
        """The prompt text the model sees for ``messages``."""
        return str(self._call("render", [dict(m) for m in messages]))

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Pooled, L2-normalized embeddings (needs ``LoadConfig(embedding=True)``)."""
        return list(self._call("embed", list(texts)))

    def _debug_abort(self) -> None:
        """Test hook (``models.debug``): make the engine process call os.abort(), now or at the next token."""
        debug.require("Engine._debug_abort")
        self._abort.set()
        if not self._lock.acquire(blocking=False):
            return  # generating: the worker checks the abort flag at the next token
        try:
            self._conn.send(("abort",))
        except OSError:
            pass
        finally:
            self._lock.release()


def _shutdown(process: Any, conn: Any) -> None:
    try:
        stop_process(process, ask=lambda: conn.send(("close",)))  # models.child_process's kill ladder
    finally:
        try:
            conn.close()
        except OSError:
            pass
