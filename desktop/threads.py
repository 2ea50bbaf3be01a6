"""Work off the GUI thread, in one place: the wiring every job in the window shares.

- ``start_worker``: a long, cancellable job. A worker is a QObject with a ``run()`` slot and ``done`` /
  ``failed`` signals (and optionally ``progress``) on its own QThread, which stops itself when either
  of the two ends the job; ``stop_within`` waits for it a bounded time when a window closes.
- ``run_call``: a short call on a daemon thread (never holds the window open at exit), its result
  delivered on the GUI thread.

Resident workers that serve many requests (the engine, voice input) own their QThread for the window's
life; document jobs use a QThreadPool so searches can overlap.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QThread,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)

log = logging.getLogger(__name__)


class Worker(Protocol):
    done: SignalInstance
    failed: SignalInstance

    def run(self) -> None: ...

    def moveToThread(self, thread: QThread) -> bool: ...  # noqa: N802 - Qt's name


def start_worker(
    parent: QObject,
    worker: Worker,
    *,
    done: Callable[..., Any],
    failed: Callable[[str], Any],
    progress: Callable[..., Any] | None = None,
    finished: Callable[[], Any] | None = None,
) -> QThread:
    """Move ``worker`` to a new thread owned by ``parent``, connect its signals and start it.

    ``done`` and ``failed`` run on the GUI thread before the thread quits; ``finished`` runs once the
    thread has stopped. The caller keeps the returned thread and the worker referenced until then
    (a worker with no Qt parent is otherwise collected while it runs).
    """
    thread = QThread(parent)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    if progress is not None:
        worker.progress.connect(progress)  # type: ignore[attr-defined]
    worker.done.connect(done)
    worker.failed.connect(failed)
    worker.done.connect(thread.quit)
    worker.failed.connect(thread.quit)
    if finished is not None:
        thread.finished.connect(finished)
    thread.start()
    return thread


# Threads a window let go of while they were still finishing a cancel: kept referenced (with their
# worker) until they stop, since a QThread destroyed while running aborts the process.
_detached: dict[QThread, object] = {}


def stop_within(thread: QThread | None, seconds: float, worker: object = None) -> bool:
    """Wait at most ``seconds`` for ``thread`` (already told to stop) to finish; True when it did.

    Queued signals keep flowing meanwhile (the worker's ``done``/``failed`` quit the thread through
    the GUI thread's event loop, so a plain ``QThread.wait()`` here could wait forever). A thread still
    running after that is detached from its parent and kept alive until it ends, so closing a window
    never freezes it and never destroys a running thread.
    """
    if thread is None or not thread.isRunning():
        return True
    deadline = time.monotonic() + seconds
    while thread.isRunning() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        thread.wait(20)
    if not thread.isRunning():
        return True
    thread.setParent(None)
    _detached[thread] = worker
    _reap_later()
    return False


_reaper: QTimer | None = None


def _reap_later() -> None:
    """Let go of detached threads once they have *fully* stopped, checked from the GUI thread.

    Dropping the last reference from the thread's own ``finished`` signal (emitted on that thread,
    before it has quite ended) destroyed a QThread that was still running, now and then: Qt aborts
    the whole process then (seen once in a full test run)."""
    global _reaper
    if _reaper is None:
        _reaper = QTimer()
        _reaper.setInterval(200)
        _reaper.timeout.connect(_reap)
    if not _reaper.isActive():
        _reaper.start()


def _reap() -> None:
    for thread in [t for t in _detached if t.isFinished()]:
        _detached.pop(thread, None)
    if not _detached and _reaper is not None:
        _reaper.stop()


# --- a plain call off the GUI thread -----------------------------------------------------------------


class _CallRelay(QObject):
    """Lives on the GUI thread; its signals, emitted from the call's thread, are queued to its own slots,
    which run the callbacks there."""

    _done = Signal(object)
    _failed = Signal(str)

    def __init__(self, done: Callable[[Any], Any], failed: Callable[[str], Any] | None) -> None:
        super().__init__()
        self._on_done, self._on_failed = done, failed
        self._done.connect(self._deliver_done)
        self._failed.connect(self._deliver_failed)

    @Slot(object)
    def _deliver_done(self, value: object) -> None:
        _calls.discard(self)
        self._on_done(value)

    @Slot(str)
    def _deliver_failed(self, message: str) -> None:
        _calls.discard(self)
        if self._on_failed is not None:
            self._on_failed(message)


_calls: set[_CallRelay] = set()  # relays kept alive until their result is delivered


def run_call(
    fn: Callable[[], Any],
    *,
    done: Callable[[Any], Any],
    failed: Callable[[str], Any] | None = None,
    name: str = "tomoshibi-call",
) -> None:
    """Run ``fn()`` on a daemon thread and hand its result to ``done`` on the GUI thread; a failure goes to
    ``failed`` as a message (a TomoshibiError's problem and fix; anything else logged, then its text).

    For short calls that must never hold the window open at exit (imports, starting or stopping a
    server); long cancellable jobs are QObject workers with ``start_worker``.
    """
    from models.errors import TomoshibiError

    relay = _CallRelay(done, failed)
    _calls.add(relay)

    def target() -> None:
        try:
            value = fn()
        except TomoshibiError as error:
            relay._failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - shown to the user instead of a silent failure
            log.exception("%s failed", name)
            relay._failed.emit(f"{type(error).__name__}: {error}")
        else:
            relay._done.emit(value)

    threading.Thread(target=target, name=name, daemon=True).start()
