"""The look: the theme follows the system, icons, nothing clipped at 900x600, no English left in the
Japanese UI (every window and dialog), Qt's own dialogs in Japanese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QPushButton

from desktop import i18n, icons, theme
from tests.desktop.ui_walk import english_in, squeezed, sticking_out


@pytest.fixture
def restore_theme(monkeypatch):
    yield
    monkeypatch.undo()
    theme.apply_theme("light")


def _checkpoint(folder: Path) -> Path:
    """A config.json is all the wizard reads before Start (a 1B llama shape)."""
    folder.mkdir(parents=True)
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": 2048,
        "num_hidden_layers": 16,
        "num_attention_heads": 32,
        "num_key_value_heads": 8,
        "vocab_size": 128256,
        "intermediate_size": 8192,
        "tie_word_embeddings": True,
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


# --- theme ------------------------------------------------------------------------------------------
def test_theme_follows_a_dark_system_palette(qtbot, monkeypatch, restore_theme):
    app = QApplication.instance()
    button = QPushButton()
    qtbot.addWidget(button)
    theme.apply_theme("system")
    monkeypatch.setattr(theme, "_system_scheme", lambda: Qt.ColorScheme.Light)
    theme.apply_theme("system")
    button.setIcon(icons.icon("send"))
    light_icon = button.icon().cacheKey()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    # The system switches to dark: the signal Qt sends then re-applies the theme.
    monkeypatch.setattr(theme, "_system_scheme", lambda: Qt.ColorScheme.Dark)
    theme._system_scheme_changed(Qt.ColorScheme.Dark)
    assert theme.is_dark()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 60
    assert app.palette().color(QPalette.ColorRole.Text).lightness() > 200
    assert button.icon().cacheKey() != light_icon  # icons were re-tinted for the dark theme
    # The setting wins over the system.
    theme.apply_theme("light")
    assert not theme.is_dark()
    theme._system_scheme_changed(Qt.ColorScheme.Dark)  # ignored while the setting says light
    assert not theme.is_dark()


def test_system_without_a_scheme_is_read_from_its_palette(monkeypatch, restore_theme):
    """Older desktops report no scheme: the lightness of the platform's own palette decides."""
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    monkeypatch.setattr(theme, "_system_scheme", lambda: Qt.ColorScheme.Unknown)
    monkeypatch.setitem(theme._state, "system_palette", dark)
    assert theme.resolve("system") is theme.DARK
    assert theme.resolve("light") is theme.LIGHT


def test_ui_font_has_a_japanese_fallback(restore_theme):
    theme.apply_theme("light")
    font = QApplication.instance().font()
    installed = [f for f in theme.CJK_FALLBACKS if f in QFontDatabase.families()]
    assert font.pointSizeF() >= 10
    assert font.families()[1:] == installed  # after the system's UI font, every Japanese face present


def test_every_icon_renders_sharp_on_hidpi():
    for name in icons.names():
        pixmap = icons.icon(name).pixmap(QSize(20, 20), 2.0)
        assert pixmap.size() == QSize(40, 40) and pixmap.devicePixelRatio() == 2.0, name
        image = pixmap.toImage()
        assert any(image.pixelColor(x, y).alpha() for x in range(40) for y in range(40)), name
    with pytest.raises(ValueError, match="known"):
        icons.icon("no-such-icon")


# --- layout -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["ja", "en"])
def test_nothing_clips_at_900x600(make_window, qtbot, language, restore_theme):
    theme.apply_theme("light")
    window = make_window(start=False, language=language)
    window.resize(900, 600)
    qtbot.waitExposed(window)
    window.conversations.reload()
    QApplication.processEvents()
    assert window.width() <= 900 and window.height() <= 600
    assert not window.advanced.isVisible()  # the technical panel waits behind "Advanced"
    assert window.chat_view.width() >= 560  # the chat is the centre
    assert sticking_out(window) == []
    assert squeezed(window) == []
    window.header.sheet_button.click()  # open the Advanced sheet
    QApplication.processEvents()
    assert window.advanced.isVisible() and window.chat_view.width() >= 400
    assert sticking_out(window) == []
    assert squeezed(window) == []


