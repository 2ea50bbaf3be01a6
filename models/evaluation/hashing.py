"""SHA-256 of model files, computed once per file version (path + size + mtime) and cached."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

CHUNK = 4 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def cached_sha256(db: sqlite3.Connection, path: str | Path) -> str:
    """The file's hash, from the cache when its size and modification time are unchanged."""
    path = Path(path).resolve()
    stat = path.stat()
    row = db.execute(
        "SELECT sha256 FROM file_hashes WHERE path = ? AND size = ? AND mtime_ns = ?",
        (str(path), stat.st_size, stat.st_mtime_ns),
    ).fetchone()
    if row is not None:
        return str(row[0])
    value = sha256_file(path)
    db.execute(
        "INSERT INTO file_hashes (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256",
        (str(path), stat.st_size, stat.st_mtime_ns, value),
    )
    db.commit()
    return value
