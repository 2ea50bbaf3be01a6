"""Local models: size, quantization and whether each fits this machine; load, unload, import a GGUF
(file dialog or drag and drop), delete with confirmation."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
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
from models.library import LocalModel, delete_model, import_model, list_models
from models.units import format_bytes

from .threads import start_worker

log = logging.getLogger(__name__)


def local_models() -> list[LocalModel]:
    """The built-in model, then every GGUF in the models folder (``models.library``: cached headers,
    memory need and whether it fits now)."""
    return list_models()


class _ImportWorker(QObject):
    done = Signal(str)
    failed = Signal(str)

    def __init__(self, source: Path) -> None:
        super().__init__()
        self.source = source

    def run(self) -> None:
        try:
            self.done.emit(str(import_model(self.source).path))
        except TomoshibiError as error:
            self.failed.emit(str(error))


class ModelManager(QDialog):
    load_requested = Signal(str)
    unload_requested = Signal()
    imports_finished = Signal()

    COLUMNS = 5

    def __init__(self, loaded_path: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loaded_path = loaded_path
        self.models: list[LocalModel] = []
        self.setAcceptDrops(True)
        self.resize(760, 420)
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
        self.unload_button, self.load_button, self.close_button = QPushButton(), QPushButton(), QPushButton()
        self.import_button.clicked.connect(self._choose_import)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.load_button.clicked.connect(self._load)
        self.unload_button.clicked.connect(self.unload_requested)
        self.close_button.clicked.connect(self.accept)
        for button in (self.import_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        for button in (self.unload_button, self.load_button, self.close_button):
            row.addWidget(button)
        layout.addLayout(row)
        self._thread: QThread | None = None
        self.last_error = ""
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        self.models = local_models()
        self.table.setRowCount(len(self.models))
        for row, model in enumerate(self.models):
            name = (model.display_name or model.name) + ("  " + self.tr("(bundled)") if model.builtin else "")
            if self.loaded_path and model.path == Path(self.loaded_path):
                name += "  ● " + self.tr("loaded")
            if model.fits is None:
                fits = "?"
            else:
                fits = self.tr("Yes") if model.fits else self.tr("No")
            cells = [name, format_bytes(model.size_bytes), model.quantization or "?", model.architecture or "?", fits]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(model.problem or str(model.path))
                if col == 4 and model.memory_bytes:
                    item.setToolTip(self.tr("Needs about %1").replace("%1", format_bytes(model.memory_bytes)))
                if col == 4 and model.fits is False:
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._update_buttons()

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
        self.accept()

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
                .replace("%1", model.path.name)
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
        self._thread = start_worker(
            self, self._worker, done=self._imported, failed=self._error, finished=self._import_ended
        )

    def _imported(self, path: str) -> None:
        self.refresh()
        self.select_path(Path(path))

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
        self.setWindowTitle(self.tr("Models"))
        self.hint.setText(self.tr("Models on this computer. Drop a .gguf file here to import it."))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Model"),
                self.tr("Size"),
                self.tr("Quantization"),
                self.tr("Architecture"),
                self.tr("Fits"),
            ]
        )
        self.import_button.setText(self.tr("Import GGUF…"))
        self.delete_button.setText(self.tr("Delete…"))
        self.unload_button.setText(self.tr("Unload"))
        self.load_button.setText(self.tr("Load"))
        self.close_button.setText(self.tr("Close"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)
