"""Settings persist in the data folder; shortcuts; conversation list: new, rename, delete, search."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.settings import AppSettings
from models.conversations import ConversationStore
from models.paths import data_dir


def test_settings_persist_across_windows(make_window, qtbot, settings):
    window = make_window(start=False, language="en")
    window.settings_action.trigger()
    dialog = window._settings_dialog
    dialog.send_key.setCurrentIndex(dialog.send_key.findData("ctrl_enter"))
    dialog.n_ctx.setValue(2048)
    dialog.language.setCurrentIndex(dialog.language.findData("ja"))
    dialog.accept()
    assert window.input.send_key == "ctrl_enter"
    again = AppSettings()
    assert (again.send_key, again.n_ctx, again.language) == ("ctrl_enter", 2048, "ja")
    assert again.path.startswith(str(data_dir()))
    window.close()
    second = make_window(start=False)
    assert second.input.send_key == "ctrl_enter"
    assert second.controller.n_ctx == 2048
    assert second.send_button.text() == "送信"


def test_shortcuts(make_window, qtbot):
    window = make_window(start=False)
    assert window.new_action.shortcut().toString() == "Ctrl+N"  # Cmd+N on a Mac
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    assert window.stop_shortcut.key().toString() == "Esc"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window.input, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "_settings_dialog", None) is not None, timeout=3000)
    window._settings_dialog.reject()


def test_conversation_list_new_rename_delete_search(make_window, qtbot):
    store = ConversationStore()
    a = store.new_conversation("Rice")
    store.add_message(a.id, "user", "How do I cook rice?")
    b = store.new_conversation("京都の旅行")
    store.add_message(b.id, "user", "清水寺への行き方")
    store.close()
    window = make_window(start=False)
    window.start_list = window.conversations.reload()
    listing = window.conversations
    assert listing.ids() == [b.id, a.id]
    listing.list.setCurrentRow(1)
    assert window.controller.conversation_id == a.id
    assert [m.content for m in window.chat_view.messages] == ["How do I cook rice?"]
    listing.rename(a.id, "Cooking")
    assert listing.list.item(1).text() == "Cooking"
    listing.search.setText("清水寺")
    qtbot.waitUntil(lambda: listing.ids() == [b.id], timeout=2000)
    listing.search.setText("")
    qtbot.waitUntil(lambda: len(listing.ids()) == 2, timeout=2000)
    listing.delete(a.id, confirm=False)
    assert listing.ids() == [b.id]
    assert window.controller.conversation_id == b.id
    window.new_action.trigger()
    assert window.controller.conversation_id is None
    assert window.chat_view.messages == []


def test_each_conversation_keeps_its_model(fake_engine, make_window, qtbot, bundled_model):
    import shutil

    from models.paths import models_dir

    other = models_dir() / "other.Q4_1.gguf"
    shutil.copy(bundled_model, other)
    store = ConversationStore()
    first = store.new_conversation("with the bundled model", model=str(bundled_model))
    second = store.new_conversation("with another model", model=str(other))
    store.close()
    window = make_window()  # opens the most recent conversation, which names its own model
    assert window.controller.conversation_id == second.id
    assert window.controller.model_path == str(other)
    window.conversations.list.setCurrentRow(1)
    assert window.controller.conversation_id == first.id
    assert window.controller.model_path == str(bundled_model)
