"""The documents panel with the real embedding engine: index, cancel, search, click a source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.documents_panel import DocumentsPanel
from desktop.sources_view import SourcesView
from models.documents.embedder import EngineEmbedder, open_embedder
from tests.models.documents_corpus import write_bad_pdfs, write_english, write_japanese


@pytest.fixture(scope="module")
def embedder(bundled_model: Path) -> Iterator[EngineEmbedder]:
    # One thread: on a shared 2-core machine llama.cpp's threads wait on each other (several times
    # slower); on an idle one it costs little for a 135M model.
    with open_embedder(bundled_model, n_threads=1) as opened:
        yield opened


@pytest.fixture
def panel(qtbot: QtBot, embedder: EngineEmbedder) -> Iterator[DocumentsPanel]:
    widget = DocumentsPanel(embedders=lambda _collection: embedder)
    widget.show_dialogs = False
    qtbot.addWidget(widget)
    widget.resize(1000, 700)
    widget.show()
    yield widget
    widget.shutdown()


def _states(panel: DocumentsPanel) -> dict[str, str]:
    tree = panel.documents
    return {
        tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())
    }


def test_index_search_and_read_a_source(
    qtbot, panel: DocumentsPanel, tmp_path: Path, artifacts_dir: Path
) -> None:
    folder = write_english(tmp_path / "files")
    write_bad_pdfs(folder)
    panel.create_collection("notes")
    assert panel.collections.currentItem().text() == "notes"

    with qtbot.waitSignal(panel.index_finished, timeout=120_000) as indexed:
        panel.add_paths([folder])
    report = indexed.args[0]
    assert report.added == 4 and len(report.failed) == 2
    states = _states(panel)
    assert "password" in states["locked.pdf"] and states["locked.pdf"].startswith("Not indexed")
    assert "passage" in states["bread.docx"]
    assert "could not be read" in panel.status.text()

    panel.query.setText("sourdough starter")
    with qtbot.waitSignal(panel.search_finished, timeout=60_000):
        panel.search_button.click()
    results = panel.results.list
    assert results.count() > 0
    assert (
        results.item(0).text().startswith("[1] bread.docx — section “Sourdough")
        and "●●●●● best match" in results.item(0).text()  # relevance in words and a bar, not a raw score
    )

    with qtbot.waitSignal(panel.results.passage_selected) as selected:
        qtbot.mouseClick(
            results.viewport(),
            Qt.MouseButton.LeftButton,
            pos=results.visualItemRect(results.item(0)).center(),
        )
    assert selected.args[0].location == "bread.docx § Sourdough"
    assert "Sourdough bread rises with a starter" in panel.results.shown_text()
    panel.grab().save(str(artifacts_dir / "documents_panel.png"))


def test_cancel_keeps_what_was_done_and_update_goes_on(
    qtbot: QtBot, panel: DocumentsPanel, tmp_path: Path
) -> None:
    folder = write_japanese(tmp_path / "files")
    panel.create_collection("日本語")
    with qtbot.waitSignal(panel.index_cancelled, timeout=60_000):
        panel.add_paths([folder])
        assert panel.is_indexing() and not panel.update_button.isEnabled()
        panel.cancel_indexing()
    assert not panel.is_indexing() and "cancelled" in panel.status.text()
    with qtbot.waitSignal(panel.index_finished, timeout=120_000) as indexed:
        panel.update_button.click()
    assert indexed.args[0].added + indexed.args[0].unchanged == 4
    assert len(_states(panel)) == 4


def test_sources_view_under_an_answer(qtbot: QtBot) -> None:
    from models.documents import Passage

    view = SourcesView(show_scores=False)
    qtbot.addWidget(view)
    view.set_passages(
        [
            Passage(
                1, "/d/report.pdf", 3, None, "第三四半期の売上は前年比で一二パーセント増えました。", 0.03
            ),
            Passage(2, "/d/notes.md", None, "Setup › Linux", "Install the package with apt.", 0.02),
        ]
    )
    assert view.list.item(0).text().startswith("[1] report.pdf — page 3\nin /d\n")
    assert "score" not in view.list.item(0).text()
    view.show_passage(1)
    assert (
        "notes.md — section “Setup › Linux”" in view.shown_text()
        and "Install the package with apt." in view.shown_text()
    )


def test_enter_in_the_search_box_searches_and_does_not_open_new_collection(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """In the Documents window (a dialog), Enter in the search box used to press "New…"."""
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    panel = DocumentsPanel(dialog)
    layout.addWidget(panel)
    panel.create_collection("notes")
    dialog.show()
    asked: list[bool] = []
    panel._ask_new_collection = lambda: asked.append(True)  # type: ignore[method-assign]
    searched: list[bool] = []
    panel.start_search = lambda: searched.append(True)  # type: ignore[method-assign]
    panel.query.returnPressed.disconnect()
    panel.query.returnPressed.connect(panel.start_search)
    panel.query.setText("bread")
    panel.query.setFocus()
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert searched == [True] and asked == []
    assert not any(b.isDefault() or b.autoDefault() for b in panel.findChildren(type(panel.new_button)))
    panel.shutdown()
