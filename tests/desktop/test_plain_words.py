"""Settings › Other computers in plain words (issue 15): what it is for first; RPC, layers, host:port
only under "Details" (or in tooltips); every string in Japanese too."""

from __future__ import annotations

import pytest

JARGON = ("RPC", "rpc-worker", "layers", "host:port", "OpenAI", "llama.cpp")


def _visible_texts(widget) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    texts = [w.text() for w in widget.findChildren(QLabel) if w.isVisible()]
    texts += [w.text() for w in widget.findChildren(QAbstractButton) if w.isVisible()]
    texts += [w.title() for w in widget.findChildren(QGroupBox) if w.isVisible()]
    return texts


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_other_computers_says_what_it_is_for_and_hides_the_jargon(
    qtbot, settings, artifacts_dir, lang
) -> None:
    from desktop import i18n
    from desktop.settings_dialog import SettingsDialog

    i18n.apply_language(lang)
    try:
        dialog = SettingsDialog(settings)
        qtbot.addWidget(dialog)
        dialog.tabs.setCurrentIndex(3)
        dialog.resize(900, 600)
        dialog.show()
        page = dialog.other_computers_page
        qtbot.waitUntil(page.intro.isVisible)
        intro = page.intro.text()
        assert ("memory" in intro and "too big" in intro) if lang == "en" else "メモリ" in intro
        shown = " ".join(_visible_texts(page))
        assert not [word for word in JARGON if word in shown], shown
        assert page.worker_address.toolTip() and page.server_url.toolTip()  # the exact format, on demand
        assert not page.remove_worker.isEnabled()  # nothing selected to remove
        page.worker_address.setText("192.168.1.20")
        page.add_worker.click()
        page.workers.setCurrentRow(0)
        assert page.remove_worker.isEnabled()
        page.workers_details.click()
        assert page.workers_note.isVisible() and "rpc-worker" in page.workers_note.text()
        if lang == "ja":
            assert page.workers_details.text() == "詳細"
            assert page.workers_box.title() == "他のコンピューターの力で大きなモデルを動かす"
        dialog.grab().save(str(artifacts_dir / f"other_computers_plain_{lang}.png"))
    finally:
        i18n.apply_language("en")


def test_installed_models_in_japanese_say_what_a_user_asks(qtbot, bundled_model) -> None:
    """Name, what for, languages, size, state; the technical words only in the row's tooltip."""
    from desktop import i18n
    from desktop.model_manager import InstalledView

    i18n.apply_language("ja")
    try:
        view = InstalledView(loaded_path=str(bundled_model))
        qtbot.addWidget(view)
        headers = [view.table.horizontalHeaderItem(i).text() for i in range(view.table.columnCount())]
        assert headers == ["モデル", "用途", "言語", "ディスク上のサイズ", "状態"]
        row = [view.table.item(0, i).text() for i in range(view.table.columnCount())]
        assert row[1:3] == ["チャット", "英語"] and row[4] == "● 使用中"
        assert "量子化：Q4_1" in view.table.item(0, 0).toolTip()
        assert view.import_button.text() == "GGUF をインポート…"
    finally:
        i18n.apply_language("en")
