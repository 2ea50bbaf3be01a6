"""A one-line notice under an answer when the user wrote Japanese to a model that does not list
Japanese (by its catalog entry or its GGUF metadata), offering the recommended model. Dismissed once,
it stays dismissed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from models.catalog import CatalogEntry
from models.recommend import looks_japanese, model_speaks
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .library_prefs import flag, set_flag

DISMISSED = "japanese_notice_dismissed"


class LanguageNotice(RetranslateOnLanguageChange, QFrame):
    get_requested = Signal(object)  # CatalogEntry
    dismissed = Signal()

    def __init__(self, entry: CatalogEntry | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.setObjectName("language_notice")
        self.setStyleSheet("QFrame#language_notice { border: 1px solid #b26a00; border-radius: 8px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.get_button = QPushButton()
        self.get_button.clicked.connect(lambda: self.get_requested.emit(self.entry))
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self._dismiss)
        row.addWidget(self.text, 1)
        row.addWidget(self.get_button)
        row.addWidget(self.close_button)
        self.retranslate()

    def _dismiss(self) -> None:
        set_flag(DISMISSED)
        self.dismissed.emit()
        self.hide()
        self.deleteLater()

    def retranslate(self) -> None:
        self.text.setText(
            self.tr("This model was not trained for Japanese: its answers may be wrong or in English.")
        )
        self.close_button.setToolTip(self.tr("Do not show this again"))
        if self.entry is None:
            self.get_button.hide()
        else:
            self.get_button.setText(
                self.tr("Get %1 (%2)")
                .replace("%1", self.entry.name)
                .replace("%2", format_bytes(self.entry.size_bytes))
            )


def should_notify(user_text: str, model_path: str, entries: Sequence[CatalogEntry] | None = None) -> bool:
    """Japanese to a model not known to speak it, and the user has not dismissed the notice."""
    if not model_path or flag(DISMISSED) or not looks_japanese(user_text):
        return False
    return model_speaks(model_path, "ja", entries) is not True


class NoticeHook:
    """Watches the chat's answers and places the notice under the one that needs it."""

    def __init__(self, controller, view, recommended: Callable[[], CatalogEntry | None],
                 entries: Sequence[CatalogEntry], on_get: Callable[[CatalogEntry], None]) -> None:  # fmt: skip
        self.controller, self.view = controller, view
        self.recommended, self.entries, self.on_get = recommended, entries, on_get
        self.notice: LanguageNotice | None = None
        controller.reply_finished.connect(self._answered)
        controller.conversation_opened.connect(lambda _id: self.remove())

    def remove(self) -> None:
        if self.notice is not None:
            self.notice.hide()
            self.notice.deleteLater()
            self.notice = None

    def _answered(self, _event: object) -> None:
        users = [m for m in self.view.messages if m.role == "user"]
        if not users or not should_notify(users[-1].content, self.controller.model_path, self.entries):
            return
        self.remove()
        entry = self.recommended()
        notice = LanguageNotice(entry)
        notice.get_requested.connect(self.on_get)
        notice.dismissed.connect(lambda: setattr(self, "notice", None))
        self.notice = notice
        self.view.add_below_messages(notice)
        notice.show()
