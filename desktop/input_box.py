"""The message box: Enter sends, Shift+Enter is a newline (or the reverse), Ctrl/Cmd+Enter always
sends, and Enter while an input method is composing (Japanese kana→kanji) only confirms the text."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from .i18n import RetranslateOnLanguageChange

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def command_key() -> str:
    """How this platform names the shortcut modifier: ⌘ on a Mac, Ctrl elsewhere."""
    return "⌘" if sys.platform == "darwin" else "Ctrl"


class InputBox(RetranslateOnLanguageChange, QPlainTextEdit):
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None, send_key: str = "enter") -> None:
        super().__init__(parent)
        self.send_key = send_key  # "enter": Enter sends; "ctrl_enter": Enter inserts a newline
        self._preedit = ""
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.retranslate()
        self._fit()

    @property
    def composing(self) -> bool:
        """True while an input method shows uncommitted (pre-edit) text."""
        return bool(self._preedit)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802 (Qt naming)
        self._preedit = event.preeditString()
        super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in _ENTER_KEYS:
            if self.composing:
                # The input method owns this Enter (it confirms the conversion); never send.
                event.accept()
                return
            mods = event.modifiers()
            command = bool(mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.MetaModifier))
            shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
            if command or (self.send_key == "enter" and not shift):
                event.accept()
                self.submit()
                return
            if self.send_key == "enter" and shift:
                self.insertPlainText("\n")
                event.accept()
                return
        super().keyPressEvent(event)

    def submit(self) -> None:
        text = self.toPlainText().strip()
        if not text:
            return
        self.clear()
        self.submitted.emit(text)

    def _fit(self, *_: object) -> None:
        # Grow with the text from one to eight lines, then scroll.
        lines = max(1, min(8, int(self.document().size().height())))
        line_height = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        self.setFixedHeight(lines * line_height + margins + 2 * int(self.document().documentMargin()) + 4)

    def retranslate(self) -> None:
        if self.send_key == "enter":
            hint = self.tr("Message (Enter to send, Shift+Enter for a new line)")
        else:
            hint = self.tr("Message (%1+Enter to send, Enter for a new line)").replace("%1", command_key())
        self.setPlaceholderText(hint)

    def set_send_key(self, send_key: str) -> None:
        self.send_key = send_key
        self.retranslate()
