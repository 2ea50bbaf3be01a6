"""Documents in the chat with the real bundled model: an attached collection answers with sources,
files dropped on the chat are indexed for it, and the prompt quotes passages as data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from models.conversations import ConversationStore
from models.turn import DOCUMENTS_RULE

from .conftest import greedy


def write_notes(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tea.md").write_text(
        "# Brewing green tea\n\nGreen tea is brewed at 70 degrees Celsius for two minutes. "
        "Boiling water makes it bitter.\n",
        encoding="utf-8",
    )
    (folder / "会議室.txt").write_text(
        "会議室の予約は総務部の山田さんに内線1234で連絡してください。予約は三日前までにお願いします。\n",
        encoding="utf-8",
    )
    return folder


def send(window, qtbot, text: str, timeout: int = 300_000):
    with qtbot.waitSignal(window.controller.reply_finished, timeout=timeout) as blocker:
        assert window.controller.send(text)
    return blocker.args[0]


def _drop_event(kind, paths: list[Path]):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    action, button, mods = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    if kind is QDragEnterEvent:
        return mime, QDragEnterEvent(QPoint(20, 20), action, mime, button, mods)
    return mime, QDropEvent(QPointF(20, 20), action, mime, button, mods)


def test_attached_collection_answers_with_sources(
    ready_window, qtbot, tmp_path, bundled_model, artifacts_dir
):
    from models.documents import index_collection, open_collection
    from models.documents.embedder import open_embedder

    window = ready_window
    collection = open_collection("notes", create=True)
    collection.add_sources([write_notes(tmp_path / "notes")])
    with open_embedder(bundled_model, n_threads=1) as embedder:  # as the Documents window indexes
        index_collection(collection, embedder)
    window.chat_documents.set_attached("notes", True)
    assert window.chat_documents.status.text().endswith("notes")
    offer = window.chat_documents.embedding_offer
    qtbot.waitUntil(lambda: offer.installed is not None, timeout=10000)  # looked up on a thread
    greedy(window, max_tokens=24)
    turns = []
    window.host.worker.turn_ready.connect(lambda _id, turn: turns.append(turn))
    send(window, qtbot, "At what temperature is green tea brewed?")

    # The answer shows its sources: file and section; a click shows the passage.
    answer = window.chat_view.messages[-1]
    panel = answer.sources_panel
    assert panel.isVisible() and panel.sources
    assert Path(panel.sources[0].path).name == "tea.md" and "Brewing green tea" in panel.sources[0].location
    n, files = len(panel.sources), len({s.path for s in panel.sources})
    passages = f"{n} passage{'s' if n > 1 else ''}"
    assert f"{passages} from {files} file{'s' if files > 1 else ''} used" in panel.summary.text()
    panel.list.linkActivated.emit("source:1")
    assert panel.passage.isVisible() and "70 degrees" in panel.passage.text()
    # Said once how to search better: no embedding model is installed, so the one-click offer under
    # the chat says it (and does it); a second banner saying the same would be noise.
    assert not offer.isHidden() and offer.entry is not None
    assert not (window.banner.isVisible() and "keywords" in window.banner.label.text())

    # What the model was sent: passages quoted as data, the question last.
    turn = turns[-1]
    assert DOCUMENTS_RULE in turn.messages[0]["content"]
    user = turn.messages[-1]["content"]
    assert user.startswith("[1] tea.md § Brewing green tea\n> ") and user.endswith(
        "Question: At what temperature is green tea brewed?"
    )
    prompt = window.host.worker.engine.render(turn.messages)
    (artifacts_dir / "chat_documents_prompt.txt").write_text(prompt, encoding="utf-8")

    # Kept with the answer; a Japanese question finds the Japanese note by keywords.
    stored = window.store.messages(window.controller.conversation_id)[-1]
    assert stored.sources and stored.sources[0]["path"].endswith("tea.md")
    send(window, qtbot, "会議室の予約は誰に連絡しますか")
    assert Path(window.chat_view.messages[-1].sources_panel.sources[0].path).name == "会議室.txt"
    assert window.store.get(window.controller.conversation_id).collections == ("notes",)

    # Regenerated: two versions, each with its sources; screenshots of it (ja, en; two sizes).
    greedy(window, max_tokens=40)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=180_000):
        window.chat_view.messages[-1].regenerate_button.click()
    last = window.chat_view.messages[-1]
    assert last.version_label.text() == "2/2" and last.sources_panel.sources
    last.sources_panel.show_passage(1)
    screenshots(window, qtbot, artifacts_dir, "chat_documents_versions")


def screenshots(window, qtbot, artifacts_dir: Path, name: str) -> None:
    from desktop import i18n

    window.banner.hide()
    for language in ("ja", "en"):
        i18n.apply_language(language)
        for width, height in ((1440, 900), (900, 600)):
            window.resize(width, height)
            qtbot.wait(300)
            window.chat_view.verticalScrollBar().setValue(window.chat_view.verticalScrollBar().maximum())
            qtbot.wait(100)
            window.grab().save(str(artifacts_dir / f"{name}_{language}_{width}x{height}.png"))
    i18n.apply_language("en")


def test_files_dropped_on_the_chat_are_indexed_for_it(ready_window, qtbot, tmp_path):
    window = ready_window
    view = window.chat_view
    notes = write_notes(tmp_path / "dropped")
    # A model file is left to the window (it imports models); documents are the chat's.
    _mime, enter = _drop_event(QDragEnterEvent, [tmp_path / "model.gguf"])
    view.dragEnterEvent(enter)
    assert not enter.isAccepted()
    _mime, drop = _drop_event(QDropEvent, [notes / "tea.md"])
    view.dropEvent(drop)
    conv_id = window.controller.conversation_id
    assert conv_id is not None and window.store.get(conv_id).collections == (f"chat-{conv_id}",)
    assert window.chat_documents.indexing and "Indexing" in window.chat_documents.status.text()
    # Named by what was dropped, not by the collection's internal name.
    assert (
        "tea.md" in window.chat_documents.status.text() and "chat-" not in window.chat_documents.status.text()
    )
    qtbot.waitUntil(lambda: not window.chat_documents.indexing, timeout=180_000)
    # No embedding model is installed: the chat searches by keywords, so nothing was embedded with the
    # chat model (minutes of CPU for a long file, for vectors the chat would not use).
    from models.documents import open_collection

    collection = open_collection(f"chat-{conv_id}")
    assert collection.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0] > 0
    assert collection.db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 0
    greedy(window, max_tokens=16)
    send(window, qtbot, "How long is green tea brewed?")
    sources = window.chat_view.messages[-1].sources_panel.sources
    assert sources and Path(sources[0].path).name == "tea.md"
    with ConversationStore() as other:
        assert other.get(conv_id).collections == (f"chat-{conv_id}",)


def test_a_source_passage_names_its_file_from_home(qtbot):
    from desktop.message_widget import SourcesPanel
    from models.turn import Source

    panel = SourcesPanel()
    qtbot.addWidget(panel)
    note = Path.home() / "メモ" / "会議室.txt"
    panel.set_sources([Source(1, str(note), "会議室の予約は内線1234へ。")])
    panel.list.linkActivated.emit("source:1")
    assert panel.passage.text().splitlines()[:2] == ["[1] 会議室.txt", str(Path("~") / "メモ" / "会議室.txt")]
