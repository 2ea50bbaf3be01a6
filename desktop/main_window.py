"""The main window: conversations on the left, the chat in the middle under a header bar, and the
model and this conversation's settings in the "Advanced" side sheet on the right (closed by default;
window_chrome.py). Menus and shortcuts as a Mac user expects them."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.conversations import ConversationStore
from models.errors import TomoshibiError
from models.model_names import display_name

from . import i18n, theme
from .api_section import ApiSection
from .banner import Banner
from .chat_controller import ChatController
from .chat_documents import ChatDocuments
from .chat_view import ChatView
from .conversation_list import ConversationList
from .conversation_settings import ConversationSettings
from .engine_worker import EngineHost
from .error_text import user_message
from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .input_box import InputBox
from .main_menus import build_menus, retranslate_menus
from .markdown_render import warm_up as warm_up_markdown
from .model_panel import ModelPanel
from .settings import AppSettings
from .threads import run_call
from .voice_host import VoiceHost
from .window_chrome import SHEET_WIDTH, HeaderBar, SideSheet

log = logging.getLogger(__name__)


def _preload() -> bool:
    """Import what the window needs soon but not at once (off the GUI thread); whether voice input can
    be offered."""
    import importlib

    voice_ok = True
    for name in ("markdown_it", "desktop.voice_button"):
        try:
            importlib.import_module(name)
        except Exception as error:  # voice is optional; markdown is a dependency
            log.warning("could not import %s: %s", name, error)
            voice_ok = voice_ok and name != "desktop.voice_button"
    return voice_ok


class MainWindow(RetranslateOnLanguageChange, QMainWindow):
    def __init__(self, settings: AppSettings, store: ConversationStore | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.store = store or ConversationStore()
        self.host = EngineHost(self)
        self.resize(1180, 760)
        self.setAcceptDrops(True)
        self.setMinimumSize(720, 480)

        # --- left: conversations --------------------------------------------------------------------
        self.conversations = ConversationList(self.store)
        # --- middle: banner, chat, input --------------------------------------------------------------
        self.banner = Banner()
        self.chat_view = ChatView()
        self.input = InputBox(send_key=settings.send_key)
        self.send_button = QPushButton()
        self.stop_button = QPushButton()
        self.send_button.setDefault(True)
        self.send_button.setIcon(icon("send", "on_accent"))
        self.stop_button.setIcon(icon("stop"))
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 6, 0, 6)
        mid.addWidget(self.banner)
        mid.addWidget(self.chat_view, 1)
        self.input_row = QHBoxLayout()
        self.input_row.setContentsMargins(12, 0, 12, 0)
        self.input_row.addWidget(self.input, 1)
        self.input_row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.input_row.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignBottom)
        mid.addLayout(self.input_row)
        # --- right: model and conversation settings ----------------------------------------------------
        self.model_panel = ModelPanel()
        self._import_old_presets()
        self.conversation_settings = ConversationSettings(self.store)
        # The API server borrows the chat's engine (see api_section.py for why one engine, not two).
        self.api_section = ApiSection(
            settings,
            model_path=self._api_model_path,
            shared_engine=lambda: self.host.worker.engine,
        )
        right_inner = QWidget()
        right = QVBoxLayout(right_inner)
        right.setContentsMargins(8, 0, 8, 8)
        right.addWidget(self.model_panel)
        right.addWidget(self.api_section)
        right.addWidget(self.conversation_settings, 1)
        self.advanced = SideSheet(right_inner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.conversations)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.advanced)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([240, 640, SHEET_WIDTH])
        self.splitter.setChildrenCollapsible(False)
        self.header = HeaderBar()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)

        self.controller = ChatController(self.store, self.host, self.chat_view)
        self.controller.n_ctx = settings.n_ctx
        # Documents in the chat: the paperclip in the input bar, its status line above the input.
        self.chat_documents = ChatDocuments(self.controller)
        self.controller.embedding_offered = self.chat_documents.embedding_offer.offering
        self.input_row.insertWidget(0, self.chat_documents.button, 0, Qt.AlignmentFlag.AlignBottom)
        mid.insertWidget(mid.indexOf(self.chat_view) + 1, self.chat_documents)
        # The model library: downloads, the chat header's model picker, the welcome (library_host.py).
        from .library_host import LibraryHost

        self.library = LibraryHost(self)
        self.header.add_center(self.library.picker, 1)  # the model picker sits in the header bar
        self.voice = VoiceHost(self)  # the microphone button, added once its imports are ready
        self._wire()
        self._build_menus()
        self._restore_geometry()
        self.retranslate()
        self._busy_changed(False)

    # --- wiring --------------------------------------------------------------------------------------
    def _wire(self) -> None:
        c = self.controller
        self.input.submitted.connect(self.send)
        self.send_button.clicked.connect(self.input.submit)
        self.stop_button.clicked.connect(c.stop)
        self.conversations.new_requested.connect(self.new_chat)
        self.conversations.selected.connect(c.open_conversation)
        self.conversations.deleted.connect(self._conversation_deleted)
        self.conversation_settings.changed.connect(c.update_settings)
        self.conversation_settings.preset_failed.connect(lambda m: self.banner.show_message("error", m))
        self.api_section.toggle.failed.connect(self._update_status)
        self.api_section.toggle.started.connect(self._update_status)
        self.api_section.toggle.stopped.connect(self._update_status)
        self.header.new_chat_requested.connect(self.new_chat)
        self.header.documents_requested.connect(self.open_documents)
        self.header.sidebar_toggled.connect(self.conversations.setVisible)
        self.header.sheet_toggled.connect(self.show_advanced)
        self.advanced.closed.connect(lambda: self.header.sheet_button.setChecked(False))
        self.model_panel.manage_requested.connect(self.open_model_manager)
        self.model_panel.reload_requested.connect(self.reload_model)
        self.model_panel.unload_requested.connect(c.unload_model)
        self.banner.reload_requested.connect(self.reload_model)
        c.busy_changed.connect(self._busy_changed)
        c.notice.connect(self.banner.show_message)
        c.conversation_opened.connect(self._conversation_opened)
        c.conversations_changed.connect(lambda: self.conversations.reload(select=c.conversation_id))
        c.model_loading.connect(self._model_loading)
        c.model_loaded.connect(self._model_loaded)
        c.model_failed.connect(lambda _m: (self.model_panel.set_failed(), self._update_status()))
        c.model_unloaded.connect(lambda: (self.model_panel.set_unloaded(), self._update_status()))
        c.model_changing.connect(self.api_section.model_changing)
        c.model_loaded.connect(lambda _info: self.api_section.model_ready())
        c.model_failed.connect(lambda _m: self.api_section.model_failed())
        c.live_speed.connect(self.model_panel.set_tokens_per_second)
        c.activity_changed.connect(self.conversations.set_activity)
        c.activity_changed.connect(lambda _a: self._update_status())
        self.chat_view.files_dropped.connect(self.chat_documents.add_paths)

    def _build_menus(self) -> None:
        build_menus(self)  # File, Model, Tools, View and Help (main_menus.py)
        # Esc stops generation wherever the focus is in the window.
        self.stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self.stop_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.stop_shortcut.activated.connect(self.controller.stop)

    # --- start-up ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the most recent conversation and load the model in the background."""
        self.conversations.reload()
        ids = self.conversations.ids()
        if ids:
            self.controller.open_conversation(ids[0])
        else:
            self.new_chat()
        if not self.controller.model_path:  # the conversation did not ask for its own model
            self.load_default_model()
        self.library.start()
        self.input.setFocus()
        # Voice input (numpy, PortAudio) and the Markdown parser are imported on a background thread
        # once the window is on screen, so they delay neither the window nor the first answer.
        run_call(_preload, done=self._preloaded, name="tomoshibi-preload")

    def _preloaded(self, voice_ok: bool) -> None:
        if self.store.closed:  # the window closed while the imports ran
            return
        warm_up_markdown()
        if voice_ok:
            self.voice.add_button()

    def _import_old_presets(self) -> None:
        """Once: the system-prompt presets older versions kept in SQLite become preset files."""
        if self.settings.presets_imported:
            return
        try:
            from models.presets import import_conversation_presets

            added = import_conversation_presets()
            if added:
                log.info("system-prompt presets moved to preset files: %s", ", ".join(added))
            self.settings.presets_imported = True
        except TomoshibiError as error:  # tried again at the next start
            log.warning("could not import the old presets: %s", error)

    def _api_model_path(self) -> str:
        """The model the API serves when the chat has none loaded: the chosen one, else the bundled."""
        path = self.controller.model_path or self.settings.model_path
        if path and Path(path).is_file():
            return path
        from models.bundled import bundled_model_path

        return str(bundled_model_path())

    def load_default_model(self) -> None:
        path = self.settings.model_path
        if not path or not Path(path).is_file():
            try:
                from models.bundled import bundled_model_path

                path = str(bundled_model_path())
            except TomoshibiError as error:
                self.banner.show_message("error", user_message(error))
                return
        self.controller.load_model(path)

    # --- actions -------------------------------------------------------------------------------------
    def send(self, text: str) -> None:
        if not self.controller.send(text):
            self.input.setPlainText(text)  # busy: keep what was typed

    def new_chat(self) -> None:
        self.controller.new_conversation()
        self.conversations.list.clearSelection()
        self.conversations.list.setCurrentItem(None)
        self.input.setFocus()

    def reload_model(self) -> None:
        self.banner.hide()
        if self.controller.model_path:
            self.controller.reload_model()
        else:
            self.load_default_model()

    def show_advanced(self, shown: bool) -> None:
        """Open or close the Advanced sheet; on a narrow window the conversation list makes room."""
        self.advanced.setVisible(shown)
        if shown and self.width() < 1000 and self.conversations.isVisible():
            self.header.sidebar_button.setChecked(False)
        if shown:
            sizes = self.splitter.sizes()
            if sizes[2] < self.advanced.minimumWidth():
                middle = max(200, sizes[1] - SHEET_WIDTH)
                self.splitter.setSizes([sizes[0], middle, SHEET_WIDTH])

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        dialog.applied.connect(self.apply_settings)
        self._settings_dialog = dialog
        dialog.open()

    def apply_settings(self) -> None:
        i18n.apply_language(self.settings.language)
        theme.apply_theme(self.settings.theme)
        self.input.set_send_key(self.settings.send_key)
        self.controller.n_ctx = self.settings.n_ctx
        self.voice.apply_settings()

    def _tool_window(self, attr: str, make: object, title: str, size: tuple[int, int]) -> object:
        """A tool (presets, evaluation) in its own non-modal window, built on first use and kept."""
        window = getattr(self, attr, None)
        if window is None:
            from PySide6.QtWidgets import QDialog

            window = QDialog(self)
            window.resize(*size)
            layout = QVBoxLayout(window)
            layout.setContentsMargins(0, 0, 0, 0)
            window.view = make(window)  # type: ignore[attr-defined, operator]
            layout.addWidget(window.view)  # type: ignore[attr-defined]
            setattr(self, attr, window)
        window.setWindowTitle(title)
        window.show()
        window.raise_()
        return window

    def open_presets(self) -> None:
        """Tools → Prompt presets…: edit the preset files; the conversation panel lists them afresh."""
        from .presets_view import PresetsView

        def make(parent: QWidget) -> PresetsView:
            view = PresetsView(parent)
            view.saved.connect(lambda *_: self.conversation_settings.reload_presets())
            view.failed.connect(lambda m: self.banner.show_message("error", m))
            # Deletes and renames there show up in the conversation's picker once the window closes.
            parent.finished.connect(lambda *_: self.conversation_settings.reload_presets())  # type: ignore[attr-defined]
            return view

        self._tool_window("_presets_window", make, self.tr("Prompt presets"), (900, 620))

    def open_evaluation(self) -> None:
        """Tools → Evaluate models…: runs and reports of the evaluation store."""
        from .evaluation_view import EvaluationView

        self._tool_window("_evaluation_window", EvaluationView, self.tr("Evaluate models"), (980, 640))

    def open_model_manager(self) -> None:
        """The model library at its Installed view (the local models)."""
        self._model_manager = self.library.open("installed").installed_view

    def open_documents(self) -> None:
        """Local documents (collections, indexing, search) in their own window, built on first use."""
        from .documents_panel import DocumentsPanel

        self._tool_window("_documents_window", DocumentsPanel, self.tr("Documents"), (900, 600))

    def open_conversion_wizard(self) -> None:
        from .conversion_wizard import ConversionWizard

        wizard = ConversionWizard(self)
        wizard.load_requested.connect(self._load_chosen)
        self._conversion_wizard = wizard
        wizard.open()

    def _offer_remote_models_in_picker(self) -> None:
        """Other computers' models in the chat header's picker too, listed off the GUI thread."""
        from models import other_computers

        from .remote_models_menu import RemotePickerModels

        provider = RemotePickerModels()
        # Not add_provider(): that lists the local models now, and start-up leaves that for later.
        self.library.picker.providers.append(provider)

        def listed(models: list) -> None:
            provider.models = models
            self.library.picker.refresh()

        self.remote_models_menu.listed.connect(listed)
        if other_computers.load().servers:
            self.remote_models_menu.refresh()

    def _load_chosen(self, path: str) -> None:
        self.settings.model_path = path
        self.controller.load_model(path)
        if self.controller.conversation_id is not None:
            self.store.update_settings(self.controller.conversation_id, model=path)

    # --- drag and drop: a .gguf dropped anywhere on the window is imported ------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf") for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls:
            self.open_model_manager()
            self._model_manager.import_file(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()

    # --- reactions ------------------------------------------------------------------------------------
    def _busy_changed(self, busy: bool) -> None:
        self.send_button.setVisible(not busy)
        self.stop_button.setVisible(busy)
        self.stop_action.setEnabled(busy)
        self._update_status()

    def _conversation_opened(self, conv_id: int) -> None:
        if conv_id < 0:
            self.conversation_settings.load("", {})
            return
        conv = self.store.get(conv_id)
        self.conversation_settings.load(conv.system_prompt, conv.sampling)
        if self.conversations.current_id() != conv_id:
            self.conversations.reload(select=conv_id)

    def _conversation_deleted(self, conv_id: int) -> None:
        if self.controller.conversation_id == conv_id:
            self.controller.conversation_id = None
            ids = self.conversations.ids()
            if ids:
                self.controller.open_conversation(ids[0])
            else:
                self.new_chat()

    def _model_loading(self, path: str) -> None:
        self.model_panel.set_loading(path)
        self._update_status()

    def _model_loaded(self, info: object) -> None:
        self.model_panel.set_loaded(info)  # type: ignore[arg-type]
        self.banner.hide() if self.banner.kind == "crash" else None
        self._update_status()

    def _update_status(self) -> None:
        c = self.controller
        if c.pending:
            text = self.tr("Waiting for the model to finish loading…")
        elif c.generating:
            text = self.tr("Generating… (Esc to stop)")
            if not c.busy:  # the answer belongs to another conversation; it goes on there
                text = self.tr("Writing an answer in another conversation…")
            elif c.running is not None and c.running.conv_id != c.conversation_id:  # this one is queued
                text = self.tr("In the queue behind another conversation's answer (Esc cancels this one)")
            if c.queue:
                text += "   ·   " + self.tr("%1 waiting").replace("%1", str(len(c.queue)))
        elif c.loading:
            text = self.tr("Loading %1…").replace("%1", display_name(c.model_path))
        elif c.model_info is not None:
            text = self.tr("Ready: %1").replace("%1", display_name(c.model_info.model_path))
        else:
            text = self.tr("No model loaded")
        address = self.api_section.toggle.address
        if address:
            text += "   ·   " + self.tr("API: %1").replace("%1", address)
        self.status_label.setText(text)

    # --- language -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        # The display name is the translated name too, so Qt does not append it again to the title.
        QGuiApplication.setApplicationDisplayName(self.tr("Tomoshibi"))
        self.setWindowTitle(self.tr("Tomoshibi"))
        self.send_button.setText(self.tr("Send"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop generating (Esc)"))
        retranslate_menus(self)
        self._update_status()

    # --- closing --------------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry, splitter = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)  # type: ignore[arg-type]
        if splitter is not None:
            self.splitter.restoreState(splitter)  # type: ignore[arg-type]
        self.conversations.show()
        self.advanced.hide()  # closed by default, whatever the last session left

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.store.closed:  # already closed once (Qt may deliver close twice)
            super().closeEvent(event)
            return
        self.controller.shutdown()  # saves the answer so far, stops generating
        self.chat_documents.shutdown()
        self.api_section.shutdown()  # before the engine closes: the server may be using it
        evaluation = getattr(self, "_evaluation_window", None)
        if evaluation is not None:
            evaluation.view.shutdown()
        self.settings.save_window_state(self.saveGeometry(), self.splitter.saveState())
        self.voice.shutdown()
        self.library.shutdown()  # downloads stop here and resume at the next start
        self.host.shutdown()
        self.store.close()
        super().closeEvent(event)
