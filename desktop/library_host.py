"""The model library's place in the main window: the app's downloads, the library window, the chat
header's picker, the empty chat's welcome and the Japanese notice, wired to the chat controller.

The main window creates one ``LibraryHost`` and calls ``open()``, ``start()`` and ``shutdown()``;
everything else happens here, so the main window's own code stays a few lines.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHBoxLayout, QWidget

from models.catalog import CatalogEntry, load_catalog
from models.downloads import Job
from models.memory_budget import MemoryBudget, available_memory
from models.recommend import recommend

from .language_notice import NoticeHook
from .library_downloads import Downloads
from .library_state import Installed, ui_language
from .model_picker import ModelPicker
from .welcome import Welcome

if TYPE_CHECKING:
    from .library_window import LibraryWindow
    from .main_window import MainWindow

log = logging.getLogger(__name__)


class LibraryHost(QObject):
    def __init__(self, window: MainWindow, entries: Sequence[CatalogEntry] | None = None,
                 budget: MemoryBudget | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self.entries = tuple(load_catalog() if entries is None else entries)
        self.budget = budget or available_memory()
        self.downloads = Downloads(self.entries, self)
        self.installed = Installed(self.entries)
        self.library: LibraryWindow | None = None
        c = window.controller
        # --- the chat header's picker ---
        self.picker = ModelPicker()
        self.picker.chosen.connect(self._picked)
        self.picker.library_requested.connect(lambda: self.open("catalog"))
        c.model_loading.connect(lambda path: (self.picker.set_current(path), self.picker.set_loading(True)))
        c.model_loaded.connect(self._loaded)
        c.model_failed.connect(lambda _m: self.picker.set_loading(False, failed=True))
        # --- the welcome, in the empty chat ---
        self.welcome = Welcome(self.downloads, self.installed, self.entries, self.budget)
        self.welcome.prompt_chosen.connect(self._prompt)
        self.welcome.load_requested.connect(self.use)
        self.welcome.library_requested.connect(lambda: self.open("catalog"))
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.addStretch(1)
        row.addWidget(self.welcome, 4)
        row.addStretch(1)
        window.chat_view.set_empty_widget(holder)
        self.welcome.set_model(self._default_model())
        self.picker.set_current(self._default_model())
        # --- the notice under a Japanese question to a model that does not speak it ---
        self.notice = NoticeHook(c, window.chat_view, self.recommended, self.entries, self.get)
        self.downloads.finished.connect(self._downloaded)

    # --- for the main window ---------------------------------------------------------------------------
    def open(self, tab: str = "catalog") -> LibraryWindow:
        """Show the library window at ``tab`` (catalog, search, installed, downloads)."""
        if self.library is None:
            from .library_window import LibraryWindow

            c = self.window.controller
            self.library = LibraryWindow(self.downloads, self.entries, self.budget,
                                         c.model_path if c.model_info else "", self.window)  # fmt: skip
            self.library.load_requested.connect(self.use)
            self.library.unload_requested.connect(c.unload_model)
            self.library.convert_requested.connect(lambda _p: self.window.open_conversion_wizard())
        self.library.show_tab(tab)
        return self.library

    def start(self) -> None:
        """After a restart: downloads that were running continue."""
        resumed = self.downloads.queue.restore()
        if resumed:
            log.info("Resuming %d download(s)", len(resumed))

    def shutdown(self) -> None:
        self.downloads.shutdown()

    def recommended(self) -> CatalogEntry | None:
        return recommend(ui_language(), self.budget, self.entries)

    def use(self, path: str) -> None:
        """Load a model for this conversation (and as the default for new ones)."""
        self.window._load_chosen(path)

    def get(self, entry: CatalogEntry) -> None:
        """Download a recommended model (the notice's button): the library asks for a licence first."""
        self.open("catalog").catalog.download(entry)

    def _default_model(self) -> str:
        """The model about to load at start-up, so the welcome describes it before it is ready."""
        chosen = self.window.settings.model_path
        if chosen:
            return chosen
        try:
            from models.bundled import bundled_model_path

            return str(bundled_model_path())
        except Exception:  # noqa: BLE001 - no bundled model: the welcome speaks generally
            return ""

    # --- reactions -------------------------------------------------------------------------------------
    def _picked(self, entry_id: str, kind: str) -> None:
        if kind == "local":
            self.picker.set_loading(True)  # at once: the engine's own "loading" comes a moment later
            self.use(entry_id)

    def _loaded(self, info: object) -> None:
        path = getattr(info, "model_path", "")
        self.picker.set_loading(False)
        self.picker.set_current(path)
        self.welcome.set_model(path)
        if self.library is not None:
            self.library.set_loaded(path)

    def _downloaded(self, job: Job) -> None:
        self.installed.refresh()
        self.picker.refresh()

    def _prompt(self, text: str) -> None:
        self.window.input.setPlainText(text)
        self.window.input.setFocus()


def open_library(from_widget: QWidget | None = None, tab: str = "catalog") -> bool:
    """Open the model library from anywhere in the app (a settings page, the documents window): the
    main window that ``from_widget`` belongs to, else the first one. False when there is none."""
    from PySide6.QtWidgets import QApplication

    candidates = [from_widget.window()] if from_widget is not None else []
    parent = from_widget.window().parentWidget() if from_widget is not None else None
    if parent is not None:
        candidates.append(parent.window())
    candidates += list(QApplication.topLevelWidgets())
    for widget in candidates:
        host = getattr(widget, "library", None)
        if isinstance(host, LibraryHost):
            if tab == "embedding":  # the catalog, showing only embedding models
                host.open("catalog").catalog.kind.setCurrentIndex(2)
            else:
                host.open(tab)
            return True
    return False
