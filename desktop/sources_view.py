"""The results of a documents search (or the sources under an answer): the file, its page or section
in words, how well it matches as a bar and a word, its folder said briefly (doc_paths.py), a snippet.

Clicking a result shows its whole passage below the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models.documents import Passage

from . import theme
from .doc_paths import home_short, short_folder

SNIPPET_CHARS = 160


class _ResultDelegate(QStyledItemDelegate):
    """Draws a result's lines as a card: the file and place in bold, relevance and folder muted, then
    up to two lines of the passage (the item's text stays plain, one line each, for tests and
    screen readers)."""

    PAD = 6
    SNIPPET_LINES = 2

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = str(index.data() or "").split("\n")  # opt.text has Qt's line separators instead
        opt.text = ""  # background, selection and focus as the style draws them; the text is ours
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD - 2, -self.PAD)
        spacing = opt.fontMetrics.lineSpacing()
        painter.save()
        head = QFont(opt.font)
        head.setBold(True)
        rows = [(lines[0], head, opt.palette.text().color())]
        if len(lines) > 1:
            rows.append((lines[1], opt.font, QColor(theme.colors().muted)))
        y = rect.top()
        for text, font, colour in rows:
            painter.setFont(font)
            painter.setPen(colour)
            elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(QRect(rect.left(), y, rect.width(), spacing), Qt.AlignmentFlag.AlignLeft, elided)
            y += spacing
        if len(lines) > 2:
            painter.setFont(opt.font)
            painter.setPen(opt.palette.text().color())
            box = QRect(rect.left(), y + 2, rect.width(), spacing * self.SNIPPET_LINES)
            painter.setClipRect(box)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, " ".join(lines[2:]))
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        lines = (index.data() or "").count("\n") + 1
        shown = min(lines, 2) + (self.SNIPPET_LINES if lines > 2 else 0)
        return QSize(200, option.fontMetrics.lineSpacing() * shown + 2 * self.PAD + 2)


class SourcesView(QWidget):
    """A list of passages; ``passage_selected`` fires with the Passage a user clicks."""

    passage_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None, show_scores: bool = True) -> None:
        super().__init__(parent)
        self._passages: list[Passage] = []
        self._roots: list[Path] = []  # the collection's source folders: folders are shown from them
        self._show_scores = show_scores
        self.title = QLabel(self.tr("Sources"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setItemDelegate(_ResultDelegate(self.list))
        self.full = QTextBrowser()
        self.full.setOpenLinks(False)
        self.full.setPlaceholderText(self.tr("Click a source to read the whole passage."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.full)
        splitter.setStretchFactor(0, 3)  # the list of results gets the larger share
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(splitter)
        self.list.currentRowChanged.connect(self._show)
        self.list.itemClicked.connect(lambda item: self._show(self.list.row(item)))

    def set_passages(self, passages: Sequence[Passage], title: str | None = None) -> None:
        self._passages = list(passages)
        self.list.clear()
        self.full.clear()
        if title is not None:
            self.title.setText(title)
        top = max((p.score for p in self._passages), default=0.0) or 1.0
        for number, passage in enumerate(self._passages, start=1):
            snippet = " ".join(passage.text.split())
            if len(snippet) > SNIPPET_CHARS:
                snippet = snippet[:SNIPPET_CHARS] + "…"
            lines = [f"[{number}] {self.place(passage)}"]
            where = self.tr("in %1").replace("%1", short_folder(passage.path, self._roots))
            if self._show_scores:
                lines.append(self.relevance(passage.score / top) + "  ·  " + where)
            else:
                lines.append(where)
            lines.append(snippet)
            item = QListWidgetItem("\n".join(lines))
            item.setToolTip(home_short(Path(passage.path)))
            item.setData(Qt.ItemDataRole.UserRole, passage.chunk_id)
            self.list.addItem(item)

    def set_roots(self, roots: Sequence[Path]) -> None:
        """The source folders of the collection the passages come from (set before ``set_passages``)."""
        self._roots = list(roots)

    def place(self, passage: Passage) -> str:
        """ "report.pdf — page 3" or "notes.md — section “Setup”": the file and where in it, in words."""
        name = Path(passage.path).name
        if passage.page is not None:
            return name + " — " + self.tr("page %1").replace("%1", str(passage.page))
        if passage.section:
            return name + " — " + self.tr("section “%1”").replace("%1", passage.section)
        return name

    def relevance(self, share: float) -> str:
        """Relevance as a five-step bar and a word, relative to the best match (raw fused scores such
        as 0.0328 mean nothing to a reader)."""
        steps = max(1, min(5, round(share * 5)))
        bar = "●" * steps + "○" * (5 - steps)
        if share >= 0.8:
            word = self.tr("best match")
        elif share >= 0.5:
            word = self.tr("good match")
        else:
            word = self.tr("weaker match")
        return f"{bar} {word}"

    def passages(self) -> list[Passage]:
        return list(self._passages)

    def clear(self) -> None:
        self.set_passages([])

    def show_passage(self, row: int) -> None:
        """Select the source at ``row`` and show its passage (what a click does)."""
        self.list.setCurrentRow(row)
        self._show(row)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._passages):
            return
        passage = self._passages[row]
        where = [self.place(passage), self.tr("in %1").replace("%1", short_folder(passage.path, self._roots))]
        # How it was found, in words (a cosine of 0.83 means nothing to a reader), after the passage:
        # the passage itself is what a small pane must show without scrolling.
        found = []
        if passage.vector_score is not None:
            found.append(self.tr("Similar in meaning to your search."))
        if passage.keyword_score is not None:
            found.append(self.tr("Contains the words you searched for."))
        text = " · ".join(where) + "\n\n" + passage.text
        self.full.setPlainText(text + ("\n\n" + "\n".join(found) if found else ""))
        self.passage_selected.emit(passage)

    def shown_text(self) -> str:
        return self.full.toPlainText()
