"""One-shot workers on their own QThread: the wiring every long job in the window shares.

A worker is a QObject with a ``run()`` slot and ``done`` / ``failed`` signals (and optionally
``progress``); the thread stops itself when either of the two ends the job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThread, SignalInstance


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
