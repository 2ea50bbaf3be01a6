"""Prompt presets: list, edit and save them; see each one's version and its history with diffs.

The files in ``presets_dir()`` are the source of truth (``models.presets``); this widget only edits
them. Every save that changes something makes the next version, and the history list shows every
recorded version; choosing one shows its diff against the current version and can restore it.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models import presets
from models.errors import ConfigError, TomoshibiError
from models.events import SamplingParams
from models.presets import Preset

from .i18n import RetranslateOnLanguageChange
from .theme import form_layout

NAME_ROLE = 256  # Qt.UserRole
_DEFAULTS = SamplingParams()  # the sampling defaults shown when a preset sets none


class PresetsView(RetranslateOnLanguageChange, QWidget):
    saved = Signal(str, int)  # name, version
    failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: Preset | None = None
        self.list = QListWidget()
        self.list.currentItemChanged.connect(self._on_chosen)
        self.name = QLineEdit()
        self.description = QLineEdit()
        self.system = QPlainTextEdit()
        self.user_template = QLineEdit()
        self.variables = QPlainTextEdit()
        self.variables.setPlaceholderText("recipient = ご担当者様")
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.05)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 32768)
        self.json_mode = QCheckBox()
        self.schema = QPlainTextEdit()
        self.version = QLabel()
        self.history = QListWidget()
        self.history.currentItemChanged.connect(self._on_history_chosen)
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.new_button, self.save_button, self.delete_button = QPushButton(), QPushButton(), QPushButton()
        self.import_button, self.export_button, self.restore_button = (
            QPushButton(),
            QPushButton(),
            QPushButton(),
        )
        self.new_button.clicked.connect(self.new_preset)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self._import)
        self.export_button.clicked.connect(self._export)
        self.restore_button.clicked.connect(self.restore_selected_version)

        self.form = form_layout()
        self._labels = [QLabel() for _ in range(9)]
        for label, field in zip(
            self._labels,
            (
                self.name,
                self.description,
                self.system,
                self.user_template,
                self.variables,
                self.temperature,
                self.max_tokens,
                self.json_mode,
                self.schema,
            ),
            strict=True,
        ):
            self.form.addRow(label, field)
        self.form.addRow(self.version)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.save_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        ):
            buttons.addWidget(button)
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(self.form)
        editor_layout.addLayout(buttons)
        editor_layout.addWidget(self.status)
        history = QWidget()
        history_layout = QVBoxLayout(history)
        self.history_label = QLabel()
        history_layout.addWidget(self.history_label)
        history_layout.addWidget(self.history, 1)
        history_layout.addWidget(self.diff, 2)
        history_layout.addWidget(self.restore_button)
        splitter = QSplitter()
        for part in (self.list, editor, history):
            splitter.addWidget(part)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        texts = [
            self.tr("Name"),
            self.tr("Description"),
            self.tr("System prompt"),
            self.tr("User message"),
            self.tr("Variables"),
            self.tr("Temperature"),
            self.tr("Max tokens"),
            self.tr("JSON mode"),
            self.tr("JSON schema"),
        ]
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.user_template.setToolTip(
            self.tr("{{input}} is replaced by what you type; {{name}} by a variable.")
        )
        self.new_button.setText(self.tr("New"))
        self.save_button.setText(self.tr("Save"))
        self.delete_button.setText(self.tr("Delete"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self.restore_button.setText(self.tr("Restore this version"))
        self.history_label.setText(self.tr("History"))
        self._show_version()

    # ---- list ----------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        select = select or (self._current.name if self._current else None)
        self.list.blockSignals(True)
        self.list.clear()
        for preset in presets.list_presets():
            item = QListWidgetItem(f"{preset.name}  v{preset.version}")
            item.setData(NAME_ROLE, preset.name)
            self.list.addItem(item)
            if preset.name == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._on_chosen(self.list.currentItem(), None)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        try:
            self.show_preset(presets.get_preset(str(item.data(NAME_ROLE))))
        except TomoshibiError as error:
            self._fail(str(error))

    def show_preset(self, preset: Preset) -> None:
        self._current = preset
        self.name.setText(preset.name)
        self.description.setText(preset.description)
        self.system.setPlainText(preset.system)
        self.user_template.setText(preset.user_template)
        self.variables.setPlainText("\n".join(f"{k} = {v}" for k, v in preset.variables.items()))
        self.temperature.setValue(float(preset.sampling_options.get("temperature", _DEFAULTS.temperature)))
        self.max_tokens.setValue(int(preset.sampling_options.get("max_tokens", _DEFAULTS.max_tokens)))
        self.json_mode.setChecked(preset.json_mode)
        self.schema.setPlainText(
            json.dumps(preset.json_schema, ensure_ascii=False, indent=2) if preset.json_schema else ""
        )
        self._show_version()
        self.history.blockSignals(True)
        self.history.clear()
        for old in reversed(presets.history(preset.name)) if preset.name else []:
            item = QListWidgetItem(f"v{old.version}  {old.updated}")
            item.setData(NAME_ROLE, old.version)
            self.history.addItem(item)
        self.history.blockSignals(False)
        self.diff.clear()

    def _show_version(self) -> None:
        if self._current is not None and self._current.name:
            self.version.setText(self.tr("Version %1").replace("%1", str(self._current.version)))
        else:
            self.version.setText(self.tr("Not saved yet"))

    # ---- editing -------------------------------------------------------------------------------
    def edited_preset(self) -> Preset:
        """The preset as the form shows it (ConfigError when a field cannot be read)."""
        variables = {}
        for number, line in enumerate(self.variables.toPlainText().splitlines(), 1):
            if not line.strip():
                continue
            key, sep, value = line.partition("=")
            if not sep or not key.strip():
                raise ConfigError(
                    f"Variables line {number} is not 'name = value'.", "Write one variable per line."
                )
            variables[key.strip()] = value.strip()
        schema_text = self.schema.toPlainText().strip()
        try:
            schema = json.loads(schema_text) if schema_text else None
        except json.JSONDecodeError as error:
            raise ConfigError(
                f"The JSON schema does not parse ({error.msg}, line {error.lineno}).",
                "Fix the schema or clear it.",
            ) from None
        base = self._current or Preset(name="")
        sampling = dict(base.sampling_options)
        # A setting the file does not have is only written when the user moved it off the default shown.
        for key, value, shown in (
            ("temperature", round(self.temperature.value(), 3), _DEFAULTS.temperature),
            ("max_tokens", self.max_tokens.value(), _DEFAULTS.max_tokens),
        ):
            if key in sampling or value != shown:
                sampling[key] = value
        return replace(
            base,
            name=self.name.text().strip(),
            description=self.description.text(),
            system=self.system.toPlainText(),
            user_template=self.user_template.text() or "{{input}}",
            variables=variables,
            sampling_options=sampling,
            json_mode=self.json_mode.isChecked(),
            json_schema=schema,
        )

    @Slot()
    def save(self) -> Preset | None:
        try:
            edited = self.edited_preset()
            old_name = self._current.name if self._current else ""
            if old_name and edited.name != old_name and presets.history(old_name):
                presets.rename_preset(old_name, edited.name)
            preset = presets.save_preset(edited)
        except TomoshibiError as error:
            self._fail(str(error))
            return None
        self.status.setText(
            self.tr("Saved %1 as version %2.").replace("%1", preset.name).replace("%2", str(preset.version))
        )
        self._current = preset
        self.reload(select=preset.name)
        self.saved.emit(preset.name, preset.version)
        return preset

    @Slot()
    def new_preset(self) -> None:
        self.list.clearSelection()
        self.show_preset(Preset(name=""))
        self.name.setFocus()

    @Slot()
    def delete(self) -> None:
        if self._current is None or not self._current.name:
            return
        try:
            presets.delete_preset(self._current.name)
        except TomoshibiError as error:
            self._fail(str(error))
            return
        self._current = None
        self.reload()

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_history_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None or self._current is None:
            return
        version = int(item.data(NAME_ROLE))
        text = presets.diff(self._current.name, version, self._current.version)
        self.diff.setPlainText(text or self.tr("This is the current version."))

    @Slot()
    def restore_selected_version(self) -> None:
        """Put the chosen old version in the form; saving it makes it the newest version."""
        item = self.history.currentItem()
        if item is None or self._current is None:
            return
        old = presets.get_version(self._current.name, int(item.data(NAME_ROLE)))
        current = self._current
        self.show_preset(replace(old, name=current.name, version=current.version))
        self._current = current

    @Slot()
    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a preset"), "", self.tr("Presets (*.toml)")
        )
        if path:
            try:
                preset = presets.import_preset(path)
            except TomoshibiError as error:
                self._fail(str(error))
                return
            self.reload(select=preset.name)

    @Slot()
    def _export(self) -> None:
        if self._current is None or not self._current.name:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the preset"), f"{self._current.name}.toml", self.tr("Presets (*.toml)")
        )
        if path:
            presets.export_preset(self._current.name, path)

    def _fail(self, message: str) -> None:
        self.status.setText(message)
        self.failed.emit(message)
