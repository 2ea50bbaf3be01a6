"""start_worker: the worker runs off the GUI thread, its result reaches the slots, the thread stops."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from desktop.threads import start_worker


class _Worker(QObject):
    progress = Signal(float)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, fail: bool) -> None:
        super().__init__()
        self.fail = fail
        self.ran_on: threading.Thread | None = None

    def run(self) -> None:
        self.ran_on = threading.current_thread()
        self.progress.emit(0.5)
        if self.fail:
            self.failed.emit("it broke")
        else:
            self.done.emit(42)


def _start(qtbot, fail: bool):  # type: ignore[no-untyped-def]
    parent = QWidget()
    qtbot.addWidget(parent)
    worker = _Worker(fail)
    seen: list[object] = []
    thread = start_worker(
        parent,
        worker,
        done=lambda value: seen.append(("done", value)),
        failed=lambda message: seen.append(("failed", message)),
        progress=lambda fraction: seen.append(("progress", fraction)),
        finished=lambda: seen.append("finished"),
    )
    qtbot.waitUntil(lambda: "finished" in seen, timeout=10000)
    assert thread.parent() is parent and thread.wait(5000)
    assert worker.ran_on is not threading.main_thread()
    return seen


def test_done_then_the_thread_stops(qtbot):
    assert _start(qtbot, fail=False) == [("progress", 0.5), ("done", 42), "finished"]


def test_failed_then_the_thread_stops(qtbot):
    assert _start(qtbot, fail=True) == [("progress", 0.5), ("failed", "it broke"), "finished"]
