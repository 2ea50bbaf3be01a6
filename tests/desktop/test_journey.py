"""One whole journey of a new Japanese user through the real window, with the real bundled model:
first launch → a Japanese question (the notice) → the library from the header → download and use the
recommended model (served by the local hub) → attach a folder of notes → an answer with sources →
regenerate while switching conversations → restart and find all of it.

Screenshots of each step, ja and en, 1440x900 and 900x600, go to test-artifacts/journey/. For real
fonts: ``QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" nice -n 19 .venv/bin/python -m
pytest tests/desktop/test_journey.py``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop import i18n
from desktop.language_notice import DISMISSED, LanguageNotice, should_notify
from desktop.library_prefs import flag
from models.conversations import ConversationStore
from models.paths import models_dir

from .conftest import greedy
from .test_chat_documents import write_notes

SIZES = ((1440, 900), (900, 600))
LONG = 300_000  # ms: the real model on a loaded 2-core machine


def shoot(window: QWidget, qtbot, folder: Path, name: str, also: QWidget | None = None) -> None:
    """The window (and ``also``, another top-level window) in both languages and both sizes; the
    journey goes on in Japanese at 1440x900."""
    for language in ("ja", "en"):
        i18n.apply_language(language)
        for width, height in SIZES:
            for widget, suffix in ((window, ""), (also, "_library")):
                if widget is None:
                    continue
                widget.resize(width, height)
                qtbot.wait(200)
                if widget is window:
                    bar = window.chat_view.verticalScrollBar()
                    bar.setValue(bar.maximum())
                    qtbot.wait(50)
                widget.grab().save(str(folder / f"{name}{suffix}_{language}_{width}x{height}.png"))
    i18n.apply_language("ja")
    window.resize(*SIZES[0])
    qtbot.wait(100)


def click(qtbot, button: QWidget) -> None:
    """A real mouse click (the widget must be on screen and enabled, as for a user)."""
    qtbot.waitUntil(button.isVisible, timeout=2000)  # new widgets are shown by the event loop
    assert button.isEnabled(), button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def ask(window, qtbot, text: str, timeout: int = LONG):
    """Type and press Send, as a user does; the answer's finish event."""
    window.input.setPlainText(text)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=timeout) as done:
        click(qtbot, window.send_button)
    assert "\ufffd" not in done.args[0].text  # no half character where the token limit cut it
    return done.args[0]


def open_conversation(window, qtbot, conv_id: int) -> None:
    """Click the conversation in the list."""
    listing = window.conversations.list
    for row in range(listing.count()):
        item = listing.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == conv_id:
            qtbot.mouseClick(
                listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center()
            )
            break
    assert window.controller.conversation_id == conv_id


