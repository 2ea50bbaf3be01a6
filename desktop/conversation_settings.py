"""Per-conversation settings: system prompt (from a prompt preset file, or typed) and sampling.

Presets are the versioned TOML files of ``models.presets`` (the source of truth, shared with the API,
the CLI and the presets window). Choosing one fills the system prompt and the sampling settings and
records ``preset`` and ``preset_version`` in the conversation's settings (``models.turn.preset_settings``),
so it stays known which wording a conversation used; ``models.turn`` applies its user template and
JSON mode to every turn. This widget only shows and edits them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import presets
from models.conversations import ConversationStore
from models.errors import TomoshibiError
from models.events import SamplingParams
from models.turn import PRESET_KEYS, conversation_preset, preset_settings, preset_to_save

from .i18n import RetranslateOnLanguageChange
from .theme import form_layout

# name → (default, minimum, maximum, step); ints for integer settings. Defaults are SamplingParams'.
_D = SamplingParams()
SAMPLING_FIELDS: dict[str, tuple[float, float, float, float]] = {
    "temperature": (_D.temperature, 0.0, 2.0, 0.05),
    "top_p": (_D.top_p, 0.0, 1.0, 0.01),
    "top_k": (_D.top_k, 0, 200, 1),
    "repeat_penalty": (_D.repeat_penalty, 1.0, 2.0, 0.01),
    "max_tokens": (_D.max_tokens, 1, 32768, 64),
}


class ConversationSettings(RetranslateOnLanguageChange, QGroupBox):
    changed = Signal(str, dict)  # system prompt, sampling
    preset_failed = Signal(str)  # a preset could not be read or saved (problem and fix)

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._loading = False
        self._extra: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        self.prompt_caption = QLabel()
        presets_row = QHBoxLayout()
        self.presets = QComboBox()
        # Preset names can be long; they must not widen the side panel (the popup shows them whole).
        self.presets.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.presets.setMinimumContentsLength(4)
        self.presets.activated.connect(self._preset_chosen)
        self.save_preset_button = QPushButton()
        self.save_preset_button.clicked.connect(self.save_preset)
        presets_row.addWidget(self.presets, 1)
        presets_row.addWidget(self.save_preset_button)
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setMaximumHeight(110)
        self.system_prompt.textChanged.connect(self._emit)
        layout.addWidget(self.prompt_caption)
        layout.addLayout(presets_row)
        layout.addWidget(self.system_prompt)
        form = form_layout()
        self.spins: dict[str, QDoubleSpinBox | QSpinBox] = {}
        self.captions: dict[str, QLabel] = {}
        for name, (default, low, high, step) in SAMPLING_FIELDS.items():
            spin: QDoubleSpinBox | QSpinBox
            if isinstance(default, int):
                spin = QSpinBox()
                spin.setRange(int(low), int(high))
                spin.setSingleStep(int(step))
                spin.setValue(int(default))
            else:
                spin = QDoubleSpinBox()
                spin.setDecimals(2)
                spin.setRange(low, high)
                spin.setSingleStep(step)
                spin.setValue(default)
            spin.valueChanged.connect(self._emit)
            self.spins[name] = spin
            self.captions[name] = QLabel()
            form.addRow(self.captions[name], spin)
        layout.addLayout(form)
        layout.addStretch(1)
        self.retranslate()

    def load(self, system_prompt: str, sampling: dict[str, Any]) -> None:
        """Show a conversation's settings without reporting them as changed."""
        self._loading = True
        self.system_prompt.setPlainText(system_prompt)
        self._extra = {k: v for k, v in sampling.items() if k not in SAMPLING_FIELDS}
        for name, (default, *_rest) in SAMPLING_FIELDS.items():
            self.spins[name].setValue(sampling.get(name, default))  # type: ignore[arg-type]
        self._show_current_preset()
        self._loading = False

    def sampling(self) -> dict[str, Any]:
        values: dict[str, Any] = dict(self._extra)
        for name, spin in self.spins.items():
            values[name] = spin.value()
        return values

    def _emit(self, *_: object) -> None:
        if not self._loading:
            self.changed.emit(self.system_prompt.toPlainText(), self.sampling())

    def reload_presets(self) -> None:
        """List the preset files; the conversation's own preset stays selected."""
        if self.store.closed:  # the window was closed; nothing to show
            return
        self.presets.clear()
        self.presets.addItem(self.tr("No preset"), None)
        try:
            found = presets.list_presets()
        except TomoshibiError as error:  # an unreadable presets folder: typed prompts still work
            self.presets.setToolTip(str(error))
            found = []
        for preset in found:
            self.presets.addItem(preset.name, preset.name)
        self._show_current_preset()

    def _show_current_preset(self) -> None:
        name = self._extra.get("preset")
        index = self.presets.findData(name) if name else 0
        if name and index < 0:  # its file was deleted or renamed: still say what the chat used
            self.presets.addItem(name, name)
            index = self.presets.count() - 1
        self.presets.setCurrentIndex(max(0, index))
        version = self._extra.get("preset_version")
        self.presets.setToolTip(self.tr("Version %1").replace("%1", str(version)) if name and version else "")

    def _preset_chosen(self, index: int) -> None:
        name = self.presets.itemData(index)
        if name is None:
            self.choose_preset(None)
            return
        try:
            preset = presets.resolve_preset(name)
        except TomoshibiError as error:
            self.preset_failed.emit(str(error))
            self._show_current_preset()
            return
        self.choose_preset(preset)

    def choose_preset(self, preset: presets.Preset | None) -> None:
        """Apply ``preset`` (None: none) to this conversation: prompt, sampling, JSON mode; saved at once."""
        extra = {k: v for k, v in self._extra.items() if k not in PRESET_KEYS}
        self._loading = True
        if preset is not None:
            system, values = preset_settings(preset)
            self.system_prompt.setPlainText(system)
            for name, (default, *_rest) in SAMPLING_FIELDS.items():
                self.spins[name].setValue(values.pop(name, default))  # type: ignore[arg-type]
            extra.update(values)
        self._extra = extra
        self._loading = False
        self._show_current_preset()
        self._emit()

    def save_preset(self, name: str | None = None) -> None:
        """Save the prompt and sampling shown as a preset file (a new version if the name exists)."""
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Save preset"), self.tr("Preset name:"))
            if not ok:
                return
        if not name.strip():
            return
        name = name.strip()
        try:
            try:
                existing: presets.Preset | None = presets.get_preset(name)
            except TomoshibiError:  # a new name: start from the conversation's preset, if it has one
                existing = conversation_preset(self._extra)
            saved = presets.save_preset(
                preset_to_save(name, self.system_prompt.toPlainText(), self.sampling(), existing)
            )
        except TomoshibiError as error:
            self.preset_failed.emit(str(error))
            return
        self._extra.update(preset=saved.name, preset_version=saved.version)
        self.reload_presets()
        self._emit()

    def retranslate(self) -> None:
        self.setTitle(self.tr("This conversation"))
        self.prompt_caption.setText(self.tr("System prompt"))
        self.system_prompt.setPlaceholderText(self.tr("How the assistant should behave (optional)"))
        self.save_preset_button.setText(self.tr("Save as preset…"))
        captions = {
            "temperature": self.tr("Temperature"),
            "top_p": self.tr("Top P"),
            "top_k": self.tr("Top K"),
            "repeat_penalty": self.tr("Repeat penalty"),
            "max_tokens": self.tr("Max tokens"),
        }
        for name, text in captions.items():
            self.captions[name].setText(text)
        self.reload_presets()
