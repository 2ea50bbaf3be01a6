"""The widgets placed in the main window: Tools menu, prompt presets in the conversation panel, the
local API server sharing the chat's engine, and voice settings reaching the microphone button."""

from __future__ import annotations

import json
import urllib.request

from models import presets
from models.conversations import ConversationStore


def test_tools_menu_opens_presets_and_evaluation(make_window) -> None:
    from desktop.evaluation_view import EvaluationView
    from desktop.presets_view import PresetsView

    window = make_window(start=False)
    assert window.tools_menu.actions()[:2] == [window.presets_action, window.evaluation_action]
    window.presets_action.trigger()
    assert window._presets_window.isVisible() and isinstance(window._presets_window.view, PresetsView)
    window.evaluation_action.trigger()
    assert window._evaluation_window.isVisible()
    assert isinstance(window._evaluation_window.view, EvaluationView)
    window.presets_action.trigger()  # a second time: the same window comes to the front
    assert window._presets_window.view is window.findChildren(PresetsView)[0]


def _choose(window, name: str) -> None:
    combo = window.conversation_settings.presets
    index = combo.findData(name)
    assert index > 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_choosing_a_preset_fills_the_conversation_and_persists(make_window) -> None:
    from models.turn import conversation_sampling as sampling_params

    presets.save_preset(
        presets.Preset(
            name="Terse",
            system="Answer {style}.",
            variables={"style": "in one line"},
            sampling_options={"temperature": 0.2, "top_k": 5, "max_tokens": 77, "seed": 7},
            json_mode=True,
        )
    )
    window = make_window(start=False)
    conv = window.store.new_conversation("preset chat")
    window.controller.open_conversation(conv.id)
    _choose(window, "Terse")

    panel = window.conversation_settings
    assert panel.system_prompt.toPlainText().startswith("Answer in one line.")
    assert panel.spins["temperature"].value() == 0.2 and panel.spins["max_tokens"].value() == 77
    saved = window.store.get(conv.id)
    assert saved.system_prompt.startswith("Answer in one line.")
    assert saved.sampling["preset"] == "Terse" and saved.sampling["preset_version"] == 1
    assert saved.sampling["top_k"] == 5 and saved.sampling["seed"] == 7
    params = sampling_params(saved.sampling)
    assert params.temperature == 0.2 and params.seed == 7 and params.grammar  # JSON mode → a grammar

    # A new version of the file; choosing it again records the new version.
    presets.save_preset(presets.Preset(name="Terse", system="Answer in a word.", sampling_options={}))
    window.conversation_settings.reload_presets()
    _choose(window, "Terse")
    saved = window.store.get(conv.id)
    assert saved.system_prompt == "Answer in a word." and saved.sampling["preset_version"] == 2
    assert "json_mode" not in saved.sampling and sampling_params(saved.sampling).grammar is None

    # Reopened, the conversation shows its preset; "save as preset" writes a file.
    window.controller.open_conversation(conv.id)
    assert panel.presets.currentData() == "Terse"
    panel.save_preset("Mine")
    assert presets.get_preset("Mine").system == "Answer in a word."
    assert window.store.get(conv.id).sampling["preset"] == "Mine"


def test_old_presets_become_files_once(make_window, settings) -> None:
    with ConversationStore() as store:  # what an older version of the app saved
        store._db.execute(
            "INSERT INTO system_prompt_presets (name, prompt, created) VALUES ('Polite', 'Be polite.', 0)"
        )
    window = make_window(start=False)
    assert presets.get_preset("Polite").system == "Be polite."
    assert window.conversation_settings.presets.findData("Polite") > 0
    assert settings.presets_imported
    presets.delete_preset("Polite")  # deleted by the user: not brought back by the next start
    window.close()
    again = make_window(start=False)
    assert again.conversation_settings.presets.findData("Polite") < 0


