"""Installed models (the library's Installed view): size, quantization and whether each fits this
machine; load, unload, import a GGUF (file dialog or drag and drop) recognising one that is already
there, delete with confirmation, open the models folder, disk usage. ``ModelManager`` shows the same
view as a dialog of its own, for callers that want only the local list."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.errors import TomoshibiError
from models.library import LocalModel, delete_model, disk_usage, find_duplicate, import_model, list_models
from models.model_names import catalog_entry_for, display_name
from models.paths import models_dir
from models.units import format_bytes, format_count

from .doc_paths import home_short
from .threads import start_worker

log = logging.getLogger(__name__)


def local_models() -> list[LocalModel]:
    """The built-in model, then every GGUF in the models folder (``models.library``: cached headers,
    memory need and whether it fits now)."""
    return list_models()


class _ImportWorker(QObject):
    done = Signal(str)
    failed = Signal(str)
    duplicate = Signal(str)  # the path of the model the file already is

    def __init__(self, source: Path) -> None:
        super().__init__()
        self.source = source

    def run(self) -> None:
        try:
            # Hashing a few GB is work for this thread too; a copy of a model already here is not made.
            existing = find_duplicate(self.source)
            if existing is not None:
                self.duplicate.emit(str(existing.path))
                self.done.emit(str(existing.path))
                return
            self.done.emit(str(import_model(self.source).path))
        except TomoshibiError as error:
            self.failed.emit(str(error))


class InstalledView(QWidget):
    load_requested = Signal(str)
    unload_requested = Signal()
    imports_finished = Signal()
    changed = Signal()  # a model was imported or deleted

    COLUMNS = 5

    def __init__(self, loaded_path: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded_path = loaded_path
        self.models: list[LocalModel] = []
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda _i: self._load())
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        row = QHBoxLayout()
        self.import_button, self.delete_button = QPushButton(), QPushButton()
        self.folder_button = QPushButton()
        self.unload_button, self.load_button = QPushButton(), QPushButton()
        self.import_button.clicked.connect(self._choose_import)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.folder_button.clicked.connect(self.open_folder)
        self.load_button.clicked.connect(self._load)
        self.unload_button.clicked.connect(self.unload_requested)
        for button in (self.import_button, self.delete_button, self.folder_button):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.unload_button, self.load_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.usage = QLabel()
        self.usage.setWordWrap(True)
        layout.addWidget(self.usage)
        self._thread: QThread | None = None
        self.last_error = ""
        self.last_notice = ""
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        self.models = local_models()
        self.table.setRowCount(len(self.models))
        for row, model in enumerate(self.models):
            # What a user asks first: which model, what for, which languages, how big, is it in use;
            # the technical words (architecture, quantization…) are in each row's tooltip.
            cells = [
                display_name(model.path),
                self._purpose(model),
                self._languages(model),
                format_bytes(model.size_bytes),
                self._state(model),
            ]
            details = self._details(model)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(details)
                if col == 4 and (model.fits is False or model.problem):
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()
        self._show_usage()

    def _purpose(self, model: LocalModel) -> str:
        return self.tr("Documents search") if model.kind == "embedding" else self.tr("Chat")

    def _languages(self, model: LocalModel) -> str:
        """The languages the catalog says it speaks, named in the UI language ("日本語 · 英語")."""
        entry = catalog_entry_for(model.path)
        if entry is None or not entry.languages:
            return "—"  # a file the catalog does not know: nobody has said
        names = {"ja": self.tr("Japanese"), "en": self.tr("English"), "multilingual": self.tr("many more")}
        return " · ".join(names[code] for code in ("ja", "en", "multilingual") if code in entry.languages)

    def _state(self, model: LocalModel) -> str:
        if self.loaded_path and model.path == Path(self.loaded_path):
            return "● " + self.tr("In use")
        if model.problem:
            return self.tr("Cannot be read")
        if model.fits is False:
            return self.tr("Too big for the free memory")
        return self.tr("Ready") if model.fits else "—"

    def _details(self, model: LocalModel) -> str:
        """The technical facts, for the row's tooltip."""
        if model.problem:
            return model.problem
        facts = [
            self.tr("Architecture: %1").replace("%1", model.architecture or "?"),
            self.tr("Quantization: %1").replace("%1", model.quantization or "?"),
        ]
        if model.parameters:
            facts.append(self.tr("Parameters: %1").replace("%1", format_count(model.parameters)))
        if model.context_length:
            facts.append(self.tr("Longest context: %1 tokens").replace("%1", str(model.context_length)))
        if model.memory_bytes:
            facts.append(self.tr("Needs about %1").replace("%1", format_bytes(model.memory_bytes)))
        facts.append(home_short(model.path))
        return "\n".join(facts)

    def _show_usage(self) -> None:
        try:
            usage = disk_usage()
        except OSError:
            self.usage.clear()
            return
        if usage.models_bytes:
            text = (
                self.tr("Downloaded models use %1 on disk; %2 free.")
                .replace("%1", format_bytes(usage.models_bytes))
                .replace("%2", format_bytes(usage.free_bytes))
            )
        else:  # "use 0 B" read like a fault
            text = self.tr("No models downloaded yet; %1 free on disk.").replace(
                "%1", format_bytes(usage.free_bytes)
            )
        if usage.partial_bytes:
            text += " " + self.tr("Unfinished downloads: %1.").replace(
                "%1", format_bytes(usage.partial_bytes)
            )
        if usage.other_bytes:
            text += " " + self.tr("Speech models and checkpoints: %1.").replace(
                "%1", format_bytes(usage.other_bytes)
            )
        self.usage.setText(text)

    def open_folder(self) -> None:
        folder = models_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def selected(self) -> LocalModel | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows else None

    def select_path(self, path: Path) -> None:
        for row, model in enumerate(self.models):
            if model.path == path:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        model = self.selected()
        self.load_button.setEnabled(model is not None and not model.problem)
        self.delete_button.setEnabled(model is not None and not model.builtin)
        self.unload_button.setEnabled(bool(self.loaded_path))

    def _load(self) -> None:
        model = self.selected()
        if model is None:
            return
        if model.problem:
            self._error(model.problem)
            return
        self.load_requested.emit(str(model.path))

    def delete_selected(self, confirm: bool = True) -> bool:
        model = self.selected()
        if model is None or model.builtin:
            return False
        if confirm:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Delete model"))
            box.setText(
                self.tr("Delete %1 (%2) from this computer?")
                .replace("%1", display_name(model.path))
                .replace("%2", format_bytes(model.size_bytes))
            )
            yes = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not yes:
                return False
        if self.loaded_path and Path(self.loaded_path) == model.path:
            self.unload_requested.emit()
            self.loaded_path = ""
        try:
            delete_model(model.name)
        except TomoshibiError as error:
            self._error(str(error))
            return False
        self.refresh()
        self.changed.emit()
        return True

    # --- import ------------------------------------------------------------------------------------
    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a GGUF model"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, source: Path) -> None:
        """Copy on a worker thread (models are gigabytes); the dialog stays responsive."""
        if self._thread is not None:
            return
        self.progress.setVisible(True)
        self.import_button.setEnabled(False)
        self._worker = _ImportWorker(source)
        self._worker.duplicate.connect(self._already_there)
        self._thread = start_worker(
            self, self._worker, done=self._imported, failed=self._error, finished=self._import_ended
        )

    def _imported(self, path: str) -> None:
        self.refresh()
        self.select_path(Path(path))
        self.changed.emit()

    def _already_there(self, path: str) -> None:
        message = self.tr("%1 is already in your models; nothing was copied.").replace(
            "%1", display_name(path)
        )
        self.last_notice = message
        self.hint.setText(message)

    def _import_ended(self) -> None:
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = None
        self.imports_finished.emit()

    def _error(self, message: str) -> None:
        self.last_error = message
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Model"), message, parent=self)
        box.setModal(False)
        box.show()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf") for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        for url in event.mimeData().urls():
            self.import_file(Path(url.toLocalFile()))
            break  # one at a time; the copy runs in the background
        event.acceptProposedAction()

    def retranslate(self) -> None:
        self.hint.setText(
            self.tr(
                "Models on this computer. Point at a row for its technical details; drop a .gguf file here to import it."
            )
        )
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Model"),
                self.tr("Used for"),
                self.tr("Languages"),
                self.tr("Size on disk"),
                self.tr("State"),
            ]
        )
        self.import_button.setText(self.tr("Import GGUF…"))
        self.delete_button.setText(self.tr("Delete…"))
        self.folder_button.setText(self.tr("Open folder"))
        self.unload_button.setText(self.tr("Unload"))
        self.load_button.setText(self.tr("Use in chat"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)


class ModelManager(QDialog):
    """The Installed view in a dialog of its own; attributes and signals are the view's."""

    def __init__(self, loaded_path: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        self.view = InstalledView(loaded_path, self)
        layout.addWidget(self.view)
        self.view.load_requested.connect(self.accept)
        self.setAcceptDrops(True)
        self.setWindowTitle(self.tr("Models"))

    def __getattr__(self, name: str) -> object:
        # Only reached for names the dialog does not have: the view's table, buttons and signals.
        return getattr(self.__dict__.get("view") or super().__getattribute__("view"), name)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        self.view.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.view.dropEvent(event)
