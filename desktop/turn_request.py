"""What the chat asks the engine thread for: a conversation's branch, settings and collections.

The request is plain data built on the GUI thread; ``build`` runs on the engine thread, where
retrieving passages and counting tokens may take their time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.turn import Turn, build_turn

KEYWORD_ONLY = "keyword-only"  # a Turn note: some collection was searched without its embedding model
MISSING_PREFIX = "missing:"  # a Turn note: an attached collection no longer exists


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
        passages: list[Any] = []
        notes: list[str] = []
        if self.collections and self.history:
            from models.documents.answer import gather

            found = gather(self.collections, self.history[-1]["content"], embedder_for)
            passages = found.sources
            if found.keyword_only:
                notes.append(KEYWORD_ONLY)
            notes += [MISSING_PREFIX + name for name in found.missing]
        return build_turn(
            self.history,
            system=self.system,
            settings=self.settings,
            passages=passages,
            count_tokens=engine.count_tokens,
            n_ctx=engine.info.n_ctx,
            notes=notes,
        )
