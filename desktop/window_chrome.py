"""The frame around the chat: a header bar (side panel toggles, Documents, room for the model picker)
and the "Advanced" side sheet that holds the technical panels (model details, API server, sampling,
system prompt), closed by default so a new user sees only the conversation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .theme import Space, set_role

SHEET_WIDTH = 320


def tool_button(name: str, checkable: bool = False) -> QToolButton:
    """A flat icon button for a bar (text shown beside the icon only when ``setText`` is used and the
    style asks for it)."""
    button = QToolButton()
    button.setIcon(icon(name))
    button.setAutoRaise(True)
    button.setCheckable(checkable)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    return button


class HeaderBar(RetranslateOnLanguageChange, QFrame):
    """Above the chat. Others add widgets to the middle with ``add_center(widget)`` (the model picker)."""

    sidebar_toggled = Signal(bool)
    sheet_toggled = Signal(bool)
    documents_requested = Signal()
    new_chat_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header_bar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(Space.S, Space.XS, Space.S, Space.XS)
        layout.setSpacing(Space.XS)
        self.sidebar_button = tool_button("panel-left-close", checkable=True)
        self.sidebar_button.setChecked(True)
        self.sidebar_button.toggled.connect(self._sidebar_toggled)
        self.new_button = tool_button("new-chat")
        self.new_button.clicked.connect(self.new_chat_requested)
        self.center = QHBoxLayout()
        self.center.setSpacing(Space.S)
        self.center.addStretch(1)  # widgets added later go before it, so they sit at the left
        self.documents_button = tool_button("documents")
        self.documents_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.documents_button.clicked.connect(self.documents_requested)
        self.sheet_button = tool_button("advanced", checkable=True)
        self.sheet_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.sheet_button.toggled.connect(self.sheet_toggled)
        layout.addWidget(self.sidebar_button)
        layout.addWidget(self.new_button)
        layout.addSpacing(Space.S)
        layout.addLayout(self.center, 1)
        layout.addWidget(self.documents_button)
        layout.addWidget(self.sheet_button)
        self.retranslate()

    def add_center(self, widget: QWidget, stretch: int = 0) -> None:
        """Put ``widget`` (e.g. the model picker) in the middle of the bar."""
        self.center.insertWidget(self.center.count() - 1, widget, stretch)

    def _sidebar_toggled(self, shown: bool) -> None:
        self.sidebar_button.setIcon(icon("panel-left-close" if shown else "panel-left-open"))
        self.sidebar_toggled.emit(shown)

    def retranslate(self) -> None:
        self.sidebar_button.setToolTip(
            self.tr("Show or hide the conversation list (%1)").replace("%1", "Ctrl+Shift+L")
        )
        self.new_button.setToolTip(self.tr("New chat"))
        self.documents_button.setText(self.tr("Documents"))
        self.documents_button.setToolTip(self.tr("Your documents: collections, indexing and search"))
        self.sheet_button.setText(self.tr("Advanced"))
        self.sheet_button.setToolTip(
            self.tr("Model details, generation settings and the system prompt (%1)").replace(
                "%1", "Ctrl+Shift+A"
            )
        )


class SideSheet(RetranslateOnLanguageChange, QWidget):
    """The Advanced sheet on the right: a title with a close button over a scrolling column."""

    closed = Signal()

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advanced_sheet")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(260)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.setContentsMargins(Space.M, Space.S, Space.S, Space.XS)
        self.title = set_role(QLabel(), "title")
        self.close_button = tool_button("close")
        self.close_button.clicked.connect(self.hide_sheet)
        top.addWidget(self.title, 1)
        top.addWidget(self.close_button)
        layout.addLayout(top)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(content)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        layout.addWidget(self.scroll, 1)
        self.retranslate()

    def hide_sheet(self) -> None:
        self.hide()
        self.closed.emit()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Advanced"))
        self.close_button.setToolTip(self.tr("Close"))
