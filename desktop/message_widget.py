"""One message card: who, the text (Markdown), statistics, versions ‹ 1/3 ›, the sources an answer
was given, and the actions (copy, edit, regenerate) shown while the pointer is over it."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QEnterEvent, QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models.turn import Source

from .doc_paths import home_short
from .icons import icon
from .markdown_render import render_markdown

COPIED_MS = 1500  # how long "Copied" replaces "Copy"


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


class SourcesPanel(QWidget):
    """The passages an answer was given: "[1] ✓ notes.md § Setup", a click shows the passage."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources: tuple[Source, ...] = ()
        self.left_out = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        self.summary = QLabel()
        self.summary.setObjectName("sources_summary")
        self.summary.setWordWrap(True)
        self.list = QLabel()
        self.list.setObjectName("sources_list")
        self.list.setWordWrap(True)
        self.list.setTextFormat(Qt.TextFormat.RichText)
        self.list.linkActivated.connect(self._clicked)
        self.passage = QLabel()
        self.passage.setObjectName("passage")
        self.passage.setWordWrap(True)
        self.passage.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passage.setVisible(False)
        self.shown: int | None = None
        for widget in (self.summary, self.list, self.passage):
            layout.addWidget(widget)
        self.setVisible(False)

    def set_sources(self, sources: Sequence[Source], left_out: int = 0) -> None:
        self.sources = tuple(sources)
        self.left_out = left_out
        self.shown = None
        self.passage.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setVisible(bool(self.sources))
        if not self.sources:
            return
        files = len({s.path for s in self.sources})
        passages = self.tr("%n passage(s)", "", len(self.sources))
        text = self.tr("Sources: %1 from %2 used").replace("%1", passages)
        text = text.replace("%2", self.tr("%n file(s)", "", files))
        if self.left_out:
            text += " " + self.tr("(%1 more left out to fit the context window)").replace(
                "%1", str(self.left_out)
            )
        self.summary.setText(text)
        cited = self.tr("cited in the answer")
        rows = []
        for source in self.sources:
            mark = (
                f" <b>✓</b> <span style='color:#8a8170'>{html.escape(cited)}</span>" if source.cited else ""
            )
            rows.append(
                f"<a href='source:{source.number}'>[{source.number}] {html.escape(source.location)}</a>{mark}"
            )
        self.list.setText("<br>".join(rows))
        self.list.setToolTip(
            self.tr("Click a source to read its passage; ✓ marks the ones the answer cites.")
        )

    def _clicked(self, link: str) -> None:
        self.show_passage(int(link.split(":", 1)[1]))

    def show_passage(self, number: int) -> None:
        """Show (or, clicked again, hide) the passage of source ``number``."""
        source = next((s for s in self.sources if s.number == number), None)
        if source is None or self.shown == number:
            self.shown = None
            self.passage.setVisible(False)
            return
        self.shown = number
        where = home_short(Path(source.path))  # ~/メモ/会議室.txt, not /Users/yamada/…
        self.passage.setText(f"[{number}] {source.location}\n{where}\n\n{source.text}")
        self.passage.setVisible(True)


