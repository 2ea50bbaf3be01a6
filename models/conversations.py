"""Conversations and their messages, kept in SQLite: the desktop app's chat history.

Only the app keeps conversations today; ``tomoshibi chat`` and the local API are stateless (the API's
clients send the whole conversation with each request, as OpenAI's do).

The database lives at ``models.paths.conversations_db()``. It runs in WAL mode and every message is
committed on its own, so killing the program mid-answer never loses what was already said. Schema
changes are ordered, registered migration functions recorded in the ``_migrations`` table (the
pattern of simonw/llm): a migration runs once, in order, and is never edited after release.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .migrations import MigrationList
from .paths import conversations_db

MIGRATIONS = MigrationList()
migration = MIGRATIONS.register


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL DEFAULT '',
            model TEXT,
            system_prompt TEXT NOT NULL DEFAULT '',
            sampling TEXT NOT NULL DEFAULT '{}',
            created REAL NOT NULL,
            updated REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL,
            content TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX messages_by_conversation ON messages(conversation_id, id)")


@migration
def m002_generation_stats(db: sqlite3.Connection) -> None:
    # tokens/s and why generation ended, shown under each answer; NULL reason = still being written.
    db.execute("ALTER TABLE messages ADD COLUMN tokens_per_second REAL")
    db.execute("ALTER TABLE messages ADD COLUMN finish_reason TEXT")


@migration
def m003_system_prompt_presets(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE system_prompt_presets (
            name TEXT PRIMARY KEY,
            prompt TEXT NOT NULL,
            created REAL NOT NULL
        )"""
    )


def migrate(db: sqlite3.Connection) -> list[str]:
    """Apply every registered migration not yet recorded; returns the names applied now."""
    return MIGRATIONS.apply(db)


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    model: str | None
    system_prompt: str
    sampling: dict[str, Any] = field(default_factory=dict)
    created: float = 0.0
    updated: float = 0.0


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str  # "system", "user" or "assistant"
    content: str
    created: float
    tokens_per_second: float | None = None
    finish_reason: str | None = None  # None while the answer is still being written (or was cut off)


@dataclass(frozen=True)
class Preset:
    name: str
    prompt: str


ROLES = ("system", "user", "assistant")


