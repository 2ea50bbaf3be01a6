"""Documents in the chat: the paperclip in the input bar and files dropped on the conversation.

The paperclip's menu attaches existing collections (from the Documents window) to the conversation
on screen, or adds files and folders. Files dropped on the chat (or added here) go into the
conversation's own collection, ``chat-<id>``, indexed in the background; each file is searchable as
soon as it is written, so the chat can answer from the first files while the rest index.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

if TYPE_CHECKING:  # models.documents brings numpy: imported when documents are first used, not at start-up
    from models.documents import IndexProgress, IndexReport
from models.errors import TomoshibiError

from .chat_controller import ChatController
from .documents_workers import EmbedderProvider, IndexJob
from .i18n import RetranslateOnLanguageChange
from .icons import icon

log = logging.getLogger(__name__)


def chat_collection_name(conversation_id: int) -> str:
    return f"chat-{conversation_id}"


class ChatDocuments(RetranslateOnLanguageChange, QWidget):
    """``button`` goes in the input bar; this widget (above the input) says what is attached and
    how indexing goes."""

    def __init__(self, controller: ChatController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.button = QToolButton()
        self.button.setIcon(icon("attach"))
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self._fill_menu)
        self.button.setMenu(self.menu)
        self.status = QLabel()
        self.status.setObjectName("documents_status")
        self.status.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 0, 12, 2)
        layout.addWidget(self.status, 1)
        from .embedding_offer import EmbeddingOffer  # no embedding model: the recommended one, one click away

        self.embedding_offer = EmbeddingOffer(compact=True)
        layout.addWidget(self.embedding_offer, 1)
        self.embedders = EmbedderProvider(installed_only=True)  # no embedding model: keywords only
        self.jobs: list[IndexJob] = []
        self._progress = ""
        self._labels: dict[str, str] = {}  # a chat's own collection → what was added to it
        controller.conversation_opened.connect(lambda _id: self.refresh())
        self.retranslate()

    # --- what is attached ------------------------------------------------------------------------
    def attached(self) -> list[str]:
        return self.controller.collections()

    def set_attached(self, name: str, on: bool) -> None:
        names = [n for n in self.attached() if n != name]
        if on:
            names.append(name)
        self.controller.set_collections(names)
        self.refresh()

    def _fill_menu(self) -> None:
        self.menu.clear()
        from models.documents import list_collections

        attached = set(self.attached())
        names = list_collections()
        if names:
            title = self.menu.addAction(self.tr("Answer from these collections:"))
            title.setEnabled(False)
        for name in names:
            action = QAction(self.label(name), self.menu)
            action.setCheckable(True)
            action.setChecked(name in attached)
            action.toggled.connect(lambda on, n=name: self.set_attached(n, on))
            self.menu.addAction(action)
        if names:
            self.menu.addSeparator()
        self.menu.addAction(self.tr("Add files…"), self._choose_files)
        self.menu.addAction(self.tr("Add a folder…"), self._choose_folder)

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add files to this chat"),
            "",
            self.tr("Documents (*.txt *.md *.pdf *.docx);;All files (*)"),
        )
        if files:
            self.add_paths(files)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder to this chat"))
        if folder:
            self.add_paths([folder])

    # --- adding files ------------------------------------------------------------------------------
    def add_paths(self, paths: list[str]) -> None:
        """Put files or folders into this chat's collection, attach it, and index in the background."""
        if not paths:
            return
        conv_id = self.controller.ensure_conversation(Path(paths[0]).name)
        name = chat_collection_name(conv_id)
        from models.documents import open_collection

        try:
            collection = open_collection(name, create=True)
            collection.add_sources([Path(p) for p in paths])
        except TomoshibiError as error:
            self.controller.notice.emit("error", str(error))
            return
        self._labels[name] = ", ".join(p.name for p in collection.sources()) or name
        self.set_attached(name, True)
        job = IndexJob(collection, self.embedders)
        job.signals.progress.connect(self._on_progress)
        job.signals.finished.connect(lambda report, j=job: self._on_indexed(j, report))
        job.signals.error.connect(lambda message, j=job: self._on_failed(j, message))
        job.signals.cancelled.connect(lambda j=job: self._forget(j))
        self.jobs.append(job)
        self._progress = self.tr("Indexing…")
        self.refresh()
        QThreadPool.globalInstance().start(job)

    @property
    def indexing(self) -> bool:
        return bool(self.jobs)

    def _on_progress(self, progress: IndexProgress) -> None:
        if progress.phase == "file" and progress.total:
            text = self.tr("Indexing %1 of %2 files…").replace(
                "%1", str(min(progress.done + 1, progress.total))
            )
            self._progress = text.replace("%2", str(progress.total))
        elif progress.phase == "embed" and progress.total:
            text = self.tr("Indexing: %1 of %2 passages…").replace("%1", str(progress.done))
            self._progress = text.replace("%2", str(progress.total))
        self.refresh()

    def _on_indexed(self, job: IndexJob, report: IndexReport) -> None:
        self._forget(job)
        for path, message in report.failed:
            self.controller.notice.emit(
                "error",
                self.tr("%1 could not be indexed: %2").replace("%1", Path(path).name).replace("%2", message),
            )

    def _on_failed(self, job: IndexJob, message: str) -> None:
        self._forget(job)
        self.controller.notice.emit("error", message)

    def _forget(self, job: IndexJob) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        if not self.jobs:
            self._progress = ""
        self.refresh()

    # --- showing -----------------------------------------------------------------------------------
    def label(self, name: str) -> str:
        """How a collection is named to the user: a chat's own one by the folders and files added to
        it ("メモ, report.pdf"), not by its internal name ``chat-12``."""
        if not name.startswith("chat-"):
            return name
        if name not in self._labels:
            self._labels[name] = name
            try:
                from models.documents import open_collection

                collection = open_collection(name)
                try:
                    self._labels[name] = ", ".join(p.name for p in collection.sources()) or name
                finally:
                    collection.close()
            except TomoshibiError as error:  # shown by its name; the turn reports a missing one
                log.debug("collection %s: %s", name, error)
        return self._labels[name]

    def refresh(self) -> None:
        names = self.attached()
        self.button.setText(str(len(names)) if names else "")
        parts = []
        if names:
            shown = ", ".join(self.label(n) for n in names)
            parts.append(self.tr("Answers use your documents: %1").replace("%1", shown))
        if self._progress:
            parts.append(self._progress)
        self.status.setText("   ·   ".join(parts))
        self.embedding_offer.set_wanted(bool(names))
        self.setVisible(bool(parts))

    def retranslate(self) -> None:
        self.button.setToolTip(
            self.tr(
                "Documents for this chat: attach a collection, or add files (you can also drop them on the chat)"
            )
        )
        self.refresh()

    def shutdown(self) -> None:
        for job in list(self.jobs):
            job.cancel()
        QThreadPool.globalInstance().waitForDone(10000)
        self.embedders.close()
