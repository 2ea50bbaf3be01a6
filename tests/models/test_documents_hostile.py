"""Hostile and odd document files (issue 20): each gets a per-file message in bounded time and memory
and never blocks the rest; sentence splitting is linear; a single file or folder can be taken out; a
collection killed (-9) while indexing reopens consistent.
"""

from __future__ import annotations

import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from models.documents import index_collection, open_collection
from models.documents.chunking import _ABBREVIATION, _SENTENCE_END, chunk_text, split_sentences
from models.documents.indexer import display_path
from models.documents.parsing import parse_file
from models.errors import Cancelled, DocumentError
from tests.models.test_documents_store import HashingEmbedder

NOTE = "東京は日本の首都です。Mr. Smith went to Washington. 富士山は高い！\n\n"


def _old_split(text: str) -> list[tuple[int, int]]:
    """The former (quadratic) splitter, as the reference for what sentences are."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _ABBREVIATION.search(text, 0, match.start() + 1):
            continue
        if match.end() > start:
            spans.append((start, match.end()))
            start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def test_sentence_splitting_is_unchanged_and_linear() -> None:
    rng = random.Random(3)
    alphabet = [
        "Mr",
        "Dr",
        "e.g",
        "i.e",
        "A",
        "x",
        " ",
        ".",
        ". ",
        "。",
        "\n\n",
        "Prof",
        "etc",
        "「",
        "」",
        "!",
        "No",
    ]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        assert split_sentences(text) == _old_split(text), repr(text)
    # 400 KB took 16.6 s before; now time grows with the text, not its square.
    small, big = NOTE * 2000, NOTE * 20000
    started = time.perf_counter()
    chunk_text(small)
    t_small = time.perf_counter() - started
    started = time.perf_counter()
    chunks = chunk_text(big)
    t_big = time.perf_counter() - started
    assert chunks and t_big < 30 * max(t_small, 0.01)  # 10× the text: ~10× the time, far from 100×


def test_cancel_is_checked_while_splitting() -> None:
    calls = []

    def cancel() -> None:
        calls.append(1)
        if len(calls) > 2:
            raise Cancelled("Indexing")

    with pytest.raises(Cancelled):
        chunk_text(NOTE * 50000, cancel=cancel)


def _docx_bomb(path: Path, inflated: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * inflated + b"</w:document>")
    return path


def test_zip_bomb_docx_is_refused_from_declared_sizes(tmp_path: Path) -> None:
    import tracemalloc

    bomb = _docx_bomb(tmp_path / "bomb.docx", 200 << 20)  # 200 MB of spaces in ~200 KB
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    with pytest.raises(DocumentError, match="bomb"):
        parse_file(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 << 20


def test_hostile_names_and_files_do_not_block_the_collection(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("最初の文書。東京の話。", encoding="utf-8")
    bad = os.fsencode(folder) + b"/inv\xff.txt"
    with open(bad, "wb") as handle:
        handle.write("無効な名前の文書。".encode())
    (folder / "esc\x1b[31mred.txt").write_text("色を変える名前の文書。", encoding="utf-8")
    _docx_bomb(folder / "bomb.docx", 50 << 20)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "z.md").write_text("# 見出し\n最後の文書。", encoding="utf-8")
    collection = open_collection("hostile", create=True)
    collection.add_sources([folder])
    report = index_collection(collection, HashingEmbedder())
    failed = {display_path(Path(p).name) for p, _ in report.failed}
    assert "inv\\xff.txt" in failed and "bomb.docx" in failed and "binary.txt" in failed
    indexed = {Path(d.path).name for d in collection.documents() if d.status == "ok"}
    assert {"a.txt", "esc\x1b[31mred.txt", "z.md"} <= indexed
    # The next update is not blocked either, and the escape sequence is shown, never sent raw.
    again = index_collection(collection, HashingEmbedder())
    assert again.unchanged >= 3
    assert "\x1b" not in display_path(folder / "esc\x1b[31mred.txt")
    # One file out, then a whole folder: passages go at once, and stay out on update.
    assert collection.remove_path(folder / "a.txt") == 1
    index_collection(collection, HashingEmbedder())
    assert "a.txt" not in {Path(d.path).name for d in collection.documents()}
    assert collection.remove_path(folder) >= 2 and collection.documents() == []


def test_docs_list_escapes_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from cli.docs import run_list

    folder = tmp_path / "n"
    folder.mkdir()
    (folder / "esc\x1b]0;pwned\x07.txt").write_text("本文。", encoding="utf-8")
    collection = open_collection("esc", create=True)
    collection.add_sources([folder])
    index_collection(collection, HashingEmbedder())
    run_list(argparse.Namespace(name="esc"))
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b" in out


@pytest.mark.timeout(120)
def test_document_fuzz(tmp_path: Path) -> None:
    """Random bytes, truncations and mutations of .txt/.md/.docx files: parsed or DocumentError."""
    rng = random.Random(14)
    good_docx = io.BytesIO()
    with zipfile.ZipFile(good_docx, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>本文</w:t></w:r></w:p></w:body></w:document>",
        )
    seeds = {
        ".txt": NOTE.encode() * 20,
        ".md": ("# 見出し\n" + NOTE).encode("cp932") * 20,
        ".docx": good_docx.getvalue(),
    }
    outcomes: Counter[str] = Counter()
    for case in range(150):
        suffix = rng.choice(list(seeds))
        data = bytearray(seeds[suffix])
        kind = rng.choice(("flip", "cut", "random"))
        if kind == "flip":
            for _ in range(rng.randint(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif kind == "cut":
            del data[rng.randrange(len(data)) :]
        else:
            data = bytearray(rng.randbytes(rng.randint(0, 5000)))
        path = tmp_path / f"case{case}{suffix}"
        path.write_bytes(bytes(data))
        try:
            for block in parse_file(path):
                chunk_text(block.text)
            outcomes["accepted"] += 1
        except DocumentError as error:
            assert error.problem and error.fix
            outcomes["clear error"] += 1
        except Exception as error:  # noqa: BLE001 - the point of the test
            pytest.fail(f"case {case} ({suffix}, {kind}) raised {type(error).__name__}: {error}")
    print(dict(outcomes))
    assert outcomes["accepted"] and outcomes["clear error"]


INDEX_CHILD = r"""
import sys
from pathlib import Path
from models.documents import index_collection, open_collection
from tests.models.test_documents_store import HashingEmbedder
collection = open_collection("killed", create=True)
collection.add_sources([Path(sys.argv[1])])
print("ready", flush=True)
while True:
    for p in Path(sys.argv[1]).glob("*.txt"):
        p.write_text(p.read_text(encoding="utf-8") + "追記。", encoding="utf-8")  # always something to redo
    index_collection(collection, HashingEmbedder())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.timeout(180)
