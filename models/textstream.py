"""Token bytes → text that is safe to show.

Text is released only at complete UTF-8 characters (a Japanese character split across byte-fallback
tokens never shows half), a model's newline marker becomes a newline, and any text that could still
turn into a stop string is held back until it is known not to.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence


class TextStream:
    def __init__(self, stop: Sequence[str] = (), newline_marker: str | None = None) -> None:
        self._marker = newline_marker or None
        self._stops = tuple(s.replace(self._marker, "\n") if self._marker else s for s in stop if s)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self.text = ""  # everything released so far
        self.stopped = False
        # Longest text that could still be the start of something to hold back.
        watch = list(self._stops) + ([self._marker] if self._marker else [])
        self._watch = tuple(watch)

    def feed(self, data: bytes) -> str:
        """Add a token's bytes; return the newly safe text ("" while held back or after a stop)."""
        if self.stopped:
            return ""
        self._pending += self._decoder.decode(data)
        return self._release(final=False)

    def flush(self) -> str:
        """End of generation: release whatever is still held. A character whose bytes were cut off
        by the token limit is dropped: shown, it was a stray U+FFFD at the end of the answer."""
        if self.stopped:
            return ""
        self._decoder.reset()
        return self._release(final=True)

    def _release(self, final: bool) -> str:
        if self._marker and self._marker in self._pending:
            self._pending = self._pending.replace(self._marker, "\n")
        cut = -1
        for stop in self._stops:
            index = self._pending.find(stop)
            if index != -1 and (cut == -1 or index < cut):
                cut = index
        if cut != -1:
            out, self._pending, self.stopped = self._pending[:cut], "", True
        elif final:
            out, self._pending = self._pending, ""
        else:
            hold = self._held_back()
            out = self._pending[: len(self._pending) - hold]
            self._pending = self._pending[len(self._pending) - hold :]
        self.text += out
        return out

    def _held_back(self) -> int:
        """Length of the longest suffix of pending text that is a proper prefix of a watched string."""
        best = 0
        pending = self._pending
        for word in self._watch:
            for size in range(min(len(word) - 1, len(pending)), best, -1):
                if pending.endswith(word[:size]):
                    best = size
                    break
        return best
