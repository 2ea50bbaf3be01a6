"""The engine on its own QThread: the GUI thread sends requests as queued signals and never waits.

``EngineWorker`` owns the ``models.engine.Engine`` (itself a child process running llama.cpp) and turns
its typed events into Qt signals. ``EngineHost`` creates the thread and is what the window talks to.
A chat turn is built on this thread too (``models.turn``): retrieving document passages and counting
their tokens take time the window must not wait for.
"""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from models.errors import TomoshibiError
from models.events import EngineCrashed, ErrorEvent, Finished, LoadConfig, SamplingParams, Token

from .error_text import user_message
from .turn_request import TurnRequest

log = logging.getLogger(__name__)


class EngineWorker(QObject):
    loading = Signal(str)  # model path
    loaded = Signal(object)  # EngineInfo
    load_failed = Signal(str)  # str(TomoshibiError)
    unloaded = Signal()
    token = Signal(str)
    finished = Signal(object)  # Finished
    error = Signal(str)  # the request failed, the engine lives
    crashed = Signal(str)  # the engine process died
    turn_ready = Signal(int, object)  # request id, models.turn.Turn (before its first token)

    def __init__(self) -> None:
        super().__init__()
        self._engine: Any = None
        self._lock = threading.Lock()  # guards _engine between the worker thread and cancel()
        self._request: Any = None  # the CancelToken of the newest chat request (models.cancel)
        self._cancelled: set[int] = set()  # turn requests stopped before they reached the engine
        # The attached collections' embedding models (models.documents.answer.CollectionEmbedders),
        # each opened once (its own process); created with the first documents turn.
        self._embedders: Any = None

    @Slot(object)
    def load(self, config: LoadConfig) -> None:
        self._close_engine()
        self.loading.emit(config.model_path)
        try:
            from models.engine import Engine  # lazy: keeps the window's start-up fast

            # Engine.start runs the memory pre-flight and refuses a model that does not fit.
            engine = Engine.start(config)
        except TomoshibiError as error:
            self.load_failed.emit(user_message(error))
            return
        except Exception as error:  # an unexpected bug still must not reach the user as a traceback
            log.exception("loading %s failed", config.model_path)
            self.load_failed.emit(f"The model could not be loaded: {error}")
            return
        _lower_priority(getattr(engine, "pid", None))
        with self._lock:
            self._engine = engine
        self.loaded.emit(engine.info)

    @Slot()
    def unload(self) -> None:
        self._close_engine()
        self.unloaded.emit()

    def new_request(self) -> Any:
        """A cancel token for the next chat request; Stop cancels this request only, never another
        caller's (the local API server shares the engine)."""
        from models.cancel import CancelToken

        with self._lock:
            self._request = CancelToken()
            return self._request

    @Slot(object)
    def turn(self, request: TurnRequest) -> None:
        """Retrieve passages, build the turn (``models.turn``), announce it, then stream the answer."""
        engine = self._engine
        if engine is None:
            self.error.emit("No model is loaded.\n→ Load a model in the model panel, then send again.")
            return
        token = self.new_request()  # from now on Stop (cancel_request → cancel) reaches this turn
        try:
            if request.collections and self._embedders is None:
                from models.documents.answer import CollectionEmbedders

                self._embedders = CollectionEmbedders(n_threads=1)
            built = request.build(engine, self._embedders)
        except TomoshibiError as error:
            self.error.emit(str(error))
            return
        except Exception as error:
            log.exception("building the turn failed")
            self.error.emit(f"The request failed: {error}")
            return
        self.turn_ready.emit(request.request_id, built)
        with self._lock:
            stopped = request.request_id in self._cancelled
            self._cancelled.discard(request.request_id)
        if stopped:
            self.finished.emit(Finished("cancelled", "", 0, 0, 0.0, 0.0, 0.0))
            return
        # The conversation's id (when the request carries one) lets the engine keep its KV cache.
        self.chat(built.messages, built.params, token, getattr(request, "conversation_id", None))

    def cancel_request(self, request_id: int) -> None:
        """Thread-safe: stop request ``request_id``, whether it is still being built or already streams."""
        with self._lock:
            self._cancelled.add(request_id)
        self.cancel()

    def close_embedders(self) -> None:
        if self._embedders is not None:
            self._embedders.close()

    @Slot(object, object, object, object)
    def chat(
        self,
        messages: list[dict[str, str]],
        params: SamplingParams,
        token: Any = None,
        conversation: Any = None,
    ) -> None:
        engine = self._engine
        if engine is None:
            self.error.emit("No model is loaded.\n→ Load a model in the model panel, then send again.")
            return
        token = token or self.new_request()
        try:
            for event in engine.chat(messages, params, cancel=token, conversation=conversation):
                if isinstance(event, Token):
                    self.token.emit(event.text)
                elif isinstance(event, Finished):
                    self.finished.emit(event)
                elif isinstance(event, ErrorEvent):
                    self.error.emit(event.message)
                elif isinstance(event, EngineCrashed):
                    self._forget_engine()
                    self.crashed.emit(event.message)
        except TomoshibiError as error:
            if not getattr(engine, "alive", True):
                self._forget_engine()
                self.crashed.emit(user_message(error))
            else:
                self.error.emit(user_message(error))
        except Exception as error:
            log.exception("chat request failed")
            self.error.emit(f"The request failed: {error}")

    def cancel(self) -> None:
        """Thread-safe: called from the GUI thread while chat() runs (or waits) on the worker thread.
        Stops this window's request only; an API client's answer running meanwhile goes on."""
        with self._lock:
            request = self._request
        if request is not None:
            request.cancel()

    def debug_abort(self) -> None:
        """Test-only: make the engine process call os.abort() (a real crash)."""
        with self._lock:
            engine = self._engine
        if engine is not None:
            engine._debug_abort()

    @property
    def has_engine(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Any:
        """The loaded Engine (None when none is), for the local API server to share."""
        with self._lock:
            return self._engine

    def _forget_engine(self) -> None:
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            try:
                engine.close()
            except Exception:
                log.debug("closing a dead engine", exc_info=True)

    @Slot()
    def _close_engine(self) -> None:
        self._forget_engine()


def _lower_priority(pid: int | None) -> None:
    """llama.cpp keeps every core busy while it generates; a lower priority for the engine process
    lets the window's thread run the moment it has work, so the UI never stutters."""
    if not pid:
        return
    try:
        import psutil

        process = psutil.Process(pid)
        if sys.platform == "win32":
            process.nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            process.nice(max(process.nice(), 5))
    except Exception:  # not allowed or already gone: generation works the same, only less politely
        log.debug("could not lower the engine's priority", exc_info=True)


class EngineHost(QObject):
    """Owns the worker thread. Requests are queued to the worker; results come back as its signals."""

    _load = Signal(object)
    _unload = Signal()
    _chat = Signal(object, object, object, object)
    _turn = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.thread = QThread()
        self.thread.setObjectName("tomoshibi-engine")
        self.worker = EngineWorker()
        self.worker.moveToThread(self.thread)
        self._load.connect(self.worker.load)
        self._unload.connect(self.worker.unload)
        self._chat.connect(self.worker.chat)
        self._turn.connect(self.worker.turn)
        self.thread.start()

    def load(self, config: LoadConfig) -> None:
        self._load.emit(config)

    def unload(self) -> None:
        self._unload.emit()

    def chat(
        self, messages: list[dict[str, str]], params: SamplingParams, conversation: str | None = None
    ) -> None:
        """``conversation``: the conversation's id, so the engine keeps its KV cache for a quick return."""
        # The token is made here, on the GUI thread, so a Stop pressed before the worker thread picks
        # the request up still cancels it.
        self._chat.emit(messages, params, self.worker.new_request(), conversation)

    def turn(self, request: TurnRequest) -> None:
        self._turn.emit(request)

    def cancel(self) -> None:
        self.worker.cancel()

    def cancel_request(self, request_id: int) -> None:
        self.worker.cancel_request(request_id)

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Stop any generation, close the engine process, end the thread."""
        self.worker.cancel()
        self.thread.quit()  # the running request (now cancelled) ends, then the thread's loop
        if not self.thread.wait(timeout_ms):
            log.warning("the engine thread did not stop in time")
        self.worker._forget_engine()  # the thread has ended: closing from here races with nothing
        self.worker.close_embedders()
