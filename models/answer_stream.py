"""How decoded tokens reach the caller: as ``Token`` events of whole text, not one per token.

The engine process decodes; this decides what each event carries and when it goes. Text passes
through ``TextStream`` (whole UTF-8 characters, stop strings and the newline marker held back until
they are complete), leading spaces are dropped, and the token ids and logprobs travel with the text
they made. The first event goes at once, even while its text is still empty (an answer that starts
with a space, or text held back for a stop string): the caller learns that the answer has started.
Later events go at most every ``interval`` seconds: waking the caller for every token steals a core
from llama.cpp's threads on small machines.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from .events import Token
from .textstream import TextStream

# Streamed text reaches the caller at most this often after the first piece (seconds): smooth to
# read, and it keeps the engine from waking the app for every token.
STREAM_INTERVAL = 0.02


class AnswerStream:
    """Collects decoded tokens and sends them as ``Token`` events through ``send``."""

    def __init__(
        self,
        send: Callable[[Token], Any],
        stop: Sequence[str],
        newline_marker: str | None,
        interval: float = STREAM_INTERVAL,
    ) -> None:
        self._send = send
        self._text = TextStream(stop=stop, newline_marker=newline_marker)
        self._interval = interval
        self._at_start = True  # no visible text yet: leading spaces are dropped
        self._held_text: list[str] = []
        self._held_ids: list[int] = []
        self._held_logprobs: list[Any] = []
        self._last_sent = 0.0
        self._sent = 0

    @property
    def stopped(self) -> bool:
        """A stop string has appeared: the answer ends here."""
        return self._text.stopped

    def feed(self, token: int, piece: bytes, logprobs: Any = None) -> None:
        """One decoded token, its bytes and (API requests) its logprobs."""
        if logprobs is not None:
            self._held_logprobs.append(logprobs)
        text = self._text.feed(piece)
        if self._at_start and text:
            text = text.lstrip(" ")
            self._at_start = not text
        self._held_ids.append(token)
        if text:
            self._held_text.append(text)
        if text or self._sent == 0:
            now = time.perf_counter()
            if self._sent == 0 or now - self._last_sent >= self._interval:
                self._flush()
                self._last_sent = now

    def finish(self) -> str:
        """Send what is still held (the end of the text, held-back stop-string prefixes) and return
        the whole answer's text."""
        tail = self._text.flush()
        if self._at_start:
            tail = tail.lstrip(" ")
        if tail:
            self._held_text.append(tail)
        if self._held_text or self._held_logprobs:
            self._flush()
        return self._text.text.lstrip(" ")

    def _flush(self) -> None:
        self._send(Token("".join(self._held_text), tuple(self._held_ids), tuple(self._held_logprobs)))
        self._held_text.clear()
        self._held_ids.clear()
        self._held_logprobs.clear()
        self._sent += 1
