"""The model library: Catalog, Search the hub, Installed and Downloads in one window.

Opened from the Model menu, the chat header's picker, the welcome and every message that mentions
"the model library". Downloads belong to the app (``Downloads``), not to this window, so closing it
leaves them running; the window is built once and kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from models.catalog import CatalogEntry, load_catalog
from models.downloads import Job
from models.memory_budget import MemoryBudget, available_memory

from .i18n import RetranslateOnLanguageChange
from .library_catalog import CatalogView
from .library_downloads import Downloads, DownloadsView
from .library_search import SearchView
from .library_state import Installed
from .model_manager import InstalledView

TABS = ("catalog", "search", "installed", "downloads")


class LibraryWindow(RetranslateOnLanguageChange, QDialog):
    load_requested = Signal(str)  # a chat model to use now
    unload_requested = Signal()
    convert_requested = Signal(str)  # a downloaded checkpoint folder

    def __init__(self, downloads: Downloads, entries: Sequence[CatalogEntry] | None = None,
                 budget: MemoryBudget | None = None, loaded_path: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("library_window")
        self.resize(1000, 680)
        self.setMinimumSize(640, 420)
        self.entries = tuple(load_catalog() if entries is None else entries)
        self.budget = budget or available_memory()
        self.downloads = downloads
        self.installed = Installed(self.entries)
        self.tabs = QTabWidget()
        self.catalog = CatalogView(self.entries, downloads, self.installed, self.budget)
        self.search = SearchView(downloads, self.budget)
        self.installed_view = InstalledView(loaded_path)
        self.downloads_view = DownloadsView(downloads)
        for widget in (self.catalog, self.search, self.installed_view, self.downloads_view):
            self.tabs.addTab(widget, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.catalog.use_requested.connect(self.load_requested)
        self.catalog.convert_requested.connect(self.convert_requested)
        self.installed_view.load_requested.connect(self.load_requested)
        self.installed_view.unload_requested.connect(self.unload_requested)
        self.installed_view.changed.connect(self._installed_changed)
        downloads.changed.connect(self._job_changed)
        self.catalog.loaded_path = loaded_path
        self.catalog.refresh_states()
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.catalog.updates.check()  # on a thread, at most once a day; the welcome never checks

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name))
        self.show()
        self.raise_()
        self.activateWindow()

    def set_loaded(self, path: str) -> None:
        self.installed_view.loaded_path = path
        self.installed_view.refresh()
        for card in self.catalog.cards:
            card.updated_in_use = False  # loaded again: the running model is the new version now
        self.catalog.loaded_path = path
        self.catalog.refresh_states()

    def _installed_changed(self) -> None:
        self.installed.refresh()
        self.catalog.refresh_states()

    def _job_changed(self, job: Job) -> None:
        if job.state == "done":
            self.installed_view.refresh()
        self._update_downloads_tab()

    def _update_downloads_tab(self) -> None:
        active = sum(1 for j in self.downloads.queue.jobs() if j.state in ("queued", "running"))
        title = self.tr("Downloads")
        self.tabs.setTabText(3, f"{title} ({active})" if active else title)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Model library"))
        self.tabs.setTabText(0, self.tr("Catalog"))
        self.tabs.setTabText(1, self.tr("Search the hub"))
        self.tabs.setTabText(2, self.tr("Installed"))
        self._update_downloads_tab()
