"""``tomoshibi docs`` end to end: add, search, ask, list, rm (real engines, bundled model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from tests.models.documents_corpus import write_japanese


def test_docs_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_japanese(tmp_path / "files")
    assert main(["docs", "add", "メモ", str(folder), "--threads", "1"]) == 0
    captured = capsys.readouterr()
    assert "4 added" in captured.out
    assert "chat model's own embeddings" in captured.err  # no embedding model installed: the note

    assert main(["docs", "search", "メモ", "東海道新幹線", "-k", "2", "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[1] 新幹線.docx § 東海道新幹線  (score ")
    assert "一九六四年に開業" in out and str(folder / "新幹線.docx") in out

    assert main(["docs", "search", "メモ", "蓄電池", "--keyword-only"]) == 0
    assert capsys.readouterr().out.startswith("[1] 発電.pdf, p. 2")

    assert (
        main(
            [
                "docs",
                "ask",
                "メモ",
                "東海道新幹線はいつ開業しましたか",
                "--max-tokens",
                "24",
                "--threads",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "\nSources:\n[1] 新幹線.docx § 東海道新幹線" in out

    assert main(["docs", "list"]) == 0
    assert "メモ: 4 documents" in capsys.readouterr().out
    assert main(["docs", "list", "メモ"]) == 0
    assert "passages" in capsys.readouterr().out

    assert main(["docs", "rm", "メモ"]) == 0
    assert folder.exists() and len(list(folder.iterdir())) == 4  # the user's files are untouched
    assert main(["docs", "search", "メモ", "x"]) == 2
    assert "no collection named" in capsys.readouterr().err
