"""The documents panel: collections, their files and indexing progress, and a search over them.

Self-contained: the main window places it and may connect ``search_finished`` or reuse
``SourcesView`` under answers. Indexing and searching run as jobs on a thread pool; the GUI thread
only renders. Dialogs are thin wrappers around ``create_collection`` and ``add_paths`` so tests
(and the main window) can drive the panel without them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.documents import Collection, IndexProgress, IndexReport, SearchResult
from models.documents.collection import list_collections, open_collection, remove_collection
from models.errors import TomoshibiError

from .documents_workers import EmbedderProvider, EmbedderSource, IndexJob, SearchJob, _Job
from .error_text import translate_note, user_message
from .icons import icon
from .sources_view import SourcesView
from .theme import set_role

log = logging.getLogger(__name__)


class DocumentsPanel(QWidget):
    index_finished = Signal(object)  # IndexReport
    index_failed = Signal(str)
    index_cancelled = Signal()
    search_finished = Signal(object)  # SearchResult
    search_failed = Signal(str)
    collection_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, embedders: EmbedderSource | None = None) -> None:
        super().__init__(parent)
        self._provider = EmbedderProvider() if embedders is None else None
        self._embedders: EmbedderSource = embedders or self._provider  # type: ignore[assignment]
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._jobs: set[_Job] = set()
        self._index_job: IndexJob | None = None
        self.show_dialogs = True  # tests and embedding windows may prefer the status line only
        self._build()
        self.refresh_collections()

    # ---- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.collections = QListWidget()
        self.new_button = QPushButton(self.tr("New…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel(self.tr("Collections")))
        left_layout.addWidget(self.collections)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.remove_button)
        left_layout.addLayout(row)

        self.documents = QTreeWidget()
        self.documents.setHeaderLabels([self.tr("File"), self.tr("State")])
        self.documents.setRootIsDecorated(False)
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_files_button = QPushButton(self.tr("Add files…"))
        self.update_button = QPushButton(self.tr("Update index"))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        # A wrapped label gets squeezed to one line by the layout; notes and errors need three.
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() * 3 + 4)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("Search this collection (日本語 or English)…"))
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setIcon(icon("search"))
        self.searching = QProgressBar()  # a busy bar while a search runs
        self.searching.setRange(0, 0)
        self.searching.setMaximumWidth(120)
        self.searching.setTextVisible(False)
        self.searching.setVisible(False)
        self.results = SourcesView(self)
        self.results.title.setText(self.tr("Matching passages"))
        self.results.full.setPlaceholderText(self.tr("Click a result to read the whole passage."))

        right = QWidget()
        right_layout = QVBoxLayout(right)
        buttons = QHBoxLayout()
        for button in (self.add_folder_button, self.add_files_button, self.update_button):
            buttons.addWidget(button)
        # The "install an embedding model" notes point here: the model library's embedding models.
        from .library_host import open_library

        self.library_button = QPushButton(self.tr("Get an embedding model…"))
        self.library_button.clicked.connect(lambda: open_library(self, "embedding"))
        buttons.addWidget(self.library_button)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.documents, 1)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        right_layout.addLayout(progress_row)
        right_layout.addWidget(self.status)
        from .embedding_offer import EmbeddingOffer  # the recommended embedding model, one click away

        self.embedding_offer = EmbeddingOffer()
        self.embedding_offer.set_wanted(True)
        right_layout.addWidget(self.embedding_offer)
        search_row = QHBoxLayout()
        search_row.addWidget(self.query, 1)
        search_row.addWidget(self.searching)
        search_row.addWidget(self.search_button)
        right_layout.addLayout(search_row)
        right_layout.addWidget(self.results, 3)  # results matter more than the file list once there

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([220, 680])  # the collections column needs little room
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.collections.currentTextChanged.connect(self._on_collection_selected)
        self.new_button.clicked.connect(self._ask_new_collection)
        self.remove_button.clicked.connect(self._ask_remove_collection)
        self.add_folder_button.clicked.connect(self._ask_folder)
        self.add_files_button.clicked.connect(self._ask_files)
        self.update_button.clicked.connect(self.start_indexing)
        self.cancel_button.clicked.connect(self.cancel_indexing)
        self.query.returnPressed.connect(self.start_search)
        self.search_button.clicked.connect(self.start_search)
        # In a dialog, Enter would also press the first "auto default" button (New…): only the
        # search box's own Enter may act.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.new_button.setIcon(icon("plus"))
        self.remove_button.setIcon(icon("trash"))
        self.add_folder_button.setIcon(icon("folder"))
        self.add_files_button.setIcon(icon("document"))
        self.update_button.setIcon(icon("refresh"))
        set_role(self.status, "muted")
        self._update_enabled()

    # ---- collections ----------------------------------------------------------------------------
    def current_collection(self) -> Collection | None:
        item = self.collections.currentItem()
        return open_collection(item.text()) if item is not None else None

    def refresh_collections(self, select: str | None = None) -> None:
        current = select or (
            self.collections.currentItem().text() if self.collections.currentItem() else None
        )
        self.collections.blockSignals(True)
        self.collections.clear()
        names = list_collections()
        self.collections.addItems(names)
        self.collections.blockSignals(False)
        if current in names:
            self.collections.setCurrentRow(names.index(current))
        elif names:
            self.collections.setCurrentRow(0)
        else:
            self._on_collection_selected("")

    def create_collection(self, name: str) -> Collection | None:
        try:
            collection = open_collection(name.strip(), create=True)
        except TomoshibiError as error:
            self._show_error(user_message(error))
            return None
        self.refresh_collections(select=collection.name)
        return collection

    def _on_collection_selected(self, name: str) -> None:
        self.results.clear()
        self.refresh_documents()
        self._update_enabled()
        self.collection_changed.emit(name)

    def refresh_documents(self) -> None:
        self.documents.clear()
        collection = self.current_collection()
        if collection is None:
            self.status.setText(self.tr("Create a collection, then add folders or files to it."))
            return
        for document in collection.documents():
            if document.status == "ok":
                state = self.tr("%n passage(s)", "", document.chunks)
            else:
                state = self.tr("Not indexed: {0}").format(document.error or "")
            item = QTreeWidgetItem([Path(document.path).name, state])
            item.setToolTip(0, document.path)
            item.setToolTip(1, document.error or state)
            self.documents.addTopLevelItem(item)
        self.documents.resizeColumnToContents(0)
        if not self.documents.topLevelItemCount():
            self.status.setText(self.tr("Add a folder or files to this collection to search them."))
        elif collection.is_stale():
            self.status.setText(
                self.tr("Some passages are not indexed for search yet: press “Update index”.")
            )
        else:
            self.status.setText(self.tr("%n passage(s) indexed.", "", collection.chunk_count()))

    def _ask_new_collection(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New collection"), self.tr("Name:"))
        if ok and name.strip():
            self.create_collection(name)

    def _ask_remove_collection(self) -> None:
        collection = self.current_collection()
        if collection is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove collection"),
            self.tr("Remove the index of “{0}”? Your files are not touched.").format(collection.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            remove_collection(collection.name)
            self.refresh_collections()

    # ---- adding and indexing --------------------------------------------------------------------
    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder"))
        if folder:
            self.add_paths([Path(folder)])

    def _ask_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add files"), "", self.tr("Documents (*.txt *.md *.markdown *.pdf *.docx)")
        )
        if files:
            self.add_paths([Path(f) for f in files])

    def add_paths(self, paths: Sequence[Path]) -> None:
        """Add folders or files to the current collection and start indexing them."""
        collection = self.current_collection()
        if collection is None:
            self._show_error(self.tr("Create a collection first."))
            return
        try:
            collection.add_sources(list(paths))
        except TomoshibiError as error:
            self._show_error(user_message(error))
            return
        self.start_indexing()

    def start_indexing(self) -> None:
        collection = self.current_collection()
        if collection is None or self._index_job is not None:
            return
        job = IndexJob(collection, self._embedders)
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(lambda report, job=job: self._on_indexed(job, report))
        job.signals.error.connect(lambda message, job=job: self._on_index_error(job, message))
        job.signals.cancelled.connect(lambda job=job: self._on_index_cancelled(job))
        self._index_job = job
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Loading the embedding model…"))
        self._start(job)
        self._update_enabled()

    def cancel_indexing(self) -> None:
        if self._index_job is not None:
            self._index_job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def is_indexing(self) -> bool:
        return self._index_job is not None

    def _on_progress(self, progress: IndexProgress) -> None:
        if self._index_job is None or self._index_job.cancel_event.is_set():
            return
        if progress.total:
            self.progress.setRange(0, progress.total)
            self.progress.setValue(progress.done)
        if progress.phase == "embed":
            # Text is searchable by keyword already; this is the vector side (issue 14), with an ETA.
            if progress.eta_seconds:
                self.status.setText(
                    self.tr("Embedding passages: {0} of {1}, about {2} s left").format(
                        progress.done, progress.total, round(progress.eta_seconds)
                    )
                )
            else:
                self.status.setText(
                    self.tr("Embedding passages: {0} of {1}").format(progress.done, progress.total)
                )
        elif progress.path:
            self.status.setText(
                self.tr("Indexing {0} ({1} of {2})").format(
                    Path(progress.path).name, progress.done + 1, progress.total
                )
            )

    def _index_done(self, job: _Job) -> None:
        self._jobs.discard(job)
        self._index_job = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.refresh_documents()
        self._update_enabled()

    def _on_indexed(self, job: _Job, report: IndexReport) -> None:
        self._index_done(job)
        summary = self.tr("{0} added, {1} updated, {2} removed, {3} unchanged.").format(
            report.added, report.updated, report.removed, report.unchanged
        )
        if report.failed:
            summary += " " + self.tr("%n file(s) could not be read (see the list).", "", len(report.failed))
        self.status.setText(summary)
        self.index_finished.emit(report)

    def _on_index_error(self, job: _Job, message: str) -> None:
        self._index_done(job)
        self._show_error(message)
        self.index_failed.emit(message)

    def _on_index_cancelled(self, job: _Job) -> None:
        self._index_done(job)
        self.status.setText(self.tr("Indexing was cancelled; what was done is kept. “Update index” goes on."))
        self.index_cancelled.emit()

    # ---- search ---------------------------------------------------------------------------------
    def start_search(self) -> None:
        collection = self.current_collection()
        text = self.query.text().strip()
        if collection is None or not text:
            return
        job = SearchJob(collection, text, self._embedders)
        job.signals.finished.connect(lambda result, job=job: self._on_searched(job, result))
        job.signals.error.connect(lambda message, job=job: self._on_search_error(job, message))
        self.search_button.setEnabled(False)
        self.searching.setVisible(True)
        self.results.set_passages([], self.tr("Searching…"))
        self.status.setText(self.tr("Searching…"))
        self._start(job)

    def _on_searched(self, job: _Job, result: SearchResult) -> None:
        self._jobs.discard(job)
        self.search_button.setEnabled(True)
        self.searching.setVisible(False)
        self.results.title.setText(self.tr("Matching passages"))
        collection = self.current_collection()
        # Folders are shown from the collection's own source folders, not as full paths.
        self.results.set_roots(collection.sources() if collection is not None else [])
        self.results.set_passages(result.passages)
        note = " ".join(translate_note(n) for n in result.notes)
        self.status.setText(note if note else self.tr("%n passage(s) found.", "", len(result.passages)))
        self.search_finished.emit(result)

    def _on_search_error(self, job: _Job, message: str) -> None:
        self._jobs.discard(job)
        self.search_button.setEnabled(True)
        self.searching.setVisible(False)
        self.results.title.setText(self.tr("Matching passages"))
        self._show_error(message)
        self.search_failed.emit(message)

    # ---- plumbing -------------------------------------------------------------------------------
    def _start(self, job: _Job) -> None:
        self._jobs.add(job)
        self._pool.start(job)

    def _update_enabled(self) -> None:
        has = self.collections.currentItem() is not None
        busy = self._index_job is not None
        for button in (self.add_folder_button, self.add_files_button, self.update_button):
            button.setEnabled(has and not busy)
        self.remove_button.setEnabled(has and not busy)
        self.search_button.setEnabled(has)
        self.query.setEnabled(has)

    def _show_error(self, message: str) -> None:
        self.status.setText(message)
        if self.show_dialogs:
            QMessageBox.warning(self, self.tr("Documents"), message)

    def shutdown(self) -> None:
        """Cancel running work, wait for it, and stop the embedding engines (call when closing)."""
        for job in list(self._jobs):
            job.cancel()
        self._pool.waitForDone(30000)
        if self._provider is not None:
            self._provider.close()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)
