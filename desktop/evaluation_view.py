"""Stored evaluation runs: a list, the key figures of the chosen run, and its HTML report.

The report is one self-contained HTML file with inline SVG plots, which QTextBrowser cannot draw
well, so it opens in the system browser; the figures a person compares first are shown here in a
table. A new run (``start_run``) works on an ``EvalWorker`` thread: one engine per model, minutes
of work, never on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.errors import TomoshibiError
from models.evaluation.results import EvalRun
from models.evaluation.store import EvalStore
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .threads import start_worker, stop_within

log = logging.getLogger(__name__)

# Closing the window waits this long for a cancelled evaluation (it stops at the next answer).
SHUTDOWN_SECONDS = 30.0


class EvalWorker(QObject):
    """Runs one evaluation and writes its report (on its own thread, ``threads.start_worker``);
    ``cancel()`` stops it at the next answer."""

    progress = Signal(str, float)
    done = Signal(int)  # the run's id
    failed = Signal(str)

    def __init__(
        self,
        models: list[str],
        prompts: str | None,
        preset: str | None,
        max_tokens: int,
        store_path: Path | None,
    ) -> None:
        super().__init__()
        self._args = (models, prompts, preset, max_tokens)
        self._store_path = store_path
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        from models.evaluation import load_prompt_set
        from models.evaluation.report import write_report
        from models.evaluation.runner import run_evaluation
        from models.presets import resolve_preset

        models, prompts, preset, max_tokens = self._args
        try:
            with EvalStore(self._store_path) as store:  # a connection of this thread's own
                result = run_evaluation(
                    models,
                    load_prompt_set(prompts),
                    preset=resolve_preset(preset) if preset else None,
                    max_tokens=max_tokens,
                    store=store,
                    cancel=self._cancel,
                    progress=lambda what, fraction: self.progress.emit(what, fraction),
                )
                assert result.id is not None
                path = write_report(result, None, store.model_changes(result.id))
                store.set_report_path(result.id, path)
            self.done.emit(result.id)
        except TomoshibiError as error:
            self.failed.emit(str(error))
        except Exception as error:  # noqa: BLE001 - a worker must report, not die silently
            log.exception("evaluation failed")
            self.failed.emit(str(error))


class EvaluationView(RetranslateOnLanguageChange, QWidget):
    report_opened = Signal(str)  # path of the HTML file handed to the system browser
    run_finished = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None, store_path: Path | None = None) -> None:
        super().__init__(parent)
        self._store_path = store_path
        self._worker: EvalWorker | None = None
        self._thread: QThread | None = None
        self._changed: dict[int, set[str]] = {}  # run id → model paths whose file changed in that run
        self.runs = QTableWidget(0, 5)
        self.figures = QTableWidget(0, 8)
        for table in (self.runs, self.figures):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.verticalHeader().hide()
        self.runs.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs.itemSelectionChanged.connect(self._show_selected)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: self.open_report())
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self._choose_and_run)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_run)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for widget in (self.open_button, self.run_button, self.cancel_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.runs, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.figures, 3)
        self.retranslate()
        self.refresh()

    # ---- text ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.runs.setHorizontalHeaderLabels(
            [self.tr("Run"), self.tr("Date"), self.tr("Models"), self.tr("Preset"), self.tr("Tomoshibi")]
        )
        self.figures.setHorizontalHeaderLabels(
            [
                self.tr("Model"),
                self.tr("Quantization"),
                self.tr("Tokens/s"),
                self.tr("First token"),
                self.tr("Peak memory"),
                self.tr("Checks"),
                self.tr("Perplexity"),
                self.tr("SHA-256"),
            ]
        )
        self.open_button.setText(self.tr("Open report"))
        self.run_button.setText(self.tr("New evaluation…"))
        self.cancel_button.setText(self.tr("Cancel"))

    # ---- listing -------------------------------------------------------------------------------
    def refresh(self) -> None:
        with EvalStore(self._store_path) as store:
            summaries = store.list_runs()
            self._changed = {}
            for change in store.model_changes():
                self._changed.setdefault(change.new_run, set()).add(change.path)
        self.runs.setRowCount(len(summaries))
        for row, run in enumerate(summaries):
            flag = " ⚠" if run.id in self._changed else ""
            cells = [
                f"{run.id}{flag}",
                time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created)),
                ", ".join(run.models),
                run.preset,
                run.tomoshibi_version,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(256, run.id)  # Qt.UserRole
                if flag:
                    item.setToolTip(self.tr("A model file changed since an earlier run of the same path."))
                self.runs.setItem(row, column, item)
        self.runs.resizeColumnsToContents()
        if summaries and not self.runs.selectedItems():
            self.runs.selectRow(0)
        self.open_button.setEnabled(bool(summaries))
        self._show_selected()  # the rows under a kept selection may now be other runs

    def selected_run(self) -> int | None:
        items = self.runs.selectedItems()
        return int(items[0].data(256)) if items else None

    @Slot()
    def _show_selected(self) -> None:
        run_id = self.selected_run()
        if run_id is None:
            self.figures.setRowCount(0)
            return
        with EvalStore(self._store_path) as store:
            run = store.load_run(run_id)
        self._fill_figures(run)

    def _fill_figures(self, run: EvalRun) -> None:
        changed = self._changed.get(run.id or -1, set())
        self.figures.setRowCount(len(run.models))
        for row, m in enumerate(run.models):
            passed, total = m.checks_passed
            cells = [
                m.name + (" ⚠" if m.path in changed else ""),
                m.quant,
                f"{m.tokens_per_second:.1f}",
                f"{m.time_to_first_token * 1000:.0f} ms",
                format_bytes(m.peak_rss) if m.peak_rss else "—",
                f"{passed}/{total}",
                f"{m.perplexity:.3f}" if m.perplexity is not None else "—",
                m.sha256[:12],
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if m.error:
                    item.setToolTip(m.error)
                elif m.path in changed:
                    item.setToolTip(
                        self.tr("This file changed since an earlier run: figures are not comparable.")
                    )
                self.figures.setItem(row, column, item)
        self.figures.resizeColumnsToContents()

    # ---- report ----------------------------------------------------------------------------------
    def open_report(self, run_id: int | None = None) -> Path | None:
        """Hand the run's HTML report to the system browser, writing it again if it was removed."""
        from models.evaluation.report import write_report

        run_id = run_id if run_id is not None else self.selected_run()
        if run_id is None:
            return None
        with EvalStore(self._store_path) as store:
            run = store.load_run(run_id)
            path = Path(run.report_path) if run.report_path else None
            if path is None or not path.is_file():
                path = write_report(run, None, store.model_changes(run_id))
                store.set_report_path(run_id, path)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        self.report_opened.emit(str(path))
        return path

    # ---- new run -------------------------------------------------------------------------------
    @Slot()
    def _choose_and_run(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Models to compare"), "", self.tr("GGUF models (*.gguf)")
        )
        if files:
            self.start_run(files)

    def start_run(
        self, models: list[str], prompts: str | None = None, preset: str | None = None, max_tokens: int = 256
    ) -> EvalWorker:
        """Evaluate ``models`` on a worker thread (the built-in prompt set unless ``prompts``)."""
        worker = EvalWorker(list(models), prompts, preset, max_tokens, self._store_path)
        self._worker = worker
        self.run_button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setValue(0)
        self.progress.show()
        self._thread = start_worker(
            self, worker, done=self._on_finished, failed=self._on_failed, progress=self._on_progress
        )
        return worker

    def cancel_run(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    @Slot(str, float)
    def _on_progress(self, what: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status.setText(what)

    def _done(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()  # the worker has emitted its last signal: the thread ends at once
            self._thread = None
        self._worker = None
        self.run_button.setEnabled(True)
        self.cancel_button.hide()
        self.progress.hide()

    @Slot(int)
    def _on_finished(self, run_id: int) -> None:
        self._done()
        self.status.setText(self.tr("Run %1 finished.").replace("%1", str(run_id)))
        self.refresh()
        for row in range(self.runs.rowCount()):
            item = self.runs.item(row, 0)
            if item is not None and item.data(256) == run_id:
                self.runs.selectRow(row)
        self._show_selected()
        self.run_finished.emit(run_id)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._done()
        self.status.setText(message)
        self.failed.emit(message)

    def shutdown(self) -> None:
        """Cancel a running evaluation and wait for its thread (call when the window closes)."""
        if self._worker is not None:
            self._worker.cancel()
            stop_within(self._thread, SHUTDOWN_SECONDS, self._worker)
            self._thread = self._worker = None
