"""How a row of the conversation list looks: an elided title, a day-group heading above the first row
of each group, and rename/delete buttons drawn on the hovered (or selected) row.

Headings are painted inside the first row of their group rather than added as rows of their own, so
row N of the list stays conversation N.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolTip, QWidget

from . import theme
from .icons import icon

GROUP_ROLE = Qt.ItemDataRole.UserRole + 1  # the heading shown above this row, or None
_BUTTON = 22  # hover button size, px
_ICON = 16


def day_group(timestamp: float, now: float) -> str:
    """``today``, ``yesterday`` or ``earlier`` for a Unix time, by the local calendar."""
    day = dt.date.fromtimestamp(timestamp)
    today = dt.date.fromtimestamp(now)
    if day >= today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    return "earlier"


class ConversationDelegate(QStyledItemDelegate):
    rename_clicked = Signal(int)
    delete_clicked = Signal(int)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._texts = ("Rename", "Delete")

    def set_texts(self, rename: str, delete: str) -> None:
        """Tooltips of the hover buttons, in the UI language."""
        self._texts = (rename, delete)

    # --- geometry ------------------------------------------------------------------------------------
    def _heading_height(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.height() + theme.Space.M

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        row = max(option.fontMetrics.height() + 14, _BUTTON + 8)
        if index.data(GROUP_ROLE):
            row += self._heading_height(option)
        return QSize(option.rect.width(), row)

    def _split(self, option: QStyleOptionViewItem, index: QModelIndex) -> tuple[QRect, QRect]:
        """(heading rect, row rect) of the item."""
        rect = QRect(option.rect)
        heading = QRect(rect)
        heading.setHeight(self._heading_height(option) if index.data(GROUP_ROLE) else 0)
        rect.setTop(rect.top() + heading.height())
        return heading, rect

    def _buttons(self, row: QRect) -> tuple[QRect, QRect]:
        top = row.top() + (row.height() - _BUTTON) // 2
        delete = QRect(row.right() - _BUTTON - 4, top, _BUTTON, _BUTTON)
        rename = QRect(delete.left() - _BUTTON - 2, top, _BUTTON, _BUTTON)
        return rename, delete

    # --- painting ------------------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        c = theme.colors()
        heading, row = self._split(option, index)
        painter.save()
        if index.data(GROUP_ROLE):
            font = painter.font()
            font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor(c.muted))
            text_rect = heading.adjusted(8, theme.Space.S, -8, 0)
            painter.drawText(
                text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, index.data(GROUP_ROLE)
            )
            painter.setFont(option.font)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c.selection if selected else c.hover))
            painter.drawRoundedRect(row.adjusted(2, 1, -2, -1), theme.RADIUS_S, theme.RADIUS_S)
        text_right = row.right() - 8
        if hovered or selected:
            rename, delete = self._buttons(row)
            text_right = rename.left() - 4
            for rect, name in ((rename, "edit"), (delete, "trash")):
                pix = icon(name, "muted").pixmap(QSize(_ICON, _ICON), painter.device().devicePixelRatioF())
                painter.drawPixmap(
                    rect.center().x() - _ICON // 2 + 1, rect.center().y() - _ICON // 2 + 1, pix
                )
        painter.setPen(QColor(c.text))
        text_rect = QRect(row.left() + 10, row.top(), max(0, text_right - row.left() - 10), row.height())
        title = option.fontMetrics.elidedText(
            str(index.data()), Qt.TextElideMode.ElideRight, text_rect.width()
        )
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.restore()

    # --- clicks on the hover buttons -----------------------------------------------------------------
    def editorEvent(
        self, event: QEvent, model: object, option: QStyleOptionViewItem, index: QModelIndex
    ) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease) and isinstance(
            event, QMouseEvent
        ):
            _heading, row = self._split(option, index)
            rename, delete = self._buttons(row)
            pos = event.position().toPoint()
            for rect, signal in ((rename, self.rename_clicked), (delete, self.delete_clicked)):
                if rect.contains(pos):
                    if event.type() == QEvent.Type.MouseButtonRelease:
                        signal.emit(int(index.data(Qt.ItemDataRole.UserRole)))
                    return True  # the click belongs to the button, not to row selection
        return super().editorEvent(event, model, option, index)  # type: ignore[arg-type]

    def helpEvent(
        self, event: QHelpEvent, view: object, option: QStyleOptionViewItem, index: QModelIndex
    ) -> bool:  # noqa: N802
        _heading, row = self._split(option, index)
        rename, delete = self._buttons(row)
        for rect, text in ((rename, self._texts[0]), (delete, self._texts[1])):
            if rect.contains(event.pos()):
                QToolTip.showText(event.globalPos(), text, view)  # type: ignore[arg-type]
                return True
        return super().helpEvent(event, view, option, index)  # type: ignore[arg-type]