def test_window_title_does_not_repeat_the_name(make_window):
    window = make_window(start=False, language="ja")
    assert window.windowTitle() == "Tomoshibi（灯）"
    assert QApplication.applicationDisplayName() == "Tomoshibi（灯）"  # Qt appends it unless equal


def test_conversation_list_groups_by_day(make_window, qtbot):
    import time

    from models.conversations import ConversationStore

    store = ConversationStore()
    store.new_conversation("a" * 200)
    store.close()
    window = make_window(start=False, language="ja")
    window.conversations.reload()
    from desktop.conversation_rows import GROUP_ROLE, day_group

    item = window.conversations.list.item(0)
    assert item.data(GROUP_ROLE) == "今日"
    now = time.time()
    assert day_group(now, now) == "today" and day_group(now - 86400, now) == "yesterday"
    assert day_group(now - 5 * 86400, now) == "earlier"


# --- words --------------------------------------------------------------------------------------------
def test_japanese_everywhere(make_window, qtbot, tmp_path, restore_theme):
    """Every window and dialog opened in Japanese shows no English sentence."""
    theme.apply_theme("light")
    window = make_window(start=False, language="ja")
    window.resize(1440, 900)
    window.conversations.reload()
    window.header.sheet_button.click()
    QApplication.processEvents()
    problems = english_in(window)

    window.open_settings()
    dialog = window._settings_dialog
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        problems += english_in(dialog)
    dialog.reject()

    window.open_documents()
    problems += english_in(window._documents_window)
    window._documents_window.view.shutdown()
    window._documents_window.close()

    window.help_menu.show_about()
    problems += english_in(window.help_menu.about_dialog)
    window.help_menu.about_dialog.reject()
    window.help_menu.show_shortcuts()
    problems += english_in(window.help_menu.shortcuts_dialog)
    window.help_menu.shortcuts_dialog.reject()

    window.open_conversion_wizard()
    wizard = window._conversion_wizard
    problems += english_in(wizard)  # intro
    wizard.next()
    problems += english_in(wizard)  # source
    wizard.source_page.source.setText(str(_checkpoint(tmp_path / "Llama-3.2-1B")))
    wizard.next()
    problems += english_in(wizard)  # device cards
    wizard.next()
    wizard.quality_page.details_button.click()
    problems += english_in(wizard)  # sizes
    wizard.next()
    problems += english_in(wizard)  # summary
    wizard.reject()

    window.open_model_manager()  # the model library: every tab
    library = window.library.library
    from desktop.library_window import TABS

    for tab in TABS:
        library.show_tab(tab)
        QApplication.processEvents()
        problems += english_in(library)
    library.close()
    window.open_presets()
    problems += english_in(window._presets_window)
    window._presets_window.close()
    assert problems == []


def test_qt_file_dialog_speaks_japanese(qtbot):
    i18n.apply_language("ja")
    try:
        dialog = QFileDialog(None, "")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        dialog.show()
        texts = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
        assert "場所(&L):" in texts and "ファイルの種類(&T):" in texts
        assert english_in(dialog) == []
    finally:
        i18n.apply_language("en")


def test_error_codes_speak_the_ui_language(qapp, tmp_path):
    from desktop.error_text import user_message
    from models.disk import disk_figures
    from models.errors import Code, DownloadError, EngineError

    i18n.apply_language("ja")
    try:
        offline = DownloadError(
            "Downloads are switched off: HF_HUB_OFFLINE is set.", "Unset it.", code=Code.OFFLINE
        )
        assert (
            user_message(offline)
            == "オフラインです。インターネットに接続するか、ダウンロード済みのフォルダーを選んでください。"
        )
        assert user_message(EngineError("Something odd.")) == "Something odd."  # no code: its own text
        full = _disk_full(tmp_path)
        needed, free = disk_figures(full.problem)
        assert needed.endswith(" PB") and free.endswith("B")
        # The Japanese message keeps the sizes the English one gives.
        assert user_message(full) == (
            f"ディスクの空きが足りません（必要：{needed}、空き：{free}）。"
            "空きを作るか別の場所を選んで、もう一度試してください。"
        )
    finally:
        i18n.apply_language("en")
    assert user_message(offline).startswith("You are offline.")
    assert user_message(full) == str(full)  # English: the error's own sentence, folder included


