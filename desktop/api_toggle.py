"""A toggle for the local API server: a check box, the address (selectable, with a copy button), status.

``ApiToggle(config_factory)`` owns one ``models.api.ApiServer``. Starting loads a model and stopping
waits for open requests to be cancelled, so both run on a worker thread; the widget only reacts to the
signal that comes back. ``config_factory()`` is called on each start so the server uses the model and
settings chosen at that moment. Call ``shutdown()`` when the window closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.errors import TomoshibiError

from .threads import run_call

if TYPE_CHECKING:  # models.api (http.server and the endpoints) is imported on the first start only,
    from models.api import ApiConfig  # so it costs the window's start-up nothing

log = logging.getLogger(__name__)


def _default_server(config: ApiConfig) -> Any:
    from models.api import ApiServer

    return ApiServer(config)


class ApiToggle(QWidget):
    started = Signal(str)  # the address, e.g. http://127.0.0.1:8080/v1
    stopped = Signal()
    failed = Signal(str)  # the problem and the fix

    def __init__(
        self,
        config_factory: Callable[[], ApiConfig],
        parent: QWidget | None = None,
        server_factory: Callable[[ApiConfig], Any] | None = None,
        stacked: bool = False,
    ) -> None:
        super().__init__(parent)
        self._config_factory = config_factory
        self._server_factory = server_factory or _default_server
        self._server: Any = None
        self._busy = False

        self.checkbox = QCheckBox()
        self.address_label = QLabel()
        self.address_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QPushButton()
        self._state = ("off", "")
        self._retranslate()
        self.copy_button.clicked.connect(self._copy)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        if stacked:  # a narrow side panel: the address (or the error) gets its own wrapping line
            self.address_label.setWordWrap(True)
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 0)
            outer.addWidget(self.checkbox)
            outer.addLayout(layout)
        else:
            self.setLayout(layout)
            layout.addWidget(self.checkbox)
        layout.addWidget(self.address_label, 1)
        layout.addWidget(self.copy_button)
        self.checkbox.toggled.connect(self._on_toggled)
        self._show("off")

    @property
    def address(self) -> str | None:
        return self._server.address if self._server is not None and not self._busy else None

    # ---- user actions ------------------------------------------------------------------------------
    @Slot(bool)
    def _on_toggled(self, on: bool) -> None:
        if self._busy:
            return
        if on and self._server is None:
            try:
                server = self._server_factory(self._config_factory())  # settings are checked here, at once
            except TomoshibiError as error:
                self._fail(str(error))
                return
            self._server = server
            self._run(lambda: ("started", server.start()))
            self._show("starting")
        elif not on and self._server is not None:
            server = self._server
            self._run(lambda: (server.stop(), ("stopped", ""))[1])
            self._show("stopping")

    def _run(self, work: Callable[[], tuple[str, str]]) -> None:
        self._busy = True
        self.checkbox.setEnabled(False)
        run_call(work, done=lambda result: self._on_done(*result), failed=lambda message: self._on_done("failed", message),
                 name="tomoshibi-api-toggle")  # fmt: skip

    @Slot(str, str)
    def _on_done(self, what: str, detail: str) -> None:
        self._busy = False
        self.checkbox.setEnabled(True)
        if what == "started":
            self._show("on", detail)
            self.started.emit(detail)
        elif what == "stopped":
            self._server = None
            self._show("off")
            self.stopped.emit()
        else:
            self._fail(detail)

    def _fail(self, message: str) -> None:
        self._server = None
        self._busy = False
        self.checkbox.setEnabled(True)
        self.checkbox.blockSignals(True)
        self.checkbox.setChecked(False)
        self.checkbox.blockSignals(False)
        self._show("failed", message)
        self.failed.emit(message)

    @Slot()
    def _copy(self) -> None:
        if self.address:
            QGuiApplication.clipboard().setText(self.address)

    def _retranslate(self) -> None:
        self.checkbox.setText(self.tr("Local API server"))
        self.checkbox.setToolTip(
            self.tr("Let other programs on this computer use the model like an OpenAI endpoint.")
        )
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy the address"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._show(*self._state)
        super().changeEvent(event)

    def _show(self, state: str, detail: str = "") -> None:
        self._state = (state, detail)
        texts = {
            "off": self.tr("Off"),
            "starting": self.tr("Starting…"),
            "stopping": self.tr("Stopping…"),
            "on": detail,
            "failed": self.tr("Could not start: %1").replace("%1", detail),
        }
        self.address_label.setText(texts[state])
        self.address_label.setToolTip(detail if state == "failed" else "")
        self.copy_button.setVisible(state == "on")

    def shutdown(self) -> None:
        """Stop the server now (blocking, a few seconds at most): for the window's close."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()
