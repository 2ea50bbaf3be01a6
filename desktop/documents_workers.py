"""Documents work off the GUI thread: indexing and searching as QRunnables with Qt signals.

The engine part (``models.documents``) takes a progress callback and a cancel event; these jobs
only adapt them to signals. Embedders (each an engine process) are started lazily on a worker
thread and shared by model file through ``EmbedderProvider``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Signal

if TYPE_CHECKING:  # models.documents brings numpy: imported when documents are first used, not at start-up
    from models.documents import Collection, Embedder
from models.errors import Cancelled, TomoshibiError

from .error_text import user_message

log = logging.getLogger(__name__)


class EmbedderProvider:
    """Opens one embedder per model file on first use and closes them all at the end.

    ``installed_only``: give None (keywords only) rather than the chat model's embeddings when no
    embedding model is installed, for a chat's own documents: the chat searches them by keywords then,
    and embedding with the chat model runs at ~1 chunk a second (bench/bench_documents.py)."""

    def __init__(
        self, opener: Callable[[Path | None], Embedder] | None = None, installed_only: bool = False
    ) -> None:
        self._opener = opener
        self._installed_only = installed_only
        self._open: dict[str, Embedder] = {}
        self._lock = threading.Lock()

    def __call__(self, collection: Collection) -> Embedder | None:
        stored = collection.embedding_model_path
        path = stored if stored is not None and stored.exists() else None
        if self._installed_only and not _embedding_model_for(path):
            return None
        key = str(path)
        with self._lock:
            embedder = self._open.get(key)
            if embedder is None:
                if self._opener is not None:
                    embedder = self._opener(path)
                else:
                    from models.documents import open_embedder

                    embedder = open_embedder(path)
                self._open[key] = embedder
            return embedder

    def close(self) -> None:
        with self._lock:
            for embedder in self._open.values():
                close = getattr(embedder, "close", None)
                if close is not None:
                    close()
            self._open.clear()


def _embedding_model_for(path: Path | None) -> bool:
    """True when ``path`` is an embedding model, or (no path) when one is installed."""
    from models.documents.embedder import find_embedding_models, is_embedding_model
    from models.errors import TomoshibiError

    try:
        return is_embedding_model(path) if path is not None else bool(find_embedding_models())
    except TomoshibiError:
        return False


EmbedderSource = Callable[["Collection"], "Embedder | None"]


class JobSignals(QObject):
    progress = Signal(object)  # models.documents.IndexProgress
    finished = Signal(object)  # IndexReport or SearchResult
    error = Signal(str)  # str(TomoshibiError): the problem and the fix
    cancelled = Signal()


class _Job(QRunnable):
    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the panel holds the job until its signals have been delivered
        self.signals = JobSignals()
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self.work()
        except Cancelled:
            self.signals.cancelled.emit()
        except TomoshibiError as error:
            self.signals.error.emit(user_message(error))
        except Exception as error:  # a bug must still reach the user as a message, not a traceback
            log.exception("documents job failed")
            self.signals.error.emit(f"Something went wrong: {error}")
        else:
            self.signals.finished.emit(result)

    def work(self) -> Any:
        raise NotImplementedError


class IndexJob(_Job):
    def __init__(self, collection: Collection, embedders: EmbedderSource) -> None:
        super().__init__()
        self.collection = collection
        self.embedders = embedders

    def work(self) -> Any:
        embedder = self.embedders(self.collection)
        from models.documents import index_collection

        return index_collection(
            self.collection, embedder, progress=self.signals.progress.emit, cancel=self.cancel_event
        )


class SearchJob(_Job):
    def __init__(self, collection: Collection, query: str, embedders: EmbedderSource, k: int = 8) -> None:
        super().__init__()
        self.collection = collection
        self.query = query
        self.embedders = embedders
        self.k = k

    def work(self) -> Any:
        return self.collection.search(self.query, self.embedders(self.collection), k=self.k)
