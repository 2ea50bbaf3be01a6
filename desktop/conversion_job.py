"""The conversion wizard's job off the GUI thread: ``converters.pipeline.convert`` from a folder or a hub
repo id (downloaded through ``models.hub_checkpoint`` with progress and cancel), and a bounded stop.

Kept apart from the wizard's pages so the pages can change without touching the work.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from models.errors import TomoshibiError

from .error_text import user_message
from .threads import start_worker, stop_within

log = logging.getLogger(__name__)

# How long closing the wizard waits for a cancelled job: a download stops within a fraction of a second,
# a conversion between two tensors, a quantization or validation child at once (it is terminated).
CLOSE_WAIT_SECONDS = 5.0


class ConvertWorker(QObject):
    progress = Signal(object)  # PipelineProgress (stage "download" first for a hub repo id)
    done = Signal(object)  # ConversionReport
    failed = Signal(str)

    def __init__(self, source: str, out: Path, quant: str, profile: str) -> None:
        super().__init__()
        self.source, self.out, self.quant, self.profile = source, out, quant, profile
        self.cancel = threading.Event()

    def run(self) -> None:
        from converters.pipeline import convert

        try:
            report = convert(
                self.source,
                self.out,
                self.quant,
                profile=self.profile,
                progress=self.progress.emit,
                cancel=self.cancel,
            )
        except TomoshibiError as error:
            self.failed.emit(user_message(error))  # in the UI language (error codes)
            return
        except Exception as error:  # a converter bug still reaches the user as a message
            log.exception("conversion failed")
            self.failed.emit(user_message(error))
            return
        self.done.emit(report)


class ConversionJob:
    """One running conversion: started on its own thread, cancelled, and stopped within a bound."""

    def __init__(self, parent: QObject, worker: ConvertWorker, **slots: object) -> None:
        self.worker = worker
        self.thread: QThread | None = start_worker(parent, worker, **slots)  # type: ignore[arg-type]

    def cancel(self) -> None:
        self.worker.cancel.set()

    def stop(self, seconds: float = CLOSE_WAIT_SECONDS) -> bool:
        """Cancel and wait at most ``seconds``; True when the job has ended."""
        self.cancel()
        return stop_within(self.thread, seconds, self.worker)
