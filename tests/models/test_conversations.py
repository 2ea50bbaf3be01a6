"""The conversation store: migrated schema, per-message commits, search, versions and branches."""

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
        ("leaf_id", "INTEGER"),
        ("collections", "TEXT"),
    ]
    assert schema["messages"] == [
        ("id", "INTEGER"),
        ("conversation_id", "INTEGER"),
        ("role", "TEXT"),
        ("content", "TEXT"),
        ("created", "REAL"),
        ("tokens_per_second", "REAL"),
        ("finish_reason", "TEXT"),
        ("parent_id", "INTEGER"),
        ("sources", "TEXT"),
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
    assert store.messages(store.list_conversations()[0].id) == []
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
    store.delete_message(msgs[1].id)
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


def _old_database(path) -> None:
    """A database as the app wrote it before versions existed (migrations 1–3 only)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
    for name, func in MIGRATIONS[:3]:
        func(db)
        db.execute("INSERT INTO _migrations VALUES (?, 0)", (name,))
    db.execute("INSERT INTO conversations (title, created, updated) VALUES ('old', 0, 0)")
    for n, (role, text) in enumerate(
        [
            ("system", "Be brief."),
            ("user", "Hi"),
            ("assistant", "Hello!"),
            ("user", "Rice?"),
            ("assistant", "Simmer."),
        ]
    ):
        db.execute(
            "INSERT INTO messages (conversation_id, role, content, created) VALUES (1, ?, ?, ?)",
            (role, text, n),
        )
    db.close()


def test_old_conversations_open_unchanged_as_one_branch(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    with ConversationStore(path) as store:
        msgs = store.messages(1)
        assert [m.content for m in msgs] == ["Be brief.", "Hi", "Hello!", "Rice?", "Simmer."]
        assert [m.parent_id for m in msgs] == [None, 1, 2, 3, 4]
        assert store.get(1).leaf_id == 5 and store.get(1).collections == ()
        assert all(len(store.versions(m.id)) == 1 for m in msgs)
        store.add_message(1, "user", "More?")  # continues the old branch
        assert [m.content for m in store.messages(1)][-2:] == ["Simmer.", "More?"]


def test_regenerate_and_edit_keep_every_version():
    store = ConversationStore()
    conv = store.new_conversation("v")
    q1 = store.add_message(conv.id, "user", "Q1")
    a1 = store.add_message(conv.id, "assistant", "A1")
    q2 = store.add_message(conv.id, "user", "Q2")
    a2 = store.add_message(conv.id, "assistant", "A2")
    # Regenerate the last answer: a sibling of A2, shown now; A2 stays.
    a2b = store.add_message(conv.id, "assistant", "A2 again", parent_id=q2.id)
    assert [m.content for m in store.messages(conv.id)] == ["Q1", "A1", "Q2", "A2 again"]
    assert [m.id for m in store.versions(a2b.id)] == [a2.id, a2b.id]
    store.select_version(a2.id)
    assert [m.content for m in store.messages(conv.id)][-1] == "A2"
    # Edit Q1: a new branch from the start; the old continuation stays reachable through Q1's versions.
    q1b = store.add_message(conv.id, "user", "Q1 edited", parent_id=None)
    store.add_message(conv.id, "assistant", "B1")
    assert [m.content for m in store.messages(conv.id)] == ["Q1 edited", "B1"]
    assert [m.id for m in store.versions(q1b.id)] == [q1.id, q1b.id]
    store.select_version(q1.id)  # back to the old branch, down its newest continuation
    assert [m.content for m in store.messages(conv.id)] == ["Q1", "A1", "Q2", "A2 again"]
    assert len(store.all_messages(conv.id)) == 7
    # Delete removes a version and what follows it; the branch moves to the sibling.
    store.delete_message(q1.id)
    assert [m.content for m in store.messages(conv.id)] == ["Q1 edited", "B1"]
    assert a1.id not in {m.id for m in store.all_messages(conv.id)}
    store.close()


def test_sources_and_collections_are_kept():
    store = ConversationStore()
    conv = store.new_conversation("docs")
    store.set_collections(conv.id, ["notes", "manuals", "notes"])
    assert store.get(conv.id).collections == ("notes", "manuals")
    store.add_message(conv.id, "user", "Where?")
    answer = store.add_message(conv.id, "assistant", "")
    sources = [{"number": 1, "path": "/a/b.md", "text": "passage", "cited": True}]
    store.update_message(answer.id, "In b [1].", finish_reason="stop", sources=sources)
    assert store.message(answer.id).sources == tuple(sources)
    store.update_message(answer.id, "In b [1].")  # a later update without sources keeps them
    assert store.message(answer.id).sources == tuple(sources)
    store.close()
