"""Documents search results a person can read (issue 15): relevance as a bar and a word, the page or
section in words, the folder from the collection's source folder (``~`` for home, elided in the
middle) instead of a full temporary path, a busy bar while searching, and Enter in the search box of
the real Documents window searching. No embedding model: the search job is caught, not run."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from desktop.doc_paths import elide_middle, short_folder
from models.documents import Passage, SearchResult


def test_folders_are_said_briefly(tmp_path: Path) -> None:
    root = tmp_path / "報告"
    assert short_folder(root / "2024" / "q3.pdf", [root]) == "報告/2024"
    assert short_folder(root / "q3.pdf", [root]) == "報告"
    # nested sources: the deepest one holding the file
    assert short_folder(root / "2024" / "q3.pdf", [tmp_path, root]) == "報告/2024"
    home = tmp_path / "home"
    assert short_folder(home / "Documents" / "a.md", [], home=home) == "~/Documents"
    # a file added on its own: its folder, from home
    lone = home / "Desktop" / "memo.txt"
    assert short_folder(lone, [lone], home=home) == "~/Desktop"
    long = "/" + "/".join(f"folder{i}" for i in range(20))
    short = elide_middle(long)
    assert len(short) == 48 and "…" in short and short.endswith("folder19") and short.startswith("/folder0")


def _passages(folder: Path) -> list[Passage]:
    return [
        Passage(1, str(folder / "2024" / "report.pdf"), 3, None, "第三四半期の売上は前年比で増えました。", 0.0328,
                vector_score=0.83),
        Passage(2, str(folder / "notes.md"), None, "Setup › Linux", "Install the package with apt.", 0.0161,
                keyword_score=4.2),
    ]  # fmt: skip


def test_results_show_words_not_numbers_or_temporary_paths(qtbot, tmp_path: Path) -> None:
    from desktop.sources_view import SourcesView

    folder = tmp_path / "files"
    view = SourcesView()
    qtbot.addWidget(view)
    view.set_roots([folder])
    view.set_passages(_passages(folder))
    first, second = view.list.item(0).text(), view.list.item(1).text()
    assert first.startswith("[1] report.pdf — page 3\n●●●●● best match  ·  in files/2024\n")
    assert second.startswith("[2] notes.md — section “Setup › Linux”\n●●○○○ weaker match  ·  in files\n")
    view.resize(640, 420)
    view.show()
    # Drawn as a small card: bold place, muted relevance and folder, two lines of the passage.
    spacing = view.list.fontMetrics().lineSpacing()
    assert view.list.visualItemRect(view.list.item(0)).height() >= 4 * spacing
    assert not view.grab().isNull()
    view.show_passage(0)
    for text in (first, second, view.shown_text()):
        assert str(tmp_path) not in text and "0.0328" not in text and "0.83" not in text
    assert "Similar in meaning to your search." in view.shown_text()


def test_results_in_japanese(qtbot, tmp_path: Path) -> None:
    from desktop import i18n
    from desktop.sources_view import SourcesView

    i18n.apply_language("ja")
    try:
        view = SourcesView()
        qtbot.addWidget(view)
        view.set_roots([tmp_path / "files"])
        view.set_passages(_passages(tmp_path / "files"))
        first, second = view.list.item(0).text(), view.list.item(1).text()
        assert (
            first.startswith("[1] report.pdf — 3 ページ\n●●●●● とても関連が高い")
            and "場所：files/2024" in first
        )
        assert second.startswith("[2] notes.md — 見出し「Setup › Linux」")
    finally:
        i18n.apply_language("en")


def test_enter_in_the_documents_window_searches_with_a_busy_bar(make_window, qtbot, tmp_path: Path) -> None:
    from desktop.documents_workers import SearchJob

    window = make_window(start=False)
    window.open_documents()
    panel = window._documents_window.view
    panel.show_dialogs = False
    collection = panel.create_collection("notes")
    folder = tmp_path / "files"
    folder.mkdir()
    collection.add_sources([folder])
    started: list[object] = []
    panel._start = started.append  # the job is caught: no embedding model runs here
    panel.query.setText("売上")
    panel.query.setFocus()
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert len(started) == 1 and isinstance(started[0], SearchJob) and started[0].query == "売上"
    assert panel.searching.isVisible() and not panel.search_button.isEnabled()
    panel._on_searched(started[0], SearchResult(_passages(folder)))
    assert not panel.searching.isVisible() and panel.search_button.isEnabled()
    assert panel.results.list.item(0).text().splitlines()[1].endswith("in files/2024")
    panel.shutdown()
