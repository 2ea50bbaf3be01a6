"""The embedding model to get, offered where documents are searched without one.

The documents window and the chat's documents strip show this line when no embedding model is
installed: it names the model ``models.recommend.recommend_embedding`` picks for this computer (the
one the library's catalog marks "Recommended for this computer") and downloads it with one click
through the app's download list, as the welcome does for a chat model. A licence that must be
accepted first opens the library's licence dialog instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from models.catalog import CatalogEntry, load_catalog
from models.downloads import Job
from models.recommend import recommend_embedding
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .library_downloads import reason_text
from .library_host import LibraryHost, find_host
from .library_prefs import licence_accepted
from .library_state import ui_language
from .threads import run_call


def recommended_embedding(from_widget: QWidget | None = None) -> CatalogEntry | None:
    """The embedding model for this computer: by the memory the app measured at start (no GPU probe
    on the GUI thread; without a main window, a CPU-only machine is assumed)."""
    host = find_host(from_widget)
    entries = host.entries if host is not None else load_catalog()
    budget = host.budget if host is not None else None
    return recommend_embedding(budget, language=ui_language(), entries=entries)


def _embedding_installed() -> bool:
    from models.documents.embedder import find_embedding_models

    return bool(find_embedding_models())


class EmbeddingOffer(RetranslateOnLanguageChange, QWidget):
    """ "Recommended for this computer: multilingual-e5-small (130 MB)" and a Download button; hidden
    while an embedding model is installed. ``compact``: one short line, for the chat's strip."""

    def __init__(self, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("embedding_offer")
        self.compact = compact
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton()
        self.button.clicked.connect(self.get)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)
        self.wanted = False
        self.installed: bool | None = None  # unknown until looked at, on a thread
        self.entry: CatalogEntry | None = None
        self.job: Job | None = None
        self._host: LibraryHost | None = None
        self.hide()

    # --- when to show --------------------------------------------------------------------------------
    def set_wanted(self, on: bool) -> None:
        """Documents are in play here: offer the model if none is installed (looked up once)."""
        if on and not self.wanted:
            self.wanted = True
            self.retranslate()  # what was last known, at once; the look below confirms it
            self.look()
        elif not on:
            self.wanted = False
            self.hide()

    def offering(self) -> bool:
        """Shown, or about to be once the look on its thread is done: documents are in play and no
        embedding model is known to be installed (what the chat's banner would otherwise say again)."""
        return self.wanted and self.installed is not True and recommended_embedding(self) is not None

    def look(self) -> None:
        """Find out (off the GUI thread: it reads GGUF headers) whether an embedding model is installed."""
        run_call(
            _embedding_installed, done=self._looked, failed=lambda _m: None, name="tomoshibi-embedding-look"
        )

    def _looked(self, installed: bool) -> None:
        try:
            self.installed = installed
            self._connect()
            self.retranslate()
        except RuntimeError:  # the widget was deleted meanwhile
            pass

    def _connect(self) -> None:
        host = find_host(self)
        if host is not None and host is not self._host:
            self._host = host
            host.downloads.changed.connect(self._job_changed)
        self.entry = recommended_embedding(self)
        if self._host is not None and self.entry is not None:
            self.job = self._host.downloads.job_for(self.entry.id)

    # --- the download --------------------------------------------------------------------------------
    def get(self) -> None:
        """Start the download (the library asks for a licence first where one must be accepted)."""
        self._connect()
        host, entry = self._host, self.entry
        if host is None or entry is None:
            return
        if (entry.licence_acceptance or entry.gated) and not licence_accepted(entry.id):
            host.get(entry)
            return
        self.job = host.downloads.queue.start_entry(entry)
        self.retranslate()

    def _job_changed(self, job: Job) -> None:
        if self.entry is not None and job.id == self.entry.id:
            self.job = job
            self.retranslate()
        elif job.state == "done" and self._host is not None:
            # Another embedding model, downloaded from the library: nothing left to offer.
            other = next((e for e in self._host.entries if e.id == job.catalog_id), None)
            if other is not None and other.kind == "embedding":
                self.installed = True
                self.retranslate()

    # --- texts ---------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        entry, job = self.entry, self.job
        show = self.wanted and self.installed is False and entry is not None
        self.setVisible(bool(show))
        if not show or entry is None:
            return
        size = format_bytes(entry.size_bytes)
        state = job.state if job is not None else ""
        if state == "done":
            self.label.setText(
                self.tr("%1 is installed: documents you add from now on are also found by meaning.").replace(
                    "%1", entry.name
                )
            )
            self.button.hide()
            return
        if self.compact:
            text = self.tr("Better document search: %1, %2")
        else:
            text = self.tr(
                "Search finds reworded questions much better with an embedding model. Recommended for this computer: %1, %2."
            )
        text = text.replace("%1", entry.name).replace("%2", size)
        if state == "failed" and job is not None and not self.compact:
            text += " " + reason_text(job.reason)
        self.label.setText(text)
        self.button.show()
        if state in ("queued", "running"):
            percent = round(100 * job.fraction) if job is not None and job.fraction is not None else 0
            self.button.setText(self.tr("Downloading %1 %").replace("%1", str(percent)))
            self.button.setEnabled(False)
        else:
            self.button.setText(self.tr("Try again") if state == "failed" else self.tr("Download"))
            self.button.setEnabled(True)
