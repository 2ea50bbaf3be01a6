"""The model library's place in the main window: the app's downloads, the library window, the chat
header's picker, the empty chat's welcome and the Japanese notice, wired to the chat controller.

The main window creates one ``LibraryHost`` and calls ``open()``, ``start()`` and ``shutdown()``;
everything else happens here, so the main window's own code stays a few lines.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from .model_picker import ModelPicker

if TYPE_CHECKING:
    from models.catalog import CatalogEntry
    from models.downloads import Job
    from models.memory_budget import MemoryBudget

    from .library_downloads import Downloads
    from .library_state import Installed
    from .library_window import LibraryWindow
    from .main_window import MainWindow
    from .welcome import Welcome

log = logging.getLogger(__name__)

# Imported on a thread while the window first shows (with psutil, for the memory measurement), so
# that the library costs the window's first paint nothing but the picker.
_DEFERRED = (
    "desktop.welcome",
    "desktop.library_downloads",
    "desktop.language_notice",
    "desktop.library_state",
)


class LibraryHost(QObject):
    _measured = Signal(object)  # MemoryBudget, from the thread that measures it

    def __init__(self, window: MainWindow, entries: Sequence[CatalogEntry] | None = None,
                 budget: MemoryBudget | None = None) -> None:  # fmt: skip
        super().__init__(window)
        self.window = window
        self._entries = tuple(entries) if entries is not None else None
        self.budget = budget
        self.library: LibraryWindow | None = None
        self.welcome: Welcome | None = None
        self._downloads: Downloads | None = None
        self._restore = False
        c = window.controller
        # --- the chat header's picker: on screen at once, filled when the model list is read ---
        self.picker = ModelPicker(populate=False)
        self.picker.chosen.connect(self._picked)
        self.picker.library_requested.connect(lambda: self.open("catalog"))
        self.picker.set_current(self._default_model())
        c.model_loading.connect(lambda path: (self.picker.set_current(path), self.picker.set_loading(True)))
        c.model_loaded.connect(self._loaded)
        c.model_failed.connect(lambda _m: self.picker.set_loading(False, failed=True))
        # --- the welcome's place in the empty chat; the welcome itself comes with the measurement ---
        self.holder = QWidget()
        self._row = QHBoxLayout(self.holder)
        window.chat_view.set_empty_widget(self.holder)
        self._measured.connect(self._ready, Qt.ConnectionType.QueuedConnection)
        if budget is not None:
            self._ready(budget)
        else:
            threading.Thread(target=self._measure, name="tomoshibi-memory", daemon=True).start()

    @property
    def entries(self) -> tuple[CatalogEntry, ...]:
        if self._entries is None:
            from models.catalog import load_catalog

            self._entries = load_catalog()
        return self._entries

    @property
    def downloads(self) -> Downloads:
        """The app's downloads (they outlive the library window)."""
        if self._downloads is None:
            from .library_downloads import Downloads

            self._downloads = Downloads(self.entries, self)
            self._downloads.finished.connect(self._downloaded)
        return self._downloads

    def _measure(self) -> None:
        import importlib

        from models.memory_budget import available_memory

        budget = available_memory()
        for name in _DEFERRED:
            importlib.import_module(name)
        try:
            self._measured.emit(budget)
        except RuntimeError:  # the window closed meanwhile
            pass

    def _ready(self, budget: MemoryBudget) -> None:
        """The memory is known: build the welcome, fill the lists, resume downloads."""
        if self.welcome is not None:
            return
        from .language_notice import NoticeHook
        from .library_state import Installed
        from .welcome import Welcome

        self.budget = budget
        self.installed: Installed = Installed(self.entries)
        self.picker.refresh()
        welcome = Welcome(self.downloads, self.installed, self.entries, budget)
        welcome.prompt_chosen.connect(self._prompt)
        welcome.load_requested.connect(self.use)
        welcome.library_requested.connect(lambda: self.open("catalog"))
        welcome.set_model(self.window.controller.model_path or self._default_model())
        self._row.addStretch(1)
        self._row.addWidget(welcome, 4)
        self._row.addStretch(1)
        welcome.show()  # added to a layout already on screen: not shown by itself
        self.welcome = welcome
        self.notice = NoticeHook(self.window.controller, self.window.chat_view, self.recommended, self.entries,
                                 self.get)  # fmt: skip
        if self._restore:
            self._resume_downloads()

    def _budget(self) -> MemoryBudget:
        if self.budget is None:
            from models.memory_budget import available_memory

            self._ready(available_memory())
        assert self.budget is not None
        return self.budget

    # --- for the main window ---------------------------------------------------------------------------
    def open(self, tab: str = "catalog") -> LibraryWindow:
        """Show the library window at ``tab`` (catalog, search, installed, downloads)."""
        if self.library is None:
            from .library_window import LibraryWindow

            c = self.window.controller
            budget = self._budget()
            self.library = LibraryWindow(self.downloads, self.entries, budget,
                                         c.model_path if c.model_info else "", self.window)  # fmt: skip
            self.library.load_requested.connect(self.use)
            self.library.unload_requested.connect(c.unload_model)
            self.library.convert_requested.connect(lambda _p: self.window.open_conversion_wizard())
        self.library.show_tab(tab)
        return self.library

    def start(self) -> None:
        """After a restart: downloads that were running continue (once the library is built)."""
        self._restore = True
        if self.welcome is not None:
            self._resume_downloads()

    def _resume_downloads(self) -> None:
        self._restore = False
        resumed = self.downloads.queue.restore()
        if resumed:
            log.info("Resuming %d download(s)", len(resumed))

    def shutdown(self) -> None:
        if self._downloads is not None:
            self._downloads.shutdown()

    def recommended(self) -> CatalogEntry | None:
        from models.recommend import recommend

        from .library_state import ui_language

        return recommend(ui_language(), self._budget(), self.entries)

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
        if kind in ("local", "remote"):  # a remote:// model loads through the same engine interface
            self.picker.set_loading(True)  # at once: the engine's own "loading" comes a moment later
            self.use(entry_id)

    def _loaded(self, info: object) -> None:
        path = getattr(info, "model_path", "")
        self.picker.set_loading(False)
        self.picker.set_current(path)
        if self.welcome is not None:
            self.welcome.set_model(path)
        if self.library is not None:
            self.library.set_loaded(path)

    def _downloaded(self, job: Job) -> None:
        if self.welcome is not None:
            self.installed.refresh()
        self.picker.refresh()

    def _prompt(self, text: str) -> None:
        self.window.input.setPlainText(text)
        self.window.input.setFocus()


def find_host(from_widget: QWidget | None = None) -> LibraryHost | None:
    """The main window's library host that ``from_widget`` belongs to, else the first one; None when
    there is no main window (a panel shown on its own)."""
    from PySide6.QtWidgets import QApplication

    candidates = [from_widget.window()] if from_widget is not None else []
    parent = from_widget.window().parentWidget() if from_widget is not None else None
    if parent is not None:
        candidates.append(parent.window())
    candidates += list(QApplication.topLevelWidgets())
    for widget in candidates:
        host = getattr(widget, "library", None)
        if isinstance(host, LibraryHost):
            return host
    return None


def open_library(from_widget: QWidget | None = None, tab: str = "catalog") -> bool:
    """Open the model library from anywhere in the app (a settings page, the documents window): the
    main window that ``from_widget`` belongs to, else the first one. False when there is none."""
    host = find_host(from_widget)
    if host is None:
        return False
    if tab == "embedding":  # the catalog, showing only embedding models
        host.open("catalog").catalog.kind.setCurrentIndex(2)
    else:
        host.open(tab)
    return True
