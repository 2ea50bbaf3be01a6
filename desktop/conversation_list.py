"""The sidebar: new chat, search, and the saved conversations grouped by day (今日 / 昨日 / それ以前),
with rename and delete on hover (and on right-click)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.conversations import Conversation, ConversationStore

from .conversation_rows import GROUP_ROLE, ConversationDelegate, day_group
from .i18n import RetranslateOnLanguageChange
from .icons import icon


class ConversationList(RetranslateOnLanguageChange, QWidget):
    selected = Signal(int)  # conversation id
    new_requested = Signal()
    deleted = Signal(int)
    renamed = Signal(int, str)

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.new_button = QPushButton()
        self.new_button.setIcon(icon("new-chat"))
        self.new_button.clicked.connect(self.new_requested)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMouseTracking(True)  # hover shows the rename and delete buttons
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.delegate = ConversationDelegate(self.list)
        self.delegate.rename_clicked.connect(lambda conv_id: self.rename(conv_id))
        self.delegate.delete_clicked.connect(lambda conv_id: self.delete(conv_id))
        self.list.setItemDelegate(self.delegate)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemDoubleClicked.connect(
            lambda item: self.rename(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self._quiet = False
        self.retranslate()

    def reload(self, select: int | None = None) -> None:
        """Re-read the list from the store, keeping (or moving to) the selection."""
        current = self.current_id() if select is None else select
        self._quiet = True
        self.list.clear()
        now, previous = time.time(), ""
        for conv in self.store.list_conversations(self.search.text().strip() or None):
            item = QListWidgetItem(self._title(conv))
            item.setData(Qt.ItemDataRole.UserRole, conv.id)
            item.setToolTip(self._title(conv))
            group = self._group_label(day_group(conv.updated or conv.created, now))
            # The first conversation of each day group carries the group's heading above it.
            item.setData(GROUP_ROLE, group if group != previous else None)
            previous = group
            self.list.addItem(item)
            self._mark(item)
            if conv.id == current:
                self.list.setCurrentItem(item)
        self._quiet = False

    def _group_label(self, group: str) -> str:
        return {"today": self.tr("Today"), "yesterday": self.tr("Yesterday")}.get(group, self.tr("Earlier"))

    # --- which conversation has an answer being written or waiting (chat developer's addition) ------
    def set_activity(self, activity: dict[int, str]) -> None:
        """``activity``: conversation id → "generating" or "queued"; shown before the title."""
        self._activity = dict(activity)
        for row in range(self.list.count()):
            self._mark(self.list.item(row))

    def _mark(self, item: QListWidgetItem) -> None:
        conv_id = int(item.data(Qt.ItemDataRole.UserRole))
        state = getattr(self, "_activity", {}).get(conv_id)
        title = item.toolTip()
        marks = {
            "generating": ("● ", self.tr("writing an answer")),
            "queued": ("◌ ", self.tr("waiting in the queue")),
        }
        prefix, hint = marks.get(state, ("", ""))
        item.setText(prefix + title)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, hint)
        item.setStatusTip(hint)

    def _title(self, conv: Conversation) -> str:
        return conv.title or self.tr("New chat")

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def ids(self) -> list[int]:
        return [int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())]

    def _current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None and not self._quiet:
            self.selected.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def _menu(self, pos: object) -> None:
        item = self.list.itemAt(pos)  # type: ignore[arg-type]
        if item is None:
            return
        conv_id = int(item.data(Qt.ItemDataRole.UserRole))
        menu = QMenu(self)
        menu.addAction(self.tr("Rename…"), lambda: self.rename(conv_id))
        menu.addAction(self.tr("Delete…"), lambda: self.delete(conv_id))
        menu.exec(self.list.viewport().mapToGlobal(pos))  # type: ignore[arg-type]

    def rename(self, conv_id: int, title: str | None = None) -> None:
        if title is None:
            current = self.store.get(conv_id).title
            dialog = QInputDialog(self)
            dialog.setWindowTitle(self.tr("Rename conversation"))
            dialog.setLabelText(self.tr("Title:"))
            dialog.setTextValue(current)
            dialog.setOkButtonText(self.tr("Rename"))
            dialog.setCancelButtonText(self.tr("Cancel"))
            # Long titles stay readable: the dialog sizes itself to its line edit, by default narrow.
            edit = dialog.findChild(QLineEdit)
            if edit is not None:
                edit.setMinimumWidth(min(560, max(360, edit.fontMetrics().horizontalAdvance(current) + 40)))
            self._rename_dialog = dialog
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            title = dialog.textValue()
        if title.strip():
            self.store.rename(conv_id, title)
            self.reload()
            self.renamed.emit(conv_id, title.strip())

    def delete(self, conv_id: int, confirm: bool = True) -> None:
        if confirm:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Delete conversation"))
            box.setText(
                self.tr("Delete “%1”? This cannot be undone.").replace(
                    "%1", self._title(self.store.get(conv_id))
                )
            )
            yes = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not yes:
                return
        self.store.delete(conv_id)
        self.reload()
        self.deleted.emit(conv_id)

    def retranslate(self) -> None:
        self.new_button.setText(self.tr("New chat"))
        self.new_button.setToolTip(self.tr("Start a new conversation"))
        self.delegate.set_texts(self.tr("Rename"), self.tr("Delete"))
        self.search.setPlaceholderText(self.tr("Search conversations"))
        if self.list.count() and not self.store.closed:
            self.reload()
