"""The "Local API server" box under the model panel: the toggle, and what it serves.

Sharing the model with the chat. ``ApiServer`` takes either a model path (it starts its own engine)
or an already loaded ``Engine``. We hand it the chat's engine: a second engine for the same model would
double the memory (the whole model and its context again), which on a laptop is often the difference
between fitting and not. The engine serializes requests with its own lock, so the chat and API clients
simply take turns: an answer in the chat waits while an API request generates, and the reverse. Two
consequences are accepted: Stop in the chat cancels whatever the engine is generating at that moment,
and /v1/embeddings still starts its own small embedding engine on first use (a chat engine cannot embed).

When the chat loads another model while the server runs, the server stops before the old engine
closes and starts again on the new one; after "Unload" it stays off, since the user freed the memory.
(A request that arrives in the moment between the chat closing its engine and the server stopping
makes the server start an engine of its own, which the stop then closes.) With no model loaded in the
chat, the server starts its own engine for the chosen model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from models.events import LoadConfig

from .api_toggle import ApiToggle
from .i18n import RetranslateOnLanguageChange
from .settings import AppSettings

if TYPE_CHECKING:
    from models.api import ApiConfig, ApiServer

log = logging.getLogger(__name__)


class ApiSection(RetranslateOnLanguageChange, QGroupBox):
    """No title: the toggle's own "Local API server" check box heads the box."""

    def __init__(
        self,
        settings: AppSettings,
        model_path: Callable[[], str],
        shared_engine: Callable[[], Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._model_path = model_path
        self._shared_engine = shared_engine
        self._resume = False  # start again once the chat's next engine is loaded
        self.server: ApiServer | None = None
        self.toggle = ApiToggle(self._config, self, server_factory=self._make_server, stacked=True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a8170;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.toggle)
        layout.addWidget(self.note)
        self.toggle.stopped.connect(self._on_stopped)
        self.retranslate()

    @property
    def running(self) -> bool:
        return self.toggle.address is not None

    def _config(self) -> ApiConfig:
        from models.api import ApiConfig  # lazy: http.server and the endpoints cost start-up time

        s = self.settings
        return ApiConfig(
            model=LoadConfig(model_path=self._model_path(), n_ctx=s.n_ctx),
            host="127.0.0.1",
            port=s.api_port,
            api_key=s.api_key or None,
            cors_origins=s.api_cors,
        )

    def _make_server(self, config: ApiConfig) -> ApiServer:
        from models.api import ApiServer

        engine = self._shared_engine()
        if engine is not None and not getattr(engine, "alive", False):
            engine = None
        self.server = ApiServer(config, engine=engine)
        return self.server

    def model_changing(self, another_follows: bool) -> None:
        """The chat is about to close its engine: stop serving from it. After a load the server comes
        back on the new engine; after an unload it stays off (the user freed the memory)."""
        if self.running:
            self._resume = another_follows
            self.toggle.checkbox.setChecked(False)

    def model_ready(self) -> None:
        if self._resume and self.toggle.address is None and not self.toggle._busy:
            self._resume = False
            self.toggle.checkbox.setChecked(True)

    def model_failed(self) -> None:
        self._resume = False

    def _on_stopped(self) -> None:
        self.server = None
        engine = self._shared_engine()
        if self._resume and engine is not None and getattr(engine, "alive", False):
            self._resume = False  # the new model finished loading before the old server stopped
            self.toggle.checkbox.setChecked(True)

    def shutdown(self) -> None:
        self._resume = False
        self.toggle.shutdown()
        self.server = None

    def retranslate(self) -> None:
        self.note.setText(
            self.tr(
                "OpenAI-compatible, on this computer only. It shares the loaded model with the chat: they take turns. Port, API key and CORS are in Settings."
            )
        )
