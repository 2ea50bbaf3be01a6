"""What is loaded and how it runs: model, architecture, quantization, backend, GPU layers, context,
live tokens/s and memory. Buttons open the model manager and unload or reload."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.events import EngineInfo
from models.model_names import display_name
from models.quant_names import quant_from_filename
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .theme import form_layout


def quantization_of(path: str) -> str:
    """The quantization recorded in the GGUF (via models.gguf_info), else read from the file name."""
    try:
        from models.gguf_info import inspect_gguf

        info = inspect_gguf(path)
        for name in ("file_type", "quantization"):
            value = getattr(info, name, None)
            if isinstance(value, str) and value:
                return value
    except Exception:  # not written yet, or an unreadable file: the name is the next best source
        pass
    return quant_from_filename(Path(path).name) or "?"


class ModelPanel(RetranslateOnLanguageChange, QGroupBox):
    manage_requested = Signal()
    reload_requested = Signal()
    unload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info: EngineInfo | None = None
        self.state = "none"  # none | loading | ready | failed
        self._model_name = ""
        self._tps: float | None = None
        layout = QVBoxLayout(self)
        self.name_label = QLabel()
        self.name_label.setWordWrap(True)
        self.name_label.setStyleSheet("font-weight: bold;")
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        layout.addWidget(self.name_label)
        layout.addWidget(self.state_label)
        form = form_layout()
        self._form = form
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key in ("architecture", "quantization", "backend", "gpu_layers", "context", "speed", "memory"):
            caption, value = QLabel(), QLabel("—")
            self.captions[key], self.values[key] = caption, value
            form.addRow(caption, value)
        layout.addLayout(form)
        self.placement_label = QLabel()  # where the layers are, when other computers hold some
        self.placement_label.setWordWrap(True)
        self.placement_label.hide()
        layout.addWidget(self.placement_label)
        buttons = QHBoxLayout()
        self.manage_button = QPushButton()
        self.reload_button = QPushButton()
        self.unload_button = QPushButton()
        self.manage_button.clicked.connect(self.manage_requested)
        self.reload_button.clicked.connect(self.reload_requested)
        self.unload_button.clicked.connect(self.unload_requested)
        buttons.addWidget(self.manage_button)
        buttons.addWidget(self.reload_button)
        buttons.addWidget(self.unload_button)
        layout.addLayout(buttons)
        self.retranslate()

    def set_loading(self, path: str) -> None:
        self.state, self.info, self._tps = "loading", None, None
        self._model_name = display_name(path)
        self._refresh()

    def set_loaded(self, info: EngineInfo) -> None:
        self.state, self.info = "ready", info
        self._model_name = display_name(info.model_path)
        self.values["quantization"].setText(quantization_of(info.model_path))
        self._refresh()

    def set_failed(self) -> None:
        self.state, self.info = "failed", None
        self._refresh()

    def set_unloaded(self) -> None:
        self.state, self.info, self._tps = "none", None, None
        self._refresh()

    def set_tokens_per_second(self, value: float | None) -> None:
        self._tps = value
        self.values["speed"].setText(
            "—" if value is None else self.tr("%1 tokens/s").replace("%1", f"{value:.1f}")
        )

    def _refresh(self) -> None:
        info = self.info
        self.name_label.setText(self._model_name or self.tr("No model"))
        self.state_label.setText(
            {
                "none": self.tr("Not loaded"),
                "loading": self.tr("Loading…"),
                "ready": self.tr("Ready"),
                "failed": self.tr("Could not load"),
            }[self.state]
        )
        from .other_computers_page import placement_text

        self.placement_label.setText(placement_text(info) if info is not None else "")
        self.placement_label.setVisible(bool(info is not None and info.layer_placement))
        if info is None:
            for key, label in self.values.items():
                if key != "quantization" or self.state != "loading":
                    label.setText("—")
        else:
            self.values["architecture"].setText(info.architecture)
            self.values["backend"].setText(info.backend.upper() if info.backend != "cpu" else "CPU")
            self.values["gpu_layers"].setText(str(info.n_gpu_layers))
            self.values["context"].setText(self.tr("%1 tokens").replace("%1", f"{info.n_ctx:,}"))
            self.values["memory"].setText(format_bytes(info.memory_bytes))
        self.set_tokens_per_second(self._tps)
        self.reload_button.setEnabled(self.state in ("ready", "failed", "none"))
        self.unload_button.setEnabled(self.state == "ready")

    def retranslate(self) -> None:
        self.setTitle(self.tr("Model"))
        captions = {
            "architecture": self.tr("Architecture"),
            "quantization": self.tr("Quantization"),
            "backend": self.tr("Backend"),
            "gpu_layers": self.tr("GPU layers"),
            "context": self.tr("Context"),
            "speed": self.tr("Speed"),
            "memory": self.tr("Memory"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
        self.manage_button.setText(self.tr("Models…"))
        self.manage_button.setToolTip(self.tr("Local models: load, import, delete"))
        self.reload_button.setText(self.tr("Reload"))
        self.unload_button.setText(self.tr("Unload"))
        self._refresh()
