"""Ordered, registered SQLite schema migrations, recorded in a ``_migrations`` table.

The pattern of simonw/llm: each store keeps a ``MigrationList``, registers functions on it in order
with ``@MIGRATIONS.register``, and calls ``MIGRATIONS.apply(db)`` when it opens its database. A
migration runs once, in its own transaction, and is never edited after a release: change the schema by
adding the next one.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]


class MigrationList(list[tuple[str, Migration]]):
    """``(name, function)`` pairs in the order they must run."""

    def register(self, func: Migration) -> Migration:
        """Decorator: ``func`` becomes the next migration (definition order is application order)."""
        self.append((func.__name__, func))
        return func

    def apply(self, db: sqlite3.Connection) -> list[str]:
        """Apply every migration not yet recorded in ``db``; returns the names applied now."""
        if db.in_transaction:
            db.commit()
        db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL)")
        done = {row[0] for row in db.execute("SELECT name FROM _migrations")}
        applied = []
        for name, func in self:
            if name in done:
                continue
            # Explicit BEGIN/COMMIT works whatever isolation level the connection was opened with.
            db.execute("BEGIN")
            try:
                func(db)
                db.execute("INSERT INTO _migrations (name, applied) VALUES (?, ?)", (name, time.time()))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            applied.append(name)
        return applied