def test_collection_killed_while_indexing_reopens_consistent(tmp_path: Path, tomoshibi_home: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(12):
        (folder / f"f{i}.txt").write_text(NOTE * 30 + ("灯台守の日記。" if i == 5 else ""), encoding="utf-8")
    script = tmp_path / "child.py"
    script.write_text(INDEX_CHILD)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "TOMOSHIBI_HOME": str(tomoshibi_home),
    }
    rng = random.Random(9)
    for _ in range(6):
        child = subprocess.Popen([sys.executable, str(script), str(folder)], stdout=subprocess.PIPE, env=env)
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 1.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        collection = open_collection("killed")
        db = sqlite3.connect(str(collection.path))
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Every document is whole: an ok document has its chunks, and the FTS index matches them
        # (vectors may be missing: they come after the text, and the next run adds them).
        empty = db.execute(
            "SELECT COUNT(*) FROM documents d WHERE status = 'ok' "
            "AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.document_id = d.id)"
        ).fetchone()[0]
        fts = db.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        chunks = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        assert (empty, fts) == (0, chunks)
        db.close()
        collection.close()
    collection = open_collection("killed")
    index_collection(collection, HashingEmbedder())
    assert len([d for d in collection.documents() if d.status == "ok"]) == 12
    missing = collection.db.execute(
        "SELECT COUNT(*) FROM chunks c LEFT JOIN vectors v ON v.chunk_id = c.id WHERE v.chunk_id IS NULL"
    ).fetchone()[0]
    assert missing == 0
    assert collection.search("灯台守の日記").passages[0].path.endswith("f5.txt")
