"""Search the hub from the model library: GGUF repositories, then a repository's files with their
quantization, size and whether they fit this machine; one click downloads a file."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.downloads import failure_reason
from models.errors import TomoshibiError
from models.fit import Fit, fit_report, hub_file_need
from models.memory_budget import MemoryBudget
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .library_catalog import fit_badge, gib
from .library_downloads import Downloads, reason_text
from .threads import start_worker


class _HubWorker(QObject):
    done = Signal(object)
    failed = Signal(str)  # a failure reason (models.downloads.REASONS)

    def __init__(self, call) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.call = call

    def run(self) -> None:
        try:
            self.done.emit(self.call())
        except TomoshibiError as error:
            self.failed.emit(failure_reason(error))


class SearchView(RetranslateOnLanguageChange, QWidget):
    results_shown = Signal()
    files_shown = Signal()

    def __init__(self, downloads: Downloads, budget: MemoryBudget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.downloads = downloads
        self.budget = budget
        self.files: list = []
        self._threads: list[tuple[QThread, QObject]] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.query = QLineEdit()
        self.query.returnPressed.connect(self.search)
        self.search_button = QPushButton()
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.repos = QListWidget()
        self.repos.currentItemChanged.connect(lambda item, _old: self._open_repo(item))
        split.addWidget(self.repos)
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        split.addWidget(self.table)
        split.setSizes([300, 600])
        layout.addWidget(split, 1)
        self.retranslate()

    def _run(self, call, done) -> None:  # type: ignore[no-untyped-def]
        worker = _HubWorker(call)
        thread = start_worker(self, worker, done=done, failed=self._failed)
        self._threads.append((thread, worker))

    def search(self) -> None:
        text = self.query.text().strip()
        if not text:
            return
        from models.hub_search import search_gguf

        self.status.setText(self.tr("Searching…"))
        self._run(lambda: search_gguf(text), self._show_repos)

    def _show_repos(self, repos: list) -> None:
        self.repos.clear()
        self.table.setRowCount(0)
        for repo in repos:
            item = QListWidgetItem(repo.repo + ("  🔒" if repo.gated else ""))
            item.setData(Qt.ItemDataRole.UserRole, repo.repo)
            item.setToolTip(self.tr("%1 downloads").replace("%1", str(repo.downloads)))
            self.repos.addItem(item)
        self.status.setText(
            self.tr("%1 repositories with GGUF files.").replace("%1", str(len(repos)))
            if repos
            else self.tr("Nothing found. Try a shorter name.")
        )
        self.results_shown.emit()

    def _open_repo(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        from models.hub_search import list_gguf_files

        repo = item.data(Qt.ItemDataRole.UserRole)
        self.status.setText(self.tr("Listing the files of %1…").replace("%1", repo))
        self._run(lambda: list_gguf_files(repo), self._show_files)

    def _show_files(self, files: list) -> None:
        self.files = files
        self.table.setRowCount(len(files))
        for row, f in enumerate(files):
            need = hub_file_need(f.size or 0, f.quantization)
            if need is not None:
                text, colour = fit_badge(fit_report(need, self.budget).fit)
                fit_cell = f"{gib(need)} · {text}"
            else:
                fit_cell, colour = "?", ""
            cells = [f.name, f.quantization or "?", format_bytes(f.size) if f.size else "?", fit_cell]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col == 3 and colour:
                    item.setForeground(
                        Qt.GlobalColor.darkGreen if text == fit_badge(Fit.FITS)[0] else Qt.GlobalColor.darkRed
                    )
                self.table.setItem(row, col, item)
            button = QPushButton(self.tr("Download"))
            button.clicked.connect(lambda _=False, f=f: self.downloads.queue.start_file(f.repo, f.name))
            self.table.setCellWidget(row, 4, button)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.status.setText(self.tr("%1 GGUF files.").replace("%1", str(len(files))))
        self.files_shown.emit()

    def _failed(self, reason: str) -> None:
        self.status.setText(reason_text(reason))
        self.results_shown.emit()

    def retranslate(self) -> None:
        self.query.setPlaceholderText(self.tr("Search GGUF models on the hub (e.g. qwen3, gemma, elyza)"))
        self.search_button.setText(self.tr("Search"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("File"),
                self.tr("Quantization"),
                self.tr("Size"),
                self.tr("Memory on this computer"),
                "",
            ]
        )