class MessageWidget(QFrame):
    """One message: who, the text, its statistics, versions, sources and the actions that apply to it."""

    edit_submitted = Signal(int, str)  # message id, new text
    regenerate_requested = Signal(int)  # message id of the answer to write again
    version_requested = Signal(int)  # message id of the version to show

    def __init__(self, role: str, content: str = "", message_id: int | None = None) -> None:
        super().__init__()
        self.role = role
        self.message_id = message_id
        self.content = content
        self.tokens_per_second: float | None = None
        self.finish_reason: str | None = "stop" if role == "user" else None
        self.streaming = False
        self.waiting = False  # queued behind another conversation's answer
        self.versions: list[int] = [message_id] if message_id is not None else []
        self._hovered = False
        self._pinned = False  # the last message shows its actions without hovering
        self._blocks: list[str] = []
        self.setObjectName(f"message_{role}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # As tall as its text and no taller: the chat's closing stretch takes the spare height (without
        # this, two short messages in a tall window were drawn as two half-window cards).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
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
        self.previous_button = _small_button("chevron-left")
        self.version_label = QLabel()
        self.version_label.setObjectName("stats")
        self.next_button = _small_button("chevron-right")
        self.copy_button = _small_button("copy")
        self.edit_button = _small_button("edit")
        self.regenerate_button = _small_button("regenerate")
        head.addWidget(self.role_label)
        head.addWidget(self.stats_label, 1)
        for widget in (self.previous_button, self.version_label, self.next_button):
            head.addWidget(widget)
        for button in (self.copy_button, self.edit_button, self.regenerate_button):
            head.addWidget(button)
        layout.addLayout(head)
        self.body = MarkdownView()
        self.body.copy_block.connect(self._copy_block)
        layout.addWidget(self.body)
        self.sources_panel = SourcesPanel()
        layout.addWidget(self.sources_panel)
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
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(self._copy_done)
        self.copy_button.clicked.connect(self.copy_text)
        self.edit_button.clicked.connect(self.start_edit)
        self.cancel_edit_button.clicked.connect(self.cancel_edit)
        self.save_edit_button.clicked.connect(self._submit_edit)
        self.regenerate_button.clicked.connect(self._regenerate)
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self._enabled = True
        self.retranslate()
        self.render()
        self._update_actions()

    # --- content ---------------------------------------------------------------------------------
    def render(self) -> None:
        html_text, self._blocks = render_markdown(self.content, self.tr("Copy"))
        if self.streaming and not self.content:
            waiting = (
                self.tr(
                    "In the queue: starts when the answer being written in another conversation (●) is done…"
                )
                if self.waiting
                else self.tr("Thinking…")
            )
            html_text = f"<i style='color:#8a8170'>{waiting}</i>"
        self.body.setHtml(html_text)

    def set_content(self, text: str) -> None:
        self.content = text
        self.render()

    def set_stats(self, tokens_per_second: float | None, finish_reason: str | None) -> None:
        self.tokens_per_second = tokens_per_second
        self.finish_reason = finish_reason
        self._update_stats()

    def set_sources(self, sources: Sequence[Source], left_out: int = 0) -> None:
        self.sources_panel.set_sources(sources, left_out)

    def set_versions(self, versions: Sequence[int]) -> None:
        """The ids of this message's versions (oldest first); ‹ n/m › shows when there are several."""
        self.versions = list(versions)
        self._update_actions()

    @property
    def version_index(self) -> int:
        return self.versions.index(self.message_id) if self.message_id in self.versions else 0

    def _step(self, delta: int) -> None:
        index = self.version_index + delta
        if 0 <= index < len(self.versions) and self._enabled:
            self.version_requested.emit(self.versions[index])

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
        # "Copied" with a check mark for a moment, then the plain icon again.
        self.copy_button.setIcon(icon("check", "accent"))
        self.copy_button.setText(self.tr("Copied"))
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._copied_timer.start()

    def _copy_done(self) -> None:
        self.copy_button.setIcon(icon("copy"))
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.retranslate()

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

    def _regenerate(self) -> None:
        if self.message_id is not None:
            self.regenerate_requested.emit(self.message_id)

    # --- actions: shown on hover, and always on the last message --------------------------------------
    def set_actions_enabled(self, enabled: bool, last: bool) -> None:
        self._enabled = enabled
        self._pinned = last
        self._update_actions()

    def _update_actions(self) -> None:
        shown = (self._hovered or self._pinned) and not self.streaming and self.message_id is not None
        self.copy_button.setVisible(shown)
        self.edit_button.setVisible(shown and self.role == "user")
        self.regenerate_button.setVisible(shown and self.role == "assistant")
        for button in (self.edit_button, self.regenerate_button, self.save_edit_button):
            button.setEnabled(self._enabled)
        several = len(self.versions) > 1 and not self.streaming
        index = self.version_index
        for widget in (self.previous_button, self.version_label, self.next_button):
            widget.setVisible(several)
        self.version_label.setText(f"{index + 1}/{len(self.versions)}")
        self.previous_button.setEnabled(self._enabled and index > 0)
        self.next_button.setEnabled(self._enabled and index < len(self.versions) - 1)

    def set_hovered(self, hovered: bool) -> None:
        self._hovered = hovered
        self._update_actions()

    def enterEvent(self, event: QEnterEvent) -> None:  # noqa: N802 (Qt naming)
        self.set_hovered(True)
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        self.set_hovered(False)
        super().leaveEvent(event)

    # --- language ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.role_label.setText(self.tr("You") if self.role == "user" else self.tr("Assistant"))
        if not self._copied_timer.isActive():
            self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the whole message"))
        self.edit_button.setText(self.tr("Edit"))
        self.edit_button.setToolTip(
            self.tr("Change this message and send it again (the old one stays as a version)")
        )
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Write this answer again (the old one stays as a version)"))
        self.previous_button.setText(self.tr("Previous version"))
        self.previous_button.setToolTip(self.tr("Previous version"))
        self.next_button.setText(self.tr("Next version"))
        self.next_button.setToolTip(self.tr("Next version"))
        self.save_edit_button.setText(self.tr("Save and send"))
        self.cancel_edit_button.setText(self.tr("Cancel"))
        self.sources_panel.retranslate()
        self._update_stats()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.render()
        super().changeEvent(event)


def _small_button(icon_name: str) -> QToolButton:
    """An icon-only action; its text (set by ``retranslate``) is the accessible name and tooltip."""
    button = QToolButton()
    button.setAutoRaise(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setIcon(icon(icon_name))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    return button