def test_a_new_japanese_user(make_window, qtbot, hub, bundled_model, tmp_path, artifacts_dir, monkeypatch):
    shots = artifacts_dir / "journey"
    shots.mkdir(exist_ok=True)
    tokens: list[str] = []

    # 1. First launch in Japanese: the welcome says what the built-in model is and offers one model.
    window = make_window(language="ja")
    window.host.worker.token.connect(tokens.append)
    qtbot.waitUntil(
        lambda: window.controller.model_ready and window.library.welcome is not None, timeout=LONG
    )
    welcome = window.library.welcome
    assert welcome.isVisibleTo(window) and "英語" in welcome.about.text()
    assert welcome.pitch.text().startswith("日本語で使うなら")
    recommended = window.library.recommended()
    assert recommended is not None and recommended.speaks("ja")
    assert not hub.log, "the first launch contacted the hub"
    shoot(window, qtbot, shots, "01_welcome")

    # 2. A Japanese question to the English model: an answer streams, the notice offers the model.
    greedy(window, max_tokens=8)
    ask(window, qtbot, "日本の首都はどこですか？")
    assert tokens and window.chat_view.messages[-1].content
    (notice,) = [n for n in window.chat_view.findChildren(LanguageNotice) if n.isVisibleTo(window)]
    assert "日本語" in notice.text.text() and recommended.name in notice.get_button.text()
    shoot(window, qtbot, shots, "02_japanese_notice")
    click(qtbot, notice.close_button)
    assert flag(DISMISSED)

    # 3. The library from the header's picker; the recommended model comes from the (local) hub.
    served = f"{recommended.repo.split('/')[-1].removesuffix('-GGUF')}-{recommended.quantization}.gguf"
    hub.add_repo(recommended.repo, {served: bundled_model.read_bytes()})  # real weights, so it answers
    click(qtbot, window.library.picker.library_button)
    library = window.library.library
    assert library is not None and library.isVisible() and library.tabs.currentIndex() == 0
    card = library.catalog.card(recommended.id)
    seen: list[str] = []
    window.library.downloads.changed.connect(lambda _job: seen.append(card.button.text()))
    click(qtbot, card.button)
    qtbot.waitUntil(lambda: card.button.text() == "使う", timeout=LONG)
    assert any(t.startswith("ダウンロード中") and "%" in t for t in seen), seen  # progress on the card
    path = str(models_dir() / served)
    assert Path(path).is_file()
    shoot(window, qtbot, shots, "03_library_downloaded", also=library)
    with qtbot.waitSignal(window.controller.model_loaded, timeout=LONG):
        click(qtbot, card.button)
    library.close()
    assert window.controller.model_path == path
    # One name everywhere: the library's card, the chat header's picker and the status bar.
    assert window.library.picker.combo.currentText() == card.name.text() == recommended.name
    assert recommended.name in window.status_label.text()

    # 4. A new chat, a Japanese question: an answer streams, and no notice (the model speaks Japanese).
    click(qtbot, window.header.new_button)
    assert welcome.isVisibleTo(window) and not welcome.card.isVisibleTo(window)  # nothing left to offer
    assert (
        "英語" not in welcome.about.text()
        and welcome.prompt_buttons[0].text() == "次の文章を3行で要約してください："
    )
    shoot(window, qtbot, shots, "04_new_chat_with_the_model")
    greedy(window, max_tokens=8)
    ask(window, qtbot, "こんにちは。自己紹介してください。")
    assert not [n for n in window.chat_view.findChildren(LanguageNotice) if n.isVisibleTo(window)]

    # 5. A folder of notes (one Japanese, one English) attached with the paperclip's "Add a folder…".
    notes = write_notes(tmp_path / "メモ")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(notes)))
    menu = window.chat_documents.button.menu()
    menu.aboutToShow.emit()
    (add_folder,) = [a for a in menu.actions() if a.text() == "フォルダーを追加…"]
    add_folder.trigger()
    conv = window.controller.conversation_id
    qtbot.waitUntil(lambda: not window.chat_documents.indexing, timeout=LONG)
    assert window.chat_documents.status.text() == "回答に使う文書：メモ"  # the folder, not "chat-2"
    greedy(window, max_tokens=12)
    ask(window, qtbot, "会議室の予約は誰に連絡しますか？")
    answer = window.chat_view.messages[-1]
    panel = answer.sources_panel
    assert panel.isVisible() and Path(panel.sources[0].path).name == "会議室.txt"
    assert panel.summary.text() == "出典：1 件のファイルから 1 か所を参照"
    # How to search better is said once, by the one-click offer of the embedding model recommended
    # for this computer under the chat (no second banner saying the same).
    offer = window.chat_documents.embedding_offer
    assert not offer.isHidden() and "multilingual-e5" in offer.label.text()
    assert "「モデルライブラリ…」" not in window.banner.label.text()
    panel.list.linkActivated.emit("source:1")  # a click on the source's link
    assert panel.passage.isVisible() and "内線1234" in panel.passage.text()
    shoot(window, qtbot, shots, "05_sources")

    # 6. Regenerate; while it streams, a question in a new chat; back again: both answers complete.
    greedy(window, max_tokens=16)
    before = len(tokens)
    click(qtbot, answer.regenerate_button)
    qtbot.waitUntil(lambda: len(tokens) > before + 2, timeout=LONG)
    click(qtbot, window.header.new_button)
    greedy(window, max_tokens=8)
    window.input.setPlainText("ありがとう")
    click(qtbot, window.send_button)
    other = window.controller.conversation_id
    assert other != conv and window.controller.queue  # waits for the regenerated answer
    open_conversation(window, qtbot, conv)
    qtbot.waitUntil(lambda: not window.controller.generating, timeout=LONG)
    last = window.chat_view.messages[-1]
    assert last.version_label.text() == "2/2" and last.sources_panel.sources and last.content
    click(qtbot, last.previous_button)
    assert window.chat_view.messages[-1].version_label.text() == "1/2"
    with ConversationStore() as store:
        assert [m.role for m in store.messages(other)] == ["user", "assistant"]
        assert store.messages(other)[-1].content and store.messages(other)[-1].finish_reason in (
            "stop",
            "length",
        )
    shoot(window, qtbot, shots, "06_versions")

    # 7. Close and start again on the same data folder: all of it is still there.
    window.close()
    again = make_window(language="ja")
    qtbot.waitUntil(lambda: again.controller.model_ready, timeout=LONG)
    assert again.controller.model_path == path  # the model choice is remembered
    assert again.library.picker.combo.currentText() == recommended.name
    assert len(again.conversations.ids()) == 3
    assert not should_notify("日本の首都はどこですか？", str(bundled_model))  # the notice stays dismissed
    open_conversation(again, qtbot, conv)
    shown = again.chat_view.messages
    assert [m.role for m in shown] == ["user", "assistant", "user", "assistant"]
    assert shown[-1].version_label.text() == "1/2"  # the version the user chose last
    assert Path(shown[-1].sources_panel.sources[0].path).name == "会議室.txt"
    assert again.chat_documents.attached() == [f"chat-{conv}"] and again.chat_documents.isVisible()
    click(qtbot, shown[-1].next_button)
    assert again.chat_view.messages[-1].version_label.text() == "2/2"
    shoot(again, qtbot, shots, "07_after_restart")
