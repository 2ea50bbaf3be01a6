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
        page.workers_details.click()
        assert page.workers_note.isVisible() and "rpc-worker" in page.workers_note.text()
        if lang == "ja":
            assert page.workers_details.text() == "詳細"
            assert page.workers_box.title() == "ほかのコンピューターの力で大きなモデルを動かす"
        dialog.grab().save(str(artifacts_dir / f"other_computers_plain_{lang}.png"))
    finally:
        i18n.apply_language("en")
