"""UI language: follows settings, switches live, and no English string is left on screen in Japanese."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from desktop.i18n import update


def _ja_pairs() -> dict[str, str]:
    pairs = {}
    for msg in ET.parse(update.TS_FILES["ja"]).getroot().iter("message"):
        translation = msg.find("translation")
        pairs[msg.findtext("source") or ""] = (
            "".join(translation.itertext()).strip() if translation is not None else ""
        )
    return pairs


def visible_texts(root: QWidget) -> set[str]:
    """Every string a person can see (or hover) in ``root`` and its visible children."""
    texts: set[str] = {root.windowTitle()}
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        texts.add(widget.toolTip())
        if isinstance(widget, QLabel | QAbstractButton):
            texts.add(widget.text())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.add(widget.placeholderText())
        if isinstance(widget, QGroupBox):
            texts.add(widget.title())
        if isinstance(widget, QComboBox):
            texts.update(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QTableWidget):
            texts.update(
                widget.horizontalHeaderItem(i).text()
                for i in range(widget.columnCount())
                if widget.horizontalHeaderItem(i)
            )
    for action in root.findChildren(__import__("PySide6.QtGui", fromlist=["QAction"]).QAction):
        texts.add(action.text())
    return {t for t in texts if t}


def english_left(texts: set[str]) -> set[str]:
    pairs = _ja_pairs()
    untranslatable = {src for src, ja in pairs.items() if src == ja}  # "OK", "Top K"
    # The language picker names each language in itself ("English" in a Japanese UI, on purpose),
    # even though "English" as a language a model speaks is translated (英語).
    from desktop.settings_dialog import LANGUAGE_NAMES

    untranslatable |= set(LANGUAGE_NAMES.values())
    return {t for t in texts if t in pairs and t not in untranslatable}


def test_japanese_ui_has_no_english_strings(make_window, qtbot):
    window = make_window(start=False, language="ja")
    window.conversations.reload()
    texts = visible_texts(window)
    assert "送信" in texts and "新しいチャット" in texts
    assert english_left(texts) == set()
    window.open_settings()
    dialog = window._settings_dialog
    assert english_left(visible_texts(dialog)) == set()
    assert dialog.windowTitle() == "設定"
    dialog.reject()
    window.open_model_manager()  # the model library, at its Installed view
    library = window.library.library
    assert english_left(visible_texts(library)) == set()
    assert library.windowTitle() == "モデルライブラリ"
    for tab in ("catalog", "search", "downloads"):
        library.show_tab(tab)
        assert english_left(visible_texts(library)) == set(), tab
    library.close()
    window.open_conversion_wizard()
    wizard = window._conversion_wizard
    assert english_left(visible_texts(wizard)) == set()
    assert wizard.windowTitle() == "モデルを変換"
    wizard.reject()


def test_language_switches_live_from_settings(make_window, qtbot):
    window = make_window(start=False, language="en")
    assert window.send_button.text() == "Send"
    assert window.model_panel.captions["backend"].text() == "Backend"
    window.open_settings()
    dialog = window._settings_dialog
    dialog.language.setCurrentIndex(dialog.language.findData("ja"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.send_button.text() == "送信", timeout=2000)  # LanguageChange is posted
    assert window.model_panel.captions["backend"].text() == "バックエンド"
    assert window.file_menu.title() == "ファイル(&F)"
    assert window.input.placeholderText().startswith("メッセージ")
    assert window.chat_view.empty_label.text().startswith("何でも")
    window.open_settings()
    dialog = window._settings_dialog
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.accept()
    qtbot.waitUntil(lambda: window.send_button.text() == "Send", timeout=2000)
    assert window.file_menu.title() == "&File"
    assert english_left(visible_texts(window)) != set()  # sanity: the check does see English


def test_system_locale_decides_by_default(monkeypatch):
    from PySide6.QtCore import QLocale

    from desktop import i18n

    QLocale.setDefault(QLocale("ja_JP"))
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("ja_JP")))
    assert i18n.resolve("system") == "ja"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("en_US")))
    assert i18n.resolve("system") == "en"
    assert i18n.resolve("ja") == "ja"
