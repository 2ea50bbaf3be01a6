"""The Help menu: About (version, the licences of the bundled models), keyboard shortcuts, and the data
folder and the log file opened in the system's file manager / editor. Also where the desktop app's
log file lives (``start_file_log``), so "Open log" has something to show."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from models.paths import data_dir

from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .theme import Space, set_role

log = logging.getLogger(__name__)

# The models that ship inside the app, with the licence each is distributed under.
BUNDLED_MODELS = (
    (
        "SmolLM2-135M-Instruct",
        "Apache License 2.0",
        "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct",
    ),
    ("Whisper base", "MIT License", "https://github.com/openai/whisper"),
)


def log_path() -> Path:
    return data_dir() / "logs" / "tomoshibi.log"


def start_file_log() -> Path:
    """Also write the app's log (warnings and up) to ``log_path()``, rotated at 1 MB."""
    path = log_path()
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError as error:  # a read-only data folder: the app works without a log file
        log.warning("no log file: %s", error)
        return path
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def _open(path: Path) -> None:
    if path.is_file() or path.is_dir():
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class AboutDialog(RetranslateOnLanguageChange, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from models import __version__

        self.version = __version__
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.S)
        self.name = set_role(QLabel(), "heading")
        self.version_label = set_role(QLabel(), "muted")
        self.blurb = QLabel()
        self.blurb.setWordWrap(True)
        self.models_title = set_role(QLabel(), "section")
        self.models = QLabel()
        self.models.setOpenExternalLinks(True)
        self.models.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        for widget in (self.name, self.version_label, self.blurb, self.models_title, self.models):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About Tomoshibi"))
        self.name.setText(self.tr("Tomoshibi"))
        self.version_label.setText(self.tr("Version %1").replace("%1", self.version))
        self.blurb.setText(
            self.tr(
                "An assistant that runs entirely on this computer. Conversations, documents and voice never leave it."
            )
        )
        self.models_title.setText(self.tr("Bundled models and their licences"))
        rows = "".join(
            f"<li>{name} — <a href='{url}'>{licence}</a></li>" for name, licence, url in BUNDLED_MODELS
        )
        self.models.setText(f"<ul style='margin-left:-20px'>{rows}</ul>")
        self.close_button.setText(self.tr("Close"))


class ShortcutsDialog(RetranslateOnLanguageChange, QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(Space.XL)
        self.grid.setVerticalSpacing(Space.S)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.retranslate()

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, what they do), Ctrl written as the platform's command key."""
        return [
            ("Ctrl+N", self.tr("New chat")),
            ("Enter", self.tr("Send the message (Shift+Enter: new line)")),
            ("Esc", self.tr("Stop generating")),
            ("Ctrl+Shift+L", self.tr("Show or hide the conversation list")),
            ("Ctrl+Shift+A", self.tr("Show or hide the advanced settings")),
            ("Ctrl+Shift+D", self.tr("Documents")),
            ("Ctrl+Shift+M", self.tr("Models")),
            ("Ctrl+,", self.tr("Settings")),
            ("Ctrl+Q", self.tr("Quit")),
        ]

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        from .input_box import command_key

        for row, (keys, what) in enumerate(self.shortcuts()):
            key_label = QLabel(f"<b>{keys.replace('Ctrl', command_key())}</b>")
            self.grid.addWidget(key_label, row, 0)
            self.grid.addWidget(QLabel(what), row, 1)
        self.close_button.setText(self.tr("Close"))


class HelpMenu(RetranslateOnLanguageChange, QMenu):
    """Help → About, Keyboard shortcuts, Open data folder, Open log."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.about_action = QAction(self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        self.shortcuts_action = QAction(self)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.data_action = QAction(icon("folder-open"), "", self)
        self.data_action.triggered.connect(lambda: _open(data_dir()))
        self.log_action = QAction(self)
        self.log_action.triggered.connect(lambda: _open(log_path()))
        self.addAction(self.shortcuts_action)
        self.addSeparator()
        self.addAction(self.data_action)
        self.addAction(self.log_action)
        self.addSeparator()
        self.addAction(self.about_action)
        self.aboutToShow.connect(lambda: self.log_action.setEnabled(log_path().is_file()))
        self.retranslate()

    def show_about(self) -> None:
        self.about_dialog = AboutDialog(self._window)
        self.about_dialog.open()

    def show_shortcuts(self) -> None:
        self.shortcuts_dialog = ShortcutsDialog(self._window)
        self.shortcuts_dialog.open()

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("About Tomoshibi"))
        self.shortcuts_action.setText(self.tr("Keyboard shortcuts"))
        self.data_action.setText(self.tr("Open the data folder"))
        self.log_action.setText(self.tr("Open the log file"))
