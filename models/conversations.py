"""Conversations and their messages, kept in SQLite (the desktop app's chats; the CLI chat and the API
keep their turns in memory).

Messages form a tree (``parent_id``): a regenerated answer or an edited question is a new version
beside the old one, and the conversation shows the branch that ends at its ``leaf_id``; nothing is
deleted except by ``delete_message``/``delete``.

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


@migration
def m004_branches(db: sqlite3.Connection) -> None:
    # Messages form a tree: regenerating adds a sibling answer, editing adds a sibling question, and
    # the conversation shows the branch ending at ``leaf_id``. Old conversations become one branch
    # (each message's parent is the one before it), so they open exactly as before.
    db.execute("ALTER TABLE messages ADD COLUMN parent_id INTEGER REFERENCES messages(id) ON DELETE CASCADE")
    db.execute(
        "UPDATE messages SET parent_id = (SELECT MAX(p.id) FROM messages p"
        " WHERE p.conversation_id = messages.conversation_id AND p.id < messages.id)"
    )
    db.execute("CREATE INDEX messages_by_parent ON messages(parent_id)")
    db.execute("ALTER TABLE conversations ADD COLUMN leaf_id INTEGER")
    db.execute(
        "UPDATE conversations SET leaf_id = (SELECT MAX(id) FROM messages WHERE conversation_id = conversations.id)"
    )


@migration
def m005_documents(db: sqlite3.Connection) -> None:
    # The document collections attached to a conversation, and the passages each answer was given.
    db.execute("ALTER TABLE conversations ADD COLUMN collections TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE messages ADD COLUMN sources TEXT")


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
    collections: tuple[str, ...] = ()  # document collections attached to the chat
    leaf_id: int | None = None  # the last message of the branch shown


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: str  # "system", "user" or "assistant"
    content: str
    created: float
    tokens_per_second: float | None = None
    finish_reason: str | None = None  # None while the answer is still being written (or was cut off)
    parent_id: int | None = None  # the message it answers or follows; None for the first
    sources: tuple[dict[str, Any], ...] = ()  # passages given to the model (models.turn.Source JSON)


ROLES = ("system", "user", "assistant")
_LEAF = object()  # add_message's default parent: the end of the branch shown


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

    def set_collections(self, conversation_id: int, names: list[str]) -> None:
        """The document collections this conversation answers from (in the order given)."""
        self._update(conversation_id, touch=False, collections=json.dumps(list(dict.fromkeys(names))))

    # --- messages --------------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        parent_id: int | None | object = _LEAF,
        tokens_per_second: float | None = None,
        finish_reason: str | None = None,
        sources: list[dict[str, Any]] | None = None,
    ) -> Message:
        """Add a message after ``parent_id`` (default: the end of the branch shown) and show its branch.

        A parent that already has a child makes a new version: regenerate adds an answer beside the
        old one, editing adds a question beside the old question."""
        if role not in ROLES:
            raise ConfigError(f"Unknown message role {role!r}.", f"Use one of: {', '.join(ROLES)}.")
        now = time.time()
        with self._tx() as db:
            if parent_id is _LEAF:
                parent_id = self._leaf(conversation_id)
            cur = db.execute(
                "INSERT INTO messages (conversation_id, role, content, created, tokens_per_second,"
                " finish_reason, parent_id, sources) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id,
                    role,
                    content,
                    now,
                    tokens_per_second,
                    finish_reason,
                    parent_id,
                    json.dumps(sources) if sources is not None else None,
                ),
            )
            db.execute(
                "UPDATE conversations SET updated = ?, leaf_id = ? WHERE id = ?",
                (now, cur.lastrowid, conversation_id),
            )
        return self.message(int(cur.lastrowid or 0))

    def update_message(
        self,
        message_id: int,
        content: str,
        *,
        tokens_per_second: float | None = None,
        finish_reason: str | None = None,
        sources: list[dict[str, Any]] | None = None,
    ) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE messages SET content = ?, tokens_per_second = COALESCE(?, tokens_per_second),"
                " finish_reason = COALESCE(?, finish_reason), sources = COALESCE(?, sources) WHERE id = ?",
                (
                    content,
                    tokens_per_second,
                    finish_reason,
                    json.dumps(sources) if sources is not None else None,
                    message_id,
                ),
            )

    def message(self, message_id: int) -> Message:
        row = self._db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
        if row is None:
            raise ConfigError(f"Message {message_id} does not exist.", "Reopen the conversation.")
        return _message(row)

    def all_messages(self, conversation_id: int) -> list[Message]:
        """Every message of every branch, oldest first."""
        rows = self._db.execute(
            "SELECT * FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        return [_message(row) for row in rows]

    def messages(self, conversation_id: int) -> list[Message]:
        """The branch shown: from the first message to the conversation's leaf."""
        leaf = self._leaf(conversation_id)
        return self.branch(leaf) if leaf is not None else []

    def branch(self, message_id: int) -> list[Message]:
        """The messages from the first one down to ``message_id``, in order."""
        by_id = {m.id: m for m in self.all_messages(self.message(message_id).conversation_id)}
        node = by_id.get(message_id)
        path: list[Message] = []
        while node is not None and len(path) <= len(by_id):
            path.append(node)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        return path[::-1]

    def versions(self, message_id: int) -> list[Message]:
        """The message and its siblings of the same role (the versions shown as ‹ 1/3 ›), oldest first."""
        msg = self.message(message_id)
        rows = self._db.execute(
            "SELECT * FROM messages WHERE conversation_id = ? AND parent_id IS ? AND role = ? ORDER BY id",
            (msg.conversation_id, msg.parent_id, msg.role),
        )
        return [_message(row) for row in rows]

    def select_version(self, message_id: int) -> None:
        """Show the branch through ``message_id``, down its most recent continuation."""
        msg = self.message(message_id)
        leaf = self._newest_descendant(message_id)
        with self._tx() as db:
            db.execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (leaf, msg.conversation_id))

    def select_message(self, message_id: int) -> None:
        """Show the branch that ends at ``message_id`` (before an answer is written after it)."""
        msg = self.message(message_id)
        with self._tx() as db:
            db.execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (message_id, msg.conversation_id))

    def delete_message(self, message_id: int) -> None:
        """Delete a message and what follows it on its branch; the shown branch moves to a sibling or up."""
        msg = self.message(message_id)
        siblings = [m.id for m in self.versions(message_id) if m.id != message_id]
        with self._tx() as db:
            db.execute("DELETE FROM messages WHERE id = ?", (message_id,))  # children cascade
        leaf = self._leaf(msg.conversation_id)
        if leaf is None or not self._exists(leaf):
            target = self._newest_descendant(siblings[-1]) if siblings else msg.parent_id
            with self._tx() as db:
                db.execute("UPDATE conversations SET leaf_id = ? WHERE id = ?", (target, msg.conversation_id))

    def _leaf(self, conversation_id: int) -> int | None:
        row = self._db.execute(
            "SELECT leaf_id, (SELECT MAX(id) FROM messages WHERE conversation_id = ?1) FROM conversations WHERE id = ?1",
            (conversation_id,),
        ).fetchone()
        if row is None:
            return None
        return row[0] if row[0] is not None and self._exists(row[0]) else row[1]

    def _exists(self, message_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM messages WHERE id = ?", (message_id,)).fetchone() is not None

    def _newest_descendant(self, message_id: int) -> int:
        node = message_id
        while True:
            row = self._db.execute("SELECT MAX(id) FROM messages WHERE parent_id = ?", (node,)).fetchone()
            if row is None or row[0] is None:
                return node
            node = int(row[0])


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
        collections=tuple(_json(row["collections"], [])),
        leaf_id=row["leaf_id"],
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
        parent_id=row["parent_id"],
        sources=tuple(s for s in _json(row["sources"], []) if isinstance(s, dict)),
    )


def _json(text: str | None, default: list[Any]) -> list[Any]:
    try:
        value = json.loads(text) if text else default
    except json.JSONDecodeError:
        return default
    return value if isinstance(value, list) else default
