"""The conversation store: migrated schema, per-message commits, search, presets."""

from __future__ import annotations

import sqlite3

import pytest

from models.conversations import MIGRATIONS, ConversationStore, migrate
from models.errors import ConfigError
from models.paths import conversations_db


def _schema(db: sqlite3.Connection) -> dict[str, list[tuple[str, str]]]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    return {
        t: [(c[1], c[2]) for c in db.execute(f"PRAGMA table_info({t})")]
        for t in tables
        if not t.startswith("sqlite_")
    }


def test_migrated_schema(tmp_path):
    db = sqlite3.connect(tmp_path / "c.db", isolation_level=None)
    assert migrate(db) == [name for name, _ in MIGRATIONS]
    assert migrate(db) == []  # idempotent
    schema = _schema(db)
    assert schema["conversations"] == [
        ("id", "INTEGER"),
        ("title", "TEXT"),
        ("model", "TEXT"),
        ("system_prompt", "TEXT"),
        ("sampling", "TEXT"),
        ("created", "REAL"),
        ("updated", "REAL"),
    ]
    assert schema["messages"] == [
        ("id", "INTEGER"),
        ("conversation_id", "INTEGER"),
        ("role", "TEXT"),
        ("content", "TEXT"),
        ("created", "REAL"),
        ("tokens_per_second", "REAL"),
        ("finish_reason", "TEXT"),
    ]
    assert schema["system_prompt_presets"] == [("name", "TEXT"), ("prompt", "TEXT"), ("created", "REAL")]
    recorded = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
    assert recorded == [name for name, _ in MIGRATIONS]


def test_partial_migration_resumes(tmp_path):
    """A database made by an older version gets only the missing migrations, data kept."""
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
    MIGRATIONS[0][1](db)
    db.execute("INSERT INTO _migrations VALUES (?, 0)", (MIGRATIONS[0][0],))
    db.execute("INSERT INTO conversations (title, created, updated) VALUES ('old', 0, 0)")
    db.close()
    store = ConversationStore(path)
    assert [c.title for c in store.list_conversations()] == ["old"]
    assert store.presets() == []
    store.close()


def test_store_round_trip_and_search():
    store = ConversationStore()
    assert store.path == conversations_db()
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    a = store.new_conversation(
        "Recipes", model="smollm2", system_prompt="Be brief.", sampling={"temperature": 0}
    )
    b = store.new_conversation("旅行の計画")
    store.add_message(a.id, "user", "How do I cook rice?")
    reply = store.add_message(a.id, "assistant", "")
    store.update_message(reply.id, "Rinse, then simmer.", tokens_per_second=42.0, finish_reason="stop")
    store.add_message(b.id, "user", "京都で何をしますか")
    assert [c.id for c in store.list_conversations()] == [b.id, a.id]
    assert [c.id for c in store.search("RICE")] == [a.id]
    assert [c.id for c in store.search("京都")] == [b.id]
    assert [c.id for c in store.search("旅行")] == [b.id]
    assert store.search("100%") == []
    msgs = store.messages(a.id)
    assert [(m.role, m.content, m.finish_reason) for m in msgs] == [
        ("user", "How do I cook rice?", None),
        ("assistant", "Rinse, then simmer.", "stop"),
    ]
    assert msgs[1].tokens_per_second == 42.0
    got = store.get(a.id)
    assert (got.model, got.system_prompt, got.sampling) == ("smollm2", "Be brief.", {"temperature": 0})
    store.rename(a.id, "  Rice  ")
    store.update_settings(a.id, system_prompt="Be kind.", sampling={"temperature": 0.5})
    got = store.get(a.id)
    assert (got.title, got.system_prompt, got.sampling, got.model) == (
        "Rice",
        "Be kind.",
        {"temperature": 0.5},
        "smollm2",
    )
    store.delete_messages_from(a.id, msgs[1].id)
    assert [m.role for m in store.messages(a.id)] == ["user"]
    store.delete(a.id)
    assert store.messages(a.id) == []  # cascade
    with pytest.raises(ConfigError):
        store.get(a.id)
    with pytest.raises(ConfigError):
        store.add_message(b.id, "robot", "x")
    store.close()


def test_each_message_is_committed_at_once():
    store = ConversationStore()
    conv = store.new_conversation("t")
    store.add_message(conv.id, "user", "hello")
    # A second connection (another process after a crash) sees it without any close or flush.
    other = sqlite3.connect(conversations_db())
    assert other.execute("SELECT content FROM messages").fetchall() == [("hello",)]
    other.close()
    store.close()


def test_presets():
    store = ConversationStore()
    store.save_preset("Translator", "Translate to Japanese.")
    store.save_preset("Translator", "Translate to English.")
    store.save_preset("Coder", "Write Python.")
    assert [(p.name, p.prompt) for p in store.presets()] == [
        ("Coder", "Write Python."),
        ("Translator", "Translate to English."),
    ]
    store.delete_preset("Coder")
    assert [p.name for p in store.presets()] == ["Translator"]
    with pytest.raises(ConfigError):
        store.save_preset("  ", "x")
    store.close()
