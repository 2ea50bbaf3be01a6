"""The conversation: one card per message (``message_widget``); only the streaming answer re-renders.

Files and folders dropped on it are offered to the chat as documents (``files_dropped``); a dropped
.gguf is left to the window, which imports models.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from models.turn import Source

from .i18n import RetranslateOnLanguageChange
from .message_widget import MarkdownView, MessageWidget

__all__ = ["ChatView", "MarkdownView", "MessageWidget"]

STREAM_RENDER_MS = 40  # the streaming answer is re-rendered at most this often, whatever the token rate
# How messages look (#message_user, #message_assistant, #role, #stats, #empty, #sources_summary,
# #sources_list, #passage) is in the app's stylesheet, desktop/theme.py, so it follows light and dark.


class ChatView(RetranslateOnLanguageChange, QScrollArea):
    """All messages of the open conversation, newest at the bottom."""

    edit_submitted = Signal(int, str)
    regenerate_requested = Signal(int)  # the answer's message id
    version_requested = Signal(int)  # the message id to show
    files_dropped = Signal(list)  # paths of files and folders dropped on the chat

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        container = QWidget()
        container.setObjectName("chat_container")
        self._layout = QVBoxLayout(container)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(10)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("empty")
        self._layout.addWidget(self.empty_label)
        self._empty: QWidget = self.empty_label  # what an empty chat shows (the welcome replaces it)
        self._layout.addStretch(1)
        self.setWidget(container)
        self.messages: list[MessageWidget] = []
        self._stream: MessageWidget | None = None
        self._stream_text: list[str] = []
        self._busy = False
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(STREAM_RENDER_MS)
        self._render_timer.timeout.connect(self._render_stream)
        self.verticalScrollBar().rangeChanged.connect(self._follow)
        self._at_bottom = True
        self.verticalScrollBar().valueChanged.connect(self._track_bottom)
        self.retranslate()

    def clear(self) -> None:
        for widget in self.messages:
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self.messages.clear()
        self._stream = None
        self._render_timer.stop()
        self._refresh()

    def add_message(
        self,
        role: str,
        content: str,
        message_id: int | None = None,
        tokens_per_second: float | None = None,
        finish_reason: str | None = "stop",
    ) -> MessageWidget:
        widget = MessageWidget(role, content, message_id)
        if role == "assistant":
            widget.set_stats(tokens_per_second, finish_reason)
        widget.edit_submitted.connect(self.edit_submitted)
        widget.regenerate_requested.connect(self.regenerate_requested)
        widget.version_requested.connect(self.version_requested)
        self._layout.insertWidget(self._layout.count() - 1, widget)
        self.messages.append(widget)
        self._at_bottom = True
        self._refresh()
        return widget

    # --- streaming -------------------------------------------------------------------------------
    def begin_stream(self, message_id: int | None = None, waiting: bool = False) -> MessageWidget:
        """A new answer being written (``waiting``: queued behind another conversation's answer)."""
        widget = self.add_message("assistant", "", message_id)
        return self.adopt_stream(widget, "", waiting)

    def adopt_stream(self, widget: MessageWidget, text: str, waiting: bool = False) -> MessageWidget:
        """Make ``widget`` the streaming answer, showing ``text`` so far (a conversation reopened
        while its answer is still being written)."""
        widget.streaming = True
        widget.waiting = waiting
        widget.set_content(text)
        widget._update_stats()
        self._stream = widget
        self._stream_text = [text] if text else []
        self._refresh()
        return widget

    def set_stream_id(self, message_id: int) -> None:
        if self._stream is not None:
            self._stream.message_id = message_id
            self._stream.versions = [message_id]
            if self._stream.waiting:
                self._stream.waiting = False
                self._stream.render()

    def set_stream_sources(self, sources: Sequence[Source], left_out: int) -> None:
        if self._stream is not None:
            self._stream.set_sources(sources, left_out)

    def widget_for(self, message_id: int) -> MessageWidget | None:
        return next((w for w in self.messages if w.message_id == message_id), None)

    @property
    def stream(self) -> MessageWidget | None:
        return self._stream

    def append_stream(self, text: str) -> None:
        """Cheap: only collects text; the render timer redraws the one streaming message."""
        if self._stream is None:
            return
        self._stream_text.append(text)
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _render_stream(self) -> None:
        if self._stream is not None:
            self._stream.set_content("".join(self._stream_text))

    def end_stream(self, text: str | None, tokens_per_second: float | None, reason: str | None) -> None:
        widget = self._stream
        self._stream = None
        self._render_timer.stop()
        if widget is None:
            return
        widget.streaming = False
        widget.waiting = False
        widget.set_content(text if text is not None else "".join(self._stream_text))
        widget.set_stats(tokens_per_second, reason)
        self._refresh()

    def discard_stream(self) -> None:
        widget = self._stream
        self._stream = None
        self._render_timer.stop()
        if widget is not None:
            self.messages.remove(widget)
            self._layout.removeWidget(widget)
            widget.deleteLater()
        self._refresh()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._refresh()

    def _refresh(self) -> None:
        last = self.messages[-1] if self.messages else None
        for widget in self.messages:
            widget.set_actions_enabled(not self._busy, widget is last)
        self._empty.setVisible(not self.messages)

    def set_empty_widget(self, widget: QWidget) -> None:
        """Show ``widget`` (the library's welcome) instead of the empty-chat line while there are no
        messages."""
        self._layout.replaceWidget(self._empty, widget)
        self._empty.hide()
        self._empty = widget
        self._refresh()

    def add_below_messages(self, widget: QWidget) -> None:
        """Place ``widget`` under the last message (a notice about that answer); later messages go below."""
        self._layout.insertWidget(self._layout.count() - 1, widget)

    # --- drag and drop: documents for this chat ----------------------------------------------------
    @staticmethod
    def _dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        paths = [u.toLocalFile() for u in urls if u.isLocalFile()]
        if not paths or all(p.lower().endswith(".gguf") for p in paths):
            return []  # models are the window's to import
        return [p for p in paths if not p.lower().endswith(".gguf")]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt naming)
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = self._dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            event.ignore()

    # --- scrolling ---------------------------------------------------------------------------------
    def _track_bottom(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._at_bottom = value >= bar.maximum() - 24

    def _follow(self, _min: int, maximum: int) -> None:
        if self._at_bottom:
            self.verticalScrollBar().setValue(maximum)

    # --- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.empty_label.setText(
            self.tr(
                "Ask anything. Everything stays on this computer: no network is used.\n"
                "Drop files or folders here to ask about your documents."
            )
        )
