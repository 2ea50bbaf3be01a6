"""A strip above the conversation saying what went wrong, with the action that fixes it."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QToolButton, QWidget

from .i18n import RetranslateOnLanguageChange
from .icons import icon

KINDS = ("crash", "error", "info")  # each has its colours in the theme (QFrame#banner[kind=...])


class Banner(RetranslateOnLanguageChange, QFrame):
    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.kind = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("border: none; background: transparent;")
        # A long message scrolls inside the banner instead of pushing the conversation away.
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setMaximumHeight(96)
        self.scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; border: none; }"
        )
        self.reload_button = QPushButton()
        self.reload_button.clicked.connect(self._reload)
        self.close_button = QToolButton()
        self.close_button.setIcon(icon("close"))
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        self.icon = QLabel()
        self.icon.setStyleSheet("border: none; background: transparent;")
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.reload_button)
        layout.addWidget(self.close_button)
        self.hide()
        self.retranslate()

    def show_message(self, kind: str, message: str) -> None:
        """``kind``: crash (offers Reload model), error or info. ``message`` is the engine's own text."""
        self.kind = kind
        self.setProperty("kind", kind if kind in KINDS else "error")
        self.style().unpolish(self)
        self.style().polish(self)
        self.icon.setPixmap(
            icon({"crash": "error", "info": "info"}.get(kind, "warning")).pixmap(
                QSize(18, 18), self.devicePixelRatioF()
            )
        )
        self.label.setText(message)
        # Fit short messages exactly; long ones scroll.
        self.scroll.setFixedHeight(min(96, self.label.heightForWidth(max(200, self.scroll.width())) + 4))
        self.reload_button.setVisible(kind == "crash")
        self.show()

    def _reload(self) -> None:
        self.hide()
        self.reload_requested.emit()

    def retranslate(self) -> None:
        self.reload_button.setText(self.tr("Reload model"))
        self.close_button.setToolTip(self.tr("Dismiss"))
