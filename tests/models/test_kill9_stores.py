"""Nothing lost on kill -9 (issue 20): a child writes to a store in a loop and says after each write
that it finished; it is killed at a random moment, several times. Then: PRAGMA integrity_check is ok,
every finished write is there, the store reopens and takes more writes. Temporary files a killed
writer leaves are removed at the next start.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

WRITER = r"""
import sys, time
kind = sys.argv[1]
if kind == "chat":
    from models.conversations import ConversationStore
    store = ConversationStore()
    conversation = store.new_conversation("kill -9")
    def write(i):
        store.add_message(conversation.id, "user" if i % 2 else "assistant", f"message {i} " + "あ" * (i % 500))
        return f"{conversation.id}:{i}"
elif kind == "eval":
    from models.evaluation.results import EvalRun
    from models.evaluation.store import EvalStore
    store = EvalStore()
    def write(i):
        run_id = store.save_run(EvalRun(time.time(), "0.1.0", f"set{i}", "f" * 64, [{"id": "q", "turns": ["x" * i]}]))
        return str(run_id)
elif kind == "presets":
    from models.presets import Preset, save_preset
    def write(i):
        saved = save_preset(Preset(name="killed", system=f"version {i} " + "い" * (i % 300)))
        return str(saved.version)
elif kind == "documents":
    from models.documents.collection import open_collection
    from models.documents import store as docstore
    collection = open_collection("killed", create=True)
    def write(i):
        with collection.db as db:
            docstore.delete_documents(db, [f"/{sys.argv[2]}/doc{i - 1}"])  # a delete and an insert: one transaction
            cur = db.execute("INSERT INTO documents (path, status) VALUES (?, 'ok')", (f"/{sys.argv[2]}/doc{i}",))
            db.execute("INSERT INTO chunks (document_id, ord, text, start) VALUES (?, 0, ?, 0)", (cur.lastrowid, f"本文{i}" * 50))
        return str(i)
print("ready", flush=True)
i = 0
while True:
    i += 1
    print(write(i), flush=True)
"""

KINDS = ("chat", "documents", "presets", "eval")
KILLS = 20  # kill -9 at a random moment of a write, 20 times per store


def _run_and_kill(script: Path, kind: str, env: dict[str, str], rng: random.Random, run: int) -> list[str]:
    child = subprocess.Popen(
        [sys.executable, str(script), kind, str(run)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.05, 0.6))
    child.send_signal(signal.SIGKILL)
    child.wait()
    return child.stdout.read().split()  # every write the child finished before it died


def _check(kind: str, run: int, finished: list[str], previous: list[str]) -> None:
    if kind == "chat":
        from models.conversations import ConversationStore

        db_path = ConversationStore().path
        with ConversationStore() as store:
            wanted: dict[int, set[str]] = {}
            for item in previous + finished:
                conversation, i = (int(x) for x in item.split(":"))
                wanted.setdefault(conversation, set()).add(f"message {i}")
            for conversation, heads in wanted.items():
                have = {
                    m.content.split(" ")[0] + " " + m.content.split(" ")[1]
                    for m in store.messages(conversation)
                }
                assert heads <= have, sorted(heads - have)[:5]
            store.add_message(store.new_conversation("after").id, "user", "still writable")
    elif kind == "eval":
        from models.evaluation.store import EvalStore

        with EvalStore() as store:
            db_path = store.path
            ids = {r.id for r in store.list_runs()}
            assert {int(i) for i in previous + finished} <= ids
    elif kind == "presets":
        from models.presets import get_preset, history

        if finished:
            current = get_preset("killed")
            assert current.version >= int(finished[-1])
            assert {int(v) for v in finished} <= {p.version for p in history("killed")}
        return  # files written atomically: nothing SQLite to check
    else:
        from models.documents.collection import open_collection

        collection = open_collection("killed")
        db_path = collection.path
        paths = {d.path for d in collection.documents()}
        mine = [p for p in paths if p.startswith(f"/{run}/")]
        if finished:  # exactly one of this run's documents: the last finished one, or one committed after it
            assert mine in ([f"/{run}/doc{finished[-1]}"], [f"/{run}/doc{int(finished[-1]) + 1}"]), mine
        chunks = collection.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        assert chunks == collection.db.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        collection.close()
    db = sqlite3.connect(str(db_path))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.timeout(240)
@pytest.mark.parametrize("kind", KINDS)
def test_store_survives_kill_9(kind: str, tmp_path: Path, tomoshibi_home: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "TOMOSHIBI_HOME": str(tomoshibi_home),
    }
    rng = random.Random(hash(kind) & 0xFFFF)
    previous: list[str] = []
    for run in range(KILLS):
        finished = _run_and_kill(script, kind, env, rng, run)
        _check(kind, run, finished, previous if kind in ("chat", "eval") else [])
        previous += finished
    assert previous, "the child never finished a write: the test would prove nothing"


def test_stale_temporary_files_are_removed_at_the_next_start(tmp_path: Path) -> None:
    from models.stale_files import STALE_SECONDS, remove_stale_temporaries

    models = tmp_path / "models"
    (models / "sub").mkdir(parents=True)
    (models / ".downloads").mkdir()
    old = time.time() - STALE_SECONDS - 60
    stale = [
        models / ".model.gguf.f16.part.gguf",
        models / ".model.gguf.1a2b3c4d.part",
        models / ".model.gguf.1a2b3c4d.partial",
        models / "sub" / ".settings.toml.k3j4h5g6.part",
    ]
    kept = [
        models / ".downloads" / "big.gguf.part",  # resumable download: the library's
        models / ".fresh.gguf.f16.part.gguf",  # being written right now by another process
        models / "model.gguf",
        models / "notes.part",  # not hidden: not ours
    ]
    for path in stale + kept:
        path.write_bytes(b"x" * 100)
    for path in stale + kept[:1] + kept[2:]:
        os.utime(path, (old, old))
    assert remove_stale_temporaries([models]) == 100 * len(stale)
    assert not any(p.exists() for p in stale) and all(p.exists() for p in kept)
