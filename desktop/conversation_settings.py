"""Per-conversation settings: system prompt (with saved presets) and sampling."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
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

from models.conversations import ConversationStore
from models.events import SamplingParams

# name → (default, minimum, maximum, step); ints for integer settings
SAMPLING_FIELDS: dict[str, tuple[float, float, float, float]] = {
    "temperature": (0.7, 0.0, 2.0, 0.05),
    "top_p": (0.95, 0.0, 1.0, 0.01),
    "top_k": (40, 0, 200, 1),
    "repeat_penalty": (1.1, 1.0, 2.0, 0.01),
    "max_tokens": (512, 1, 32768, 64),
}


def sampling_params(sampling: dict[str, Any]) -> SamplingParams:
    """SamplingParams from a conversation's stored settings; unknown keys are ignored."""
    allowed = set(SamplingParams.__dataclass_fields__)
    kwargs = {k: v for k, v in sampling.items() if k in allowed}
    if "stop" in kwargs:
        kwargs["stop"] = tuple(kwargs["stop"])
    return SamplingParams(**kwargs)


class ConversationSettings(QGroupBox):
    changed = Signal(str, dict)  # system prompt, sampling

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._loading = False
        self._extra: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        self.prompt_caption = QLabel()
        presets_row = QHBoxLayout()
        self.presets = QComboBox()
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
        form = QFormLayout()
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
        if self.store.closed:  # the window was closed; nothing to show
            return
        self.presets.clear()
        self.presets.addItem(self.tr("Presets…"), None)
        for preset in self.store.presets():
            self.presets.addItem(preset.name, preset.prompt)

    def _preset_chosen(self, index: int) -> None:
        prompt = self.presets.itemData(index)
        if prompt is not None:
            self.system_prompt.setPlainText(prompt)
        self.presets.setCurrentIndex(0)

    def save_preset(self, name: str | None = None) -> None:
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Save preset"), self.tr("Preset name:"))
            if not ok:
                return
        if name.strip():
            self.store.save_preset(name, self.system_prompt.toPlainText())
            self.reload_presets()

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

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
