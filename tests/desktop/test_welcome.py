"""First run: the welcome in the empty chat (both languages), its one-click download that loads the
model when done, and the notice under a Japanese question to a model that does not speak Japanese."""

from __future__ import annotations

import pytest

from desktop import i18n
from desktop.language_notice import LanguageNotice, should_notify
from desktop.library_downloads import Downloads
from desktop.library_prefs import flag
from desktop.library_state import Installed
from desktop.welcome import Welcome
from models.paths import models_dir
from tests.desktop.library_fixtures import BUDGET, SMALL_FILE


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_welcome_on_the_empty_chat(make_window, qtbot, lang, bundled_model):
    window = make_window(start=False, language=lang)
    qtbot.waitUntil(lambda: window.library.budget is not None, timeout=10000)  # measured on a thread
    window.library.welcome.set_model(str(bundled_model))
    welcome = window.library.welcome
    assert welcome.isVisibleTo(window) and not window.chat_view.empty_label.isVisibleTo(window)
    if lang == "ja":
        assert welcome.title.text() == "Tomoshibi へようこそ"
        assert "英語" in welcome.about.text()
        assert welcome.pitch.text().startswith("日本語で使うなら")
        assert welcome.recommended.speaks("ja")
    else:
        assert welcome.title.text() == "Welcome to Tomoshibi"
        assert "only in English" in welcome.about.text()
    # The bundled model speaks English: its example prompts are English in both languages.
    assert welcome.prompt_buttons[0].text() == "Write a haiku about autumn."
    welcome.prompt_buttons[0].click()
    assert window.input.toPlainText() == "Write a haiku about autumn."


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_one_click_download_loads_the_model(qtbot, hub, entries, lang):
    i18n.apply_language(lang)
    try:
        downloads = Downloads(entries)
        welcome = Welcome(downloads, Installed(entries), entries, BUDGET)
        qtbot.addWidget(welcome)
        welcome.show()
        assert welcome.recommended.id == "qwen3-1.7b-q4_k_m"
        assert welcome.get_button.text().startswith(
            "ダウンロードして使う" if lang == "ja" else "Download and use"
        )
        with qtbot.waitSignal(welcome.load_requested, timeout=30000) as loaded:
            welcome.get_button.click()
        assert loaded.args == [str(models_dir() / SMALL_FILE)]
        welcome.set_model(loaded.args[0])
        assert not welcome.card.isVisibleTo(welcome)  # in use: nothing left to recommend
        downloads.shutdown()
    finally:
        i18n.apply_language("en")


def test_should_notify(bundled_model, tmp_path):
    assert should_notify("日本の首都はどこですか？", str(bundled_model))
    assert not should_notify("What is the capital of Japan?", str(bundled_model))
    unknown = tmp_path / "mystery.gguf"
    unknown.write_bytes(b"GGUF")  # no catalog entry, unreadable metadata: not known to speak Japanese
    assert should_notify("こんにちは", str(unknown))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_japanese_question_to_an_english_model(ready_window, qtbot, lang):
    window = ready_window
    i18n.apply_language(lang)
    from tests.desktop.conftest import greedy

    greedy(window, 2)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=60000):
        window.send("日本の首都はどこですか？")
    notices = window.chat_view.findChildren(LanguageNotice)
    assert len(notices) == 1 and notices[0].isVisibleTo(window)
    text = notices[0].text.text()
    assert ("日本語" in text) if lang == "ja" else ("not trained for Japanese" in text)
    assert window.library.recommended().name in notices[0].get_button.text()
    notices[0].close_button.click()
    assert flag("japanese_notice_dismissed")
    assert not should_notify("東京について教えて", window.controller.model_path)
    window.library.notice._answered(None)  # the next answer: no notice any more
    qtbot.wait(50)
    assert not [n for n in window.chat_view.findChildren(LanguageNotice) if n.isVisibleTo(window)]


@pytest.mark.parametrize("size", [(1440, 900), (900, 600)])
def test_the_download_button_is_on_screen(make_window, qtbot, bundled_model, size):
    """The welcome's main action is visible without scrolling in a roomy window (it was cut off under
    a 24-line scroll area) and reachable by scrolling the welcome in a short one."""
    window = make_window(start=False, language="ja")
    window.resize(*size)
    qtbot.waitUntil(lambda: window.library.welcome is not None, timeout=10000)
    welcome = window.library.welcome
    welcome.set_model(str(bundled_model))
    qtbot.wait(200)
    button, viewport = welcome.get_button, welcome.scroll.viewport()
    assert button.isVisibleTo(window)
    welcome.scroll.ensureWidgetVisible(button)
    top_left = button.mapTo(viewport, button.rect().topLeft())
    bottom_right = button.mapTo(viewport, button.rect().bottomRight())
    assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)
    if size == (1440, 900):
        assert welcome.scroll.verticalScrollBar().maximum() == 0  # all of it, no inner scrolling
