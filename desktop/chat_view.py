"""The conversation: one widget per message, Markdown rendered; only the streaming answer re-renders."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import RetranslateOnLanguageChange
from .markdown_render import render_markdown

STREAM_RENDER_MS = 40  # the streaming answer is re-rendered at most this often, whatever the token rate
CHAT_STYLE = """
QFrame#message_user { background: #fbf6ea; border: 1px solid #e4ddcc; border-radius: 8px; }
QFrame#message_assistant { background: #ffffff; border: 1px solid #e4ddcc; border-radius: 8px; }
QLabel#role { font-weight: bold; color: #7a5b12; }
QLabel#stats { color: #8a8170; }
QLabel#empty { color: #8a8170; font-size: 15px; padding: 40px; }
QTextBrowser { background: transparent; }
"""


class MarkdownView(QTextBrowser):
    """Read-only rich text whose height follows its content (the scroll area scrolls, not it)."""

    copy_block = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenLinks(False)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.anchorClicked.connect(self._on_anchor)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, *_: object) -> None:
        height = int(self.document().size().height()) + 2
        if height != self.height():
            self.setFixedHeight(height)

    def resizeEvent(self, event):  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._fit()

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "copy":
            self.copy_block.emit(int(url.path() or 0))
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)  # only when the user clicks a link


class MessageWidget(QFrame):
    """One message: who, the text, its statistics and the actions that apply to it."""

    edit_submitted = Signal(int, str)  # message id, new text
    regenerate_requested = Signal()

    def __init__(self, role: str, content: str = "", message_id: int | None = None) -> None:
        super().__init__()
        self.role = role
        self.message_id = message_id
        self.content = content
        self.tokens_per_second: float | None = None
        self.finish_reason: str | None = "stop" if role == "user" else None
        self.streaming = False
        self._blocks: list[str] = []
        self.setObjectName(f"message_{role}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        head = QHBoxLayout()
        self.role_label = QLabel()
        self.role_label.setObjectName("role")
        self.stats_label = QLabel()
        self.stats_label.setObjectName("stats")
        # In a narrow window the statistics give way (elided by clipping) before the buttons do.
        self.stats_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.copy_button = _small_button()
        self.edit_button = _small_button()
        self.regenerate_button = _small_button()
        head.addWidget(self.role_label)
        head.addWidget(self.stats_label, 1)
        for button in (self.copy_button, self.edit_button, self.regenerate_button):
            head.addWidget(button)
        layout.addLayout(head)
        self.body = MarkdownView()
        self.body.copy_block.connect(self._copy_block)
        layout.addWidget(self.body)
        self.editor = QPlainTextEdit()
        self.editor.setVisible(False)
        self.editor.setMaximumHeight(140)
        layout.addWidget(self.editor)
        edit_row = QHBoxLayout()
        self.save_edit_button = QPushButton()
        self.cancel_edit_button = QPushButton()
        edit_row.addStretch(1)
        edit_row.addWidget(self.cancel_edit_button)
        edit_row.addWidget(self.save_edit_button)
        self.edit_bar = QWidget()
        self.edit_bar.setLayout(edit_row)
        self.edit_bar.setVisible(False)
        layout.addWidget(self.edit_bar)
        self.copy_button.clicked.connect(self.copy_text)
        self.edit_button.clicked.connect(self.start_edit)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.save_edit_button.clicked.connect(self._submit_edit)
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.edit_button.setVisible(role == "user")
        self.regenerate_button.setVisible(False)
        self.retranslate()
        self.render()

    # --- content ---------------------------------------------------------------------------------
    def render(self) -> None:
        html, self._blocks = render_markdown(self.content, self.tr("Copy"))
        if self.streaming and not self.content:
            thinking = self.tr("Thinking…")
            html = f"<i style='color:#8a8170'>{thinking}</i>"
        self.body.setHtml(html)

    def set_content(self, text: str) -> None:
        self.content = text
        self.render()

    def set_stats(self, tokens_per_second: float | None, finish_reason: str | None) -> None:
        self.tokens_per_second = tokens_per_second
        self.finish_reason = finish_reason
        self._update_stats()

    def _update_stats(self) -> None:
        if self.role != "assistant" or self.streaming:
            self.stats_label.setText("")
            return
        parts = []
        if self.tokens_per_second:
            parts.append(self.tr("%1 tokens/s").replace("%1", f"{self.tokens_per_second:.1f}"))
        reason = {
            "length": self.tr("cut off at the length limit"),
            "cancelled": self.tr("stopped"),
            "crashed": self.tr("interrupted: the engine stopped"),
            "error": self.tr("failed"),
            None: self.tr("interrupted"),
        }.get(self.finish_reason)
        if reason:
            parts.append(reason)
        self.stats_label.setText(" · ".join(parts))
        self.stats_label.setToolTip(" · ".join(parts))

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.content)

    def _copy_block(self, index: int) -> None:
        if 0 <= index < len(self._blocks):
            QGuiApplication.clipboard().setText(self._blocks[index])

    @property
    def code_blocks(self) -> list[str]:
        return list(self._blocks)

    # --- editing -----------------------------------------------------------------------------------
    def start_edit(self) -> None:
        self.editor.setPlainText(self.content)
        self.body.setVisible(False)
        self.editor.setVisible(True)
        self.edit_bar.setVisible(True)
        self.editor.setFocus()

    def cancel_edit(self) -> None:
        self.editor.setVisible(False)
        self.edit_bar.setVisible(False)
        self.body.setVisible(True)

    def _submit_edit(self) -> None:
        text = self.editor.toPlainText().strip()
        self.cancel_edit()
        if text and self.message_id is not None:
            self.edit_submitted.emit(self.message_id, text)

    def set_actions_enabled(self, enabled: bool, last_assistant: bool) -> None:
        self.edit_button.setEnabled(enabled)
        self.regenerate_button.setVisible(self.role == "assistant" and last_assistant)
        self.regenerate_button.setEnabled(enabled)
        self.save_edit_button.setEnabled(enabled)

    # --- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.role_label.setText(self.tr("You") if self.role == "user" else self.tr("Assistant"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the whole message"))
        self.edit_button.setText(self.tr("Edit"))
        self.edit_button.setToolTip(self.tr("Change this message and send it again"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Write this answer again"))
        self.save_edit_button.setText(self.tr("Save and send"))
        self.cancel_edit_button.setText(self.tr("Cancel"))
        self._update_stats()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.render()
        super().changeEvent(event)


def _small_button() -> QToolButton:
    button = QToolButton()
    button.setAutoRaise(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class ChatView(RetranslateOnLanguageChange, QScrollArea):
    """All messages of the open conversation, newest at the bottom."""

    edit_submitted = Signal(int, str)
    regenerate_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        container = QWidget()
        container.setObjectName("chat_container")
        # One style sheet for every message: per-widget sheets would re-polish each new message.
        container.setStyleSheet(CHAT_STYLE)
        self._layout = QVBoxLayout(container)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(10)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("empty")
        self._layout.addWidget(self.empty_label)
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
        self._layout.insertWidget(self._layout.count() - 1, widget)
        self.messages.append(widget)
        self._at_bottom = True
        self._refresh()
        return widget

    # --- streaming -------------------------------------------------------------------------------
    def begin_stream(self, message_id: int | None = None) -> MessageWidget:
        widget = self.add_message("assistant", "", message_id)
        widget.streaming = True
        widget.render()
        widget._update_stats()
        self._stream = widget
        self._stream_text = []
        return widget

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
        last_assistant = next((w for w in reversed(self.messages) if w.role == "assistant"), None)
        for widget in self.messages:
            widget.set_actions_enabled(
                not self._busy, widget is last_assistant and widget is self.messages[-1]
            )
        self.empty_label.setVisible(not self.messages)

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
            self.tr("Ask anything. Everything stays on this computer: no network is used.")
        )
