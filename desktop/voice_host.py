"""Voice input in the main window: the microphone button, added to the input bar once its imports
(numpy, PortAudio) have been made off the GUI thread, and the voice settings it follows."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt

from models.errors import TomoshibiError

from .error_text import user_message

log = logging.getLogger(__name__)


class VoiceHost:
    """Owns the window's voice button (None until added, or when voice input cannot work here)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.button: Any = None
        self._model = ""  # the Whisper model the button was last given

    def add_button(self) -> None:
        """Put the microphone button in the input bar (once); the chat works without it."""
        if self.button is not None:
            return
        w = self.window
        try:
            from .voice_button import VoiceInputButton

            button = VoiceInputButton(w.input)
        except Exception as error:  # voice is optional
            log.warning("voice input unavailable: %s", error)
            return
        button.send_requested.connect(w.send)
        button.error.connect(lambda message: w.banner.show_message("error", message))
        self.button = button
        w.input_row.insertWidget(1, button, 0, Qt.AlignmentFlag.AlignBottom)
        self.apply_settings()

    def apply_settings(self) -> None:
        """Hand the voice settings to the button (when it is added and whenever settings are applied)."""
        button = self.button
        if button is None:
            return
        s = self.window.settings
        button.set_send_immediately(s.voice_send_immediately)
        button.set_device(s.voice_device or None)
        try:
            button.set_language(s.voice_language)
            if s.voice_model != self._model:
                # A new Transcriber drops the loaded Whisper model: only when the choice changed.
                button.set_model(s.voice_model or None)
                self._model = s.voice_model
        except TomoshibiError as error:
            self.window.banner.show_message("error", user_message(error))

    def shutdown(self) -> None:
        button = self.button
        if button is None:
            return
        button.shutdown()
        # Its thread is stopped now; its own on-destroy shutdown would run again during interpreter
        # exit, when the QThread may already be gone.
        try:
            button.destroyed.disconnect()
        except (RuntimeError, TypeError):
            pass
