"""What the chat asks the engine thread for: a conversation's branch, settings and collections.

The request is plain data built on the GUI thread; ``build`` runs on the engine thread, where
retrieving passages and counting tokens may take their time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.turn import KEYWORD_ONLY, MISSING_PREFIX, Turn

__all__ = ["KEYWORD_ONLY", "MISSING_PREFIX", "TurnRequest"]


@dataclass(frozen=True)
class TurnRequest:
    request_id: int
    history: list[dict[str, str]]  # the branch up to and including the user's message
    system: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    collections: tuple[str, ...] = ()
    # The engine keeps each conversation's KV cache under this key, so going back to a long
    # conversation does not read it all again (models/kv_cache.py).
    conversation_id: str | None = None

    def build(self, engine: Any, embedder_for: Callable[[Any], Any] | None = None) -> Turn:
        """The turn as ``tomoshibi chat --docs`` and ``tomoshibi docs ask`` build it too."""
        from models.documents.answer import documents_turn  # numpy and the store: not at start-up

        return documents_turn(
            self.history,
            self.collections,
            system=self.system,
            settings=self.settings,
            count_tokens=engine.count_tokens,
            n_ctx=engine.info.n_ctx,
            embedder_for=embedder_for,
        )
