"""The licence a model's download needs accepted first, with a link to read it (the catalog's cards and
the documents' embedding offer both ask through the library)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from models.catalog import CatalogEntry


class LicenceDialog(QDialog):
    """A licence to accept before the download starts, with a link to read it."""

    def __init__(self, entry: CatalogEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setWindowTitle(self.tr("Licence of %1").replace("%1", entry.name))
        layout = QVBoxLayout(self)
        text = QLabel()
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setOpenExternalLinks(True)
        url = entry.licence_url or entry.hub_url or ""
        body = (
            self.tr(
                "%1 is published under the %2 licence. Read it before you download the model; by downloading you accept its terms."
            )
            .replace("%1", entry.name)
            .replace("%2", entry.licence)
        )
        link = self.tr("Read the licence")
        text.setText(f"<p>{body}</p><p><a href='{url}'>{link}</a></p>")
        if entry.gated:
            note = QLabel(
                self.tr(
                    "The hub also asks you to accept it on the model's page and to sign in with an access token."
                )
            )
            note.setWordWrap(True)
            layout.addWidget(text)
            layout.addWidget(note)
        else:
            layout.addWidget(text)
        self.text = text
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(
            self.tr("Accept and download"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 200)