def test_api_toggle_serves_the_chat_engine_on_loopback(ready_window, settings, qtbot) -> None:
    window = ready_window
    settings.api_port = 0  # any free port: tests run side by side
    toggle = window.api_section.toggle
    with qtbot.waitSignal(toggle.started, timeout=30_000) as started:
        window.api_action.trigger()  # Tools → Local API server
    address = started.args[0]
    assert address.startswith("http://127.0.0.1:") and toggle.checkbox.isChecked()
    chat_engine = window.host.worker.engine
    assert window.api_section.server.chat_host._engine is chat_engine  # one engine, shared
    assert address in window.status_label.text()
    with urllib.request.urlopen(f"{address}/models", timeout=10) as response:
        body = json.load(response)
    assert body["data"][0]["object"] == "model"
    with qtbot.waitSignal(toggle.stopped, timeout=30_000):
        toggle.checkbox.setChecked(False)
    assert not window.api_action.isChecked() and toggle.address is None
    assert chat_engine.alive and window.host.worker.engine is chat_engine  # stopping kept the chat's


def test_api_server_follows_the_chat_to_a_reloaded_model(ready_window, settings, qtbot) -> None:
    window = ready_window
    settings.api_port = 0
    toggle = window.api_section.toggle
    with qtbot.waitSignal(toggle.started, timeout=30_000):
        toggle.checkbox.setChecked(True)
    old = window.host.worker.engine
    with qtbot.waitSignals([toggle.stopped, toggle.started], timeout=60_000, order="strict"):
        window.reload_model()  # the server stops before the old engine closes, then comes back
    address = toggle.address
    new = window.host.worker.engine
    assert new is not old and not old.alive and new.alive
    assert window.api_section.server.chat_host._engine is new  # still one engine for both
    with urllib.request.urlopen(f"{address}/models", timeout=10) as response:
        assert json.load(response)["data"]
    with qtbot.waitSignal(toggle.stopped, timeout=30_000):
        window.controller.unload_model()  # the user freed the memory: the server stays off
    qtbot.waitUntil(lambda: window.host.worker.engine is None, timeout=10_000)
    qtbot.wait(200)
    assert toggle.address is None and not toggle.checkbox.isChecked()


def test_voice_settings_persist_and_reach_the_button(make_window, settings, qtbot) -> None:
    from desktop.settings import AppSettings
    from desktop.settings_dialog import SettingsDialog
    from models.paths import models_dir

    (models_dir() / "speech" / "whisper-small").mkdir(parents=True)  # "downloaded" by the library
    window = make_window(start=False)
    window.voice.add_button()
    button = window.voice.button
    assert button is not None

    dialog = SettingsDialog(settings, window)
    qtbot.addWidget(dialog)
    dialog.applied.connect(window.apply_settings)
    page = dialog.voice_page
    assert [page.model.itemData(i) for i in range(page.model.count())] == ["", "whisper-small"]
    assert page.device.itemData(0) == ""  # the system default input is always offered
    page.language.setCurrentIndex(page.language.findData("ja"))
    page.model.setCurrentIndex(page.model.findData("whisper-small"))
    page.send_immediately.setChecked(True)
    dialog.api_page.port.setValue(18080)
    dialog.accept()

    again = AppSettings()
    assert again.voice_language == "ja" and again.voice_model == "whisper-small"
    assert again.voice_send_immediately is True and again.voice_device == ""
    assert again.api_port == 18080
    assert button.language() == "ja" and button.send_immediately is True
    assert button.worker.transcriber.model_spec == "whisper-small" and button.worker.device is None

    reopened = SettingsDialog(again, window)
    qtbot.addWidget(reopened)
    assert reopened.voice_page.language.currentData() == "ja"
    assert reopened.voice_page.model.currentData() == "whisper-small"
    assert reopened.voice_page.send_immediately.isChecked()


def test_a_refused_start_is_shown_and_unticks_the_menu(make_window, settings, qtbot) -> None:
    import socket

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    try:
        settings.api_port = busy.getsockname()[1]
        window = make_window(start=False)
        toggle = window.api_section.toggle
        with qtbot.waitSignal(toggle.failed, timeout=10_000) as failed:
            window.api_action.trigger()
        assert str(settings.api_port) in failed.args[0] and "port" in failed.args[0]
        assert not window.api_action.isChecked() and not toggle.checkbox.isChecked()
        assert str(settings.api_port) in toggle.address_label.text()
    finally:
        busy.close()
