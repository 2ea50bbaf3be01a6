"""The chat header's model picker: the conversation's model, switchable, loading in the background.

Entries come from providers (a list of ``PickerEntry``: id, display name, kind), so other kinds of
models (a remote OpenAI-compatible server, for example) can be offered beside the local files by
adding a provider; ``chosen`` says which entry and of what kind the user picked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from .i18n import RetranslateOnLanguageChange


@dataclass(frozen=True)
class PickerEntry:
    id: str  # what loading needs: a local file's path, a remote model's id
    name: str  # shown in the list
    kind: str  # "local", or a provider's own kind ("remote")


class ModelProvider(Protocol):
    def entries(self) -> list[PickerEntry]: ...


class LocalModels:
    """Chat models on this computer (the bundled one first), by their one display name."""

    def entries(self) -> list[PickerEntry]:
        from models.library import list_models
        from models.model_names import display_name

        return [
            PickerEntry(str(m.path), display_name(m.path), "local")
            for m in list_models()
            if m.kind == "chat" and not m.problem
        ]


class ModelPicker(RetranslateOnLanguageChange, QWidget):
    chosen = Signal(str, str)  # entry id, kind
    library_requested = Signal()

    def __init__(self, parent: QWidget | None = None, populate: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("model_picker")
        self.providers: list[ModelProvider] = [LocalModels()]
        self.current_id = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 12, 0)
        self.label = QLabel()
        self.combo = QComboBox()
        self.combo.setMinimumWidth(260)
        self.combo.activated.connect(self._activated)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # llama.cpp reports no load progress: a busy bar while it loads
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(10)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.library_button = QPushButton()
        self.library_button.clicked.connect(self.library_requested)
        layout.addWidget(self.label)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(0)
        layout.addWidget(self.library_button)
        self.entries: list[PickerEntry] = []
        self.retranslate()
        if populate:
            self.refresh()

    def add_provider(self, provider: ModelProvider) -> None:
        self.providers.append(provider)
        self.refresh()

    def refresh(self) -> None:
        entries: list[PickerEntry] = []
        for provider in self.providers:
            entries.extend(provider.entries())
        if self.current_id and all(e.id != self.current_id for e in entries):
            # A model loaded from elsewhere (a path on the command line) is still shown as current.
            from models.model_names import display_name

            entries.insert(0, PickerEntry(self.current_id, display_name(self.current_id), "local"))
        self.entries = entries
        self.combo.blockSignals(True)
        self.combo.clear()
        for entry in entries:
            self.combo.addItem(entry.name, entry.id)
        self._select(self.current_id)
        self.combo.blockSignals(False)

    def _select(self, entry_id: str) -> None:
        index = self.combo.findData(entry_id)
        self.combo.setCurrentIndex(index)

    def set_current(self, entry_id: str) -> None:
        self.current_id = entry_id
        if entry_id and self.combo.findData(entry_id) < 0:
            from models.model_names import display_name

            # Not in the list (yet): shown at once without reading every model's header.
            self.entries.insert(0, PickerEntry(entry_id, display_name(entry_id), "local"))
            self.combo.insertItem(0, self.entries[0].name, entry_id)
        self.combo.blockSignals(True)
        self._select(entry_id)
        self.combo.blockSignals(False)

    def set_loading(self, loading: bool, failed: bool = False) -> None:
        self.progress.setVisible(loading)
        self.status.setText(self.tr("Loading…") if loading else (self.tr("Could not load") if failed else ""))

    def choose(self, entry_id: str) -> None:
        """Pick an entry as the user would (tests, and the welcome's "use" button)."""
        index = self.combo.findData(entry_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)
            self._activated(index)

    def _activated(self, index: int) -> None:
        if not 0 <= index < len(self.entries):
            return
        entry = self.entries[index]
        if entry.id != self.current_id:
            self.current_id = entry.id
            self.chosen.emit(entry.id, entry.kind)

    def retranslate(self) -> None:
        self.label.setText(self.tr("Model:"))
        self.library_button.setText(self.tr("Model library…"))
        self.combo.setToolTip(
            self.tr("The model this conversation uses. Pick another to switch; it loads in the background.")
        )
