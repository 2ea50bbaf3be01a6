"""Preferences (Cmd/Ctrl+,): language, the send key, context length; voice input; the local API server.
Applied at once, no restart."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .i18n import RetranslateOnLanguageChange
from .input_box import command_key
from .other_computers_page import OtherComputersPage
from .settings import AppSettings
from .settings_pages import ApiPage, VoicePage
from .theme import form_layout, set_role

# Language names are written in their own language so a user who cannot read the current UI finds theirs.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


class SettingsDialog(RetranslateOnLanguageChange, QDialog):
    applied = Signal()

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        layout = QVBoxLayout(self)
        form = form_layout()
        self.language = QComboBox()
        self.appearance = QComboBox()
        self.send_key = QComboBox()
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(256, 131072)
        self.n_ctx.setSingleStep(1024)
        self.language_caption, self.send_caption, self.ctx_caption = QLabel(), QLabel(), QLabel()
        self.appearance_caption = QLabel()
        form.addRow(self.language_caption, self.language)
        form.addRow(self.appearance_caption, self.appearance)
        form.addRow(self.send_caption, self.send_key)
        form.addRow(self.ctx_caption, self.n_ctx)
        self.ctx_note = QLabel()
        self.ctx_note.setWordWrap(True)
        set_role(self.ctx_note, "muted")
        general = QWidget()
        general_layout = QVBoxLayout(general)
        general_layout.addLayout(form)
        general_layout.addWidget(self.ctx_note)
        general_layout.addStretch(1)
        self.voice_page = VoicePage(settings)
        self.api_page = ApiPage(settings)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, "")
        self.tabs.addTab(self.voice_page, "")
        self.tabs.addTab(self.api_page, "")
        self.other_computers_page = OtherComputersPage()
        self.tabs.addTab(self.other_computers_page, "")
        layout.addWidget(self.tabs)
        self.setMinimumWidth(520)  # room for the API page's hints and long microphone names
        # Room for the pages' explanations without scrolling (the Other computers page scrolls when
        # its details are open); still inside a 900x600 screen.
        self.resize(680, 540)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._load()

    def _load(self) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(self.settings.language)))
        self.send_key.setCurrentIndex(max(0, self.send_key.findData(self.settings.send_key)))
        self.appearance.setCurrentIndex(max(0, self.appearance.findData(self.settings.theme)))
        self.n_ctx.setValue(self.settings.n_ctx)

    def apply(self) -> None:
        self.settings.language = str(self.language.currentData())
        self.settings.send_key = str(self.send_key.currentData())
        self.settings.theme = str(self.appearance.currentData())
        self.settings.n_ctx = self.n_ctx.value()
        self.voice_page.save()
        self.api_page.save()
        self.other_computers_page.save()
        self.applied.emit()

    def accept(self) -> None:
        self.apply()
        super().accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.tabs.setTabText(0, self.tr("General"))
        self.tabs.setTabText(1, self.tr("Voice input"))
        self.tabs.setTabText(2, self.tr("Local API server"))
        self.tabs.setTabText(3, self.tr("Other computers"))
        self.language_caption.setText(self.tr("Language"))
        self.appearance_caption.setText(self.tr("Appearance"))
        self.send_caption.setText(self.tr("Send with"))
        self.ctx_caption.setText(self.tr("Context length"))
        self.n_ctx.setSuffix(self.tr(" tokens"))  # a bare 4096 said nothing of what it counts
        self.ctx_note.setText(
            self.tr(
                "A longer context remembers more of the conversation but needs more memory. It applies the next time a model loads."
            )
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setText(self.tr("Apply"))
        lang, send = self.language.currentData(), self.send_key.currentData()
        look = self.appearance.currentData()
        self.appearance.clear()
        self.appearance.addItem(self.tr("Same as the system"), "system")
        self.appearance.addItem(self.tr("Light"), "light")
        self.appearance.addItem(self.tr("Dark"), "dark")
        if look is not None:
            self.appearance.setCurrentIndex(max(0, self.appearance.findData(look)))
        self.language.clear()
        self.language.addItem(self.tr("System default"), "system")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.send_key.clear()
        self.send_key.addItem(self.tr("Enter (Shift+Enter for a new line)"), "enter")
        self.send_key.addItem(
            self.tr("%1+Enter (Enter for a new line)").replace("%1", command_key()), "ctrl_enter"
        )
        if lang is not None:
            self.language.setCurrentIndex(max(0, self.language.findData(lang)))
            self.send_key.setCurrentIndex(max(0, self.send_key.findData(send)))
