"""The sources under an answer (or the results of a search): file, page or section, score, passage.

Clicking a source shows its whole passage below the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models.documents import Passage

SNIPPET_CHARS = 160


class SourcesView(QWidget):
    """A list of passages; ``passage_selected`` fires with the Passage a user clicks."""

    passage_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None, show_scores: bool = True) -> None:
        super().__init__(parent)
        self._passages: list[Passage] = []
        self._show_scores = show_scores
        self.title = QLabel(self.tr("Sources"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.full = QTextBrowser()
        self.full.setOpenLinks(False)
        self.full.setPlaceholderText(self.tr("Click a source to read the whole passage."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.full)
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
            header = f"[{number}] {passage.location}"
            if self._show_scores:
                header += "  " + self.relevance(passage.score / top)
            item = QListWidgetItem(f"{header}\n{snippet}")
            item.setToolTip(passage.path)
            item.setData(Qt.ItemDataRole.UserRole, passage.chunk_id)
            self.list.addItem(item)

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
        parts = [passage.location, str(Path(passage.path))]
        if passage.vector_score is not None:
            parts.append(
                self.tr("similar in meaning: %1%").replace(
                    "%1", f"{max(0.0, passage.vector_score) * 100:.0f}"
                )
            )
        if passage.keyword_score is not None:
            parts.append(self.tr("matches the search words"))
        self.full.setPlainText("\n".join(parts) + "\n\n" + passage.text)
        self.passage_selected.emit(passage)

    def shown_text(self) -> str:
        return self.full.toPlainText()