class ConversationStore:
    """All conversations of the user. One connection, used from one thread."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else conversations_db()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we open transactions ourselves, one per change, so each is committed.
        self._db = sqlite3.connect(str(self.path), isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL commits without an fsync each time: a killed program still loses nothing
        # (the OS has the data); only a power cut may drop the last commits. It keeps a commit from
        # stalling the window while a busy disk flushes.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA busy_timeout=5000")
        migrate(self._db)

    def close(self) -> None:
        self._db.close()
        self._closed = True

    @property
    def closed(self) -> bool:
        return getattr(self, "_closed", False)

    def __enter__(self) -> ConversationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # --- conversations -------------------------------------------------------------------------
    def new_conversation(
        self,
        title: str = "",
        model: str | None = None,
        system_prompt: str = "",
        sampling: dict[str, Any] | None = None,
    ) -> Conversation:
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, model, system_prompt, sampling, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (title, model, system_prompt, json.dumps(sampling or {}), now, now),
            )
        return self.get(int(cur.lastrowid or 0))

    def get(self, conversation_id: int) -> Conversation:
        row = self._db.execute("SELECT * FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if row is None:
            raise ConfigError(
                f"Conversation {conversation_id} does not exist.", "Pick one from the conversation list."
            )
        return _conversation(row)

    def list_conversations(self, search: str | None = None) -> list[Conversation]:
        """Most recently updated first; ``search`` matches the title or any message (case-insensitive)."""
        if not search:
            rows = self._db.execute("SELECT * FROM conversations ORDER BY updated DESC, id DESC")
        else:
            pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self._db.execute(
                "SELECT * FROM conversations c WHERE c.title LIKE ?1 ESCAPE '\\' OR EXISTS ("
                " SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE ?1 ESCAPE '\\')"
                " ORDER BY updated DESC, id DESC",
                (pattern,),
            )
        return [_conversation(row) for row in rows]

    def search(self, text: str) -> list[Conversation]:
        return self.list_conversations(search=text)

    def rename(self, conversation_id: int, title: str) -> None:
        self._update(conversation_id, touch=False, title=title.strip())

    def update_settings(
        self,
        conversation_id: int,
        *,
        model: str | None = None,
        system_prompt: str | None = None,
        sampling: dict[str, Any] | None = None,
    ) -> None:
        """Change the per-conversation model, system prompt or sampling; None leaves a field as it is."""
        fields: dict[str, Any] = {}
        if model is not None:
            fields["model"] = model
        if system_prompt is not None:
            fields["system_prompt"] = system_prompt
        if sampling is not None:
            fields["sampling"] = json.dumps(sampling)
        if fields:
            self._update(conversation_id, touch=False, **fields)

    def _update(self, conversation_id: int, touch: bool = True, **fields: Any) -> None:
        # Only new messages move a conversation to the top of the list (``touch``), not renames.
        if touch:
            fields["updated"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._tx() as db:
            db.execute(
                f"UPDATE conversations SET {assignments} WHERE id = ?", (*fields.values(), conversation_id)
            )

    def delete(self, conversation_id: int) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    # --- messages --------------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        tokens_per_second: float | None = None,
        finish_reason: str | None = None,
    ) -> Message:
        if role not in ROLES:
            raise ConfigError(f"Unknown message role {role!r}.", f"Use one of: {', '.join(ROLES)}.")
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO messages (conversation_id, role, content, created, tokens_per_second,"
                " finish_reason) VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, role, content, now, tokens_per_second, finish_reason),
            )
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id))
        return self.message(int(cur.lastrowid or 0))

    def update_message(
        self,
        message_id: int,
        content: str,
        *,
        tokens_per_second: float | None = None,
        finish_reason: str | None = None,
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE messages SET content = ?, tokens_per_second = COALESCE(?, tokens_per_second),"
                " finish_reason = COALESCE(?, finish_reason) WHERE id = ?",
                (content, tokens_per_second, finish_reason, message_id),
            )

    def message(self, message_id: int) -> Message:
        row = self._db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise ConfigError(f"Message {message_id} does not exist.", "Reopen the conversation.")
        return _message(row)

    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._db.execute(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        return [_message(row) for row in rows]

    def delete_messages_from(self, conversation_id: int, message_id: int) -> None:
        """Remove ``message_id`` and every later message (regenerate, edit-and-resend)."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM messages WHERE conversation_id = ? AND id >= ?", (conversation_id, message_id)
            )

    # --- system prompt presets -------------------------------------------------------------------
    def save_preset(self, name: str, prompt: str) -> None:
        name = name.strip()
        if not name:
            raise ConfigError("A preset needs a name.", "Type a name for the system prompt preset.")
        with self._tx() as db:
            db.execute(
                "INSERT INTO system_prompt_presets (name, prompt, created) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET prompt = excluded.prompt",
                (name, prompt, time.time()),
            )

    def presets(self) -> list[Preset]:
        rows = self._db.execute("SELECT name, prompt FROM system_prompt_presets ORDER BY name")
        return [Preset(row["name"], row["prompt"]) for row in rows]

    def delete_preset(self, name: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM system_prompt_presets WHERE name = ?", (name,))


def _conversation(row: sqlite3.Row) -> Conversation:
    try:
        sampling = json.loads(row["sampling"] or "{}")
    except json.JSONDecodeError:
        sampling = {}
    return Conversation(
        id=row["id"],
        title=row["title"],
        model=row["model"],
        system_prompt=row["system_prompt"],
        sampling=sampling if isinstance(sampling, dict) else {},
        created=row["created"],
        updated=row["updated"],
    )


def _message(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        role=row["role"],
        content=row["content"],
        created=row["created"],
        tokens_per_second=row["tokens_per_second"],
        finish_reason=row["finish_reason"],
    )