def _disk_full(folder):
    from models.disk import check_disk
    from models.errors import InsufficientDiskError

    try:
        check_disk(folder, 1 << 50, "the conversion")
    except InsufficientDiskError as error:
        return error
    raise AssertionError("a disk with an exabyte free?")


def test_dialogs_fit_and_do_not_clip(make_window, qtbot, tmp_path, restore_theme):
    """The wizard (every page before Start), settings and About fit a 900x600 screen, unclipped."""
    theme.apply_theme("dark")
    window = make_window(start=False, language="ja")
    window.open_conversion_wizard()
    wizard = window._conversion_wizard
    pages = []
    for step in range(5):
        QApplication.processEvents()
        assert wizard.width() <= 900 and wizard.height() <= 600
        pages.append(type(wizard.currentPage()).__name__)
        assert sticking_out(wizard) == [], pages[-1]
        assert squeezed(wizard) == [], pages[-1]
        if step == 1:
            wizard.source_page.source.setText(str(_checkpoint(tmp_path / "Llama-3.2-1B")))
        if step == 3:
            wizard.quality_page.details_button.click()
            QApplication.processEvents()
            assert sticking_out(wizard) == [] and squeezed(wizard) == []
        if step < 4:  # not Start
            wizard.next()
    assert pages == ["IntroPage", "SourcePage", "DevicePage", "QualityPage", "SummaryPage"]
    wizard.reject()
    window.open_settings()
    dialog = window._settings_dialog
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        assert sticking_out(dialog) == [] and squeezed(dialog) == []
    dialog.reject()


def test_help_menu(make_window, qtbot):
    from desktop.help_menu import log_path, start_file_log

    window = make_window(start=False, language="en")
    texts = [a.text() for a in window.help_menu.actions() if not a.isSeparator()]
    assert texts == ["Keyboard shortcuts", "Open the data folder", "Open the log file", "About Tomoshibi"]
    window.help_menu.show_about()
    about = window.help_menu.about_dialog.models.text()
    assert "SmolLM2-135M-Instruct" in about and "Apache License 2.0" in about and "MIT License" in about
    window.help_menu.about_dialog.reject()
    window.help_menu.show_shortcuts()
    assert window.help_menu.shortcuts_dialog.grid.count() >= 16
    window.help_menu.shortcuts_dialog.reject()
    assert start_file_log() == log_path()
    import logging

    logging.getLogger("tomoshibi.test").warning("written to the log file")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "written to the log file" in log_path().read_text(encoding="utf-8")
    for handler in list(logging.getLogger().handlers):  # the next test has its own data folder
        if getattr(handler, "baseFilename", None) == str(log_path()):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_rename_dialog_shows_the_whole_title(make_window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLineEdit

    from models.conversations import ConversationStore

    title = "京都の紅葉を見に行く一泊二日の旅行プランを考えてください"
    store = ConversationStore()
    conv = store.new_conversation(title)
    store.close()
    window = make_window(start=False, language="ja")
    window.conversations.reload()
    seen: list[tuple[int, int]] = []

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        edit = dialog.findChild(QLineEdit)
        seen.append((edit.width(), edit.fontMetrics().horizontalAdvance(title)))
        dialog.reject()

    QTimer.singleShot(200, check)
    window.conversations.rename(conv.id)
    assert seen and seen[0][0] > seen[0][1]


def test_appearance_setting_applies_at_once(make_window, qtbot, restore_theme):
    theme.apply_theme("light")
    window = make_window(start=False, language="en")
    window.open_settings()
    dialog = window._settings_dialog
    assert [dialog.appearance.itemData(i) for i in range(dialog.appearance.count())] == [
        "system",
        "light",
        "dark",
    ]
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    dialog.accept()
    assert window.settings.theme == "dark" and theme.is_dark()
