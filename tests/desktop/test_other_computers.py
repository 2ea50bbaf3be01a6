"""Settings › Other computers, the model panel's layer placement, and a remote model chosen from the
Model menu and chatted with in the window (against a stand-in OpenAI-compatible server)."""

from __future__ import annotations

import threading
from dataclasses import replace
from http.server import ThreadingHTTPServer

import pytest

from models import other_computers as oc
from models.events import EngineInfo

from ..models.test_remote_engine import StandIn

INFO = EngineInfo(
    model_path="/m/big-13b.Q4_K_M.gguf", architecture="llama", backend="cpu", n_gpu_layers=0, n_ctx=4096,
    n_threads=4, n_vocab=32000, chat_template=None, bos_token="", eos_token="", load_seconds=1.0,
    memory_bytes=10**9, tokenizer="llama.cpp",
    layer_placement=(("this computer", 1), ("192.168.1.20:50052", 12), ("192.168.1.21:50052", 28)),
    rpc_workers=("192.168.1.20:50052", "192.168.1.21:50052"),
)  # fmt: skip


@pytest.fixture
def stand_in():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.key, server.slow, server.drop = "", False, False  # type: ignore[attr-defined]
    server.requests, server.disconnected = [], threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_page_saves_workers_and_servers_and_refuses_bad_addresses(qtbot, settings) -> None:
    from desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    page = dialog.other_computers_page
    assert dialog.tabs.tabText(3) == "Other computers"
    page.worker_address.setText("192.168.1.20")
    page.add_worker.click()
    page.worker_address.setText("not an address:x")
    page.add_worker.click()
    assert not page.problem.isHidden() and "192.168.1.20:50052" in page.problem.text()
    page.server_name.setText("Desk")
    page.server_url.setText("192.168.1.30:8080")
    page.server_key.setText("sesame")
    page.add_server.click()
    assert page.problem.isHidden()
    dialog.apply()
    saved = oc.load()
    assert saved.rpc_workers == ("192.168.1.20:50052",)
    assert saved.servers == (oc.RemoteServer("Desk", "http://192.168.1.30:8080/v1"),)
    assert oc.get_key("http://192.168.1.30:8080/v1") == "sesame"
    assert "sesame" not in oc.config_path().read_text()
    assert oc.workers_for("/m/x.gguf") == ("192.168.1.20:50052",)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_screenshots_of_the_page_and_the_placement(qtbot, settings, artifacts_dir, lang) -> None:
    from desktop import i18n
    from desktop.model_panel import ModelPanel
    from desktop.settings_dialog import SettingsDialog

    i18n.apply_language(lang)
    try:
        oc.save(oc.OtherComputers(("192.168.1.20:50052", "127.0.0.1:50053"),
                                  (oc.RemoteServer("Desk", "http://192.168.1.30:8080/v1"),)))  # fmt: skip
        dialog = SettingsDialog(settings)
        qtbot.addWidget(dialog)
        dialog.tabs.setCurrentIndex(3)
        for size in ((900, 600), (620, 560)):
            dialog.resize(*size)
            dialog.show()
            qtbot.wait(50)
            dialog.grab().save(str(artifacts_dir / f"other_computers_{lang}_{size[0]}x{size[1]}.png"))
        panel = ModelPanel()
        qtbot.addWidget(panel)
        panel.set_loaded(INFO)
        panel.resize(320, 420)
        panel.show()
        qtbot.wait(50)
        assert panel.placement_label.isVisible() and "192.168.1.21:50052: 28" in panel.placement_label.text()
        panel.grab().save(str(artifacts_dir / f"model_panel_placement_{lang}.png"))
        panel.set_loaded(replace(INFO, layer_placement=()))
        assert not panel.placement_label.isVisible()
    finally:
        i18n.apply_language("en")


def test_a_remote_model_from_the_model_menu_chats_and_is_stored(make_window, qtbot, stand_in) -> None:
    url = f"http://127.0.0.1:{stand_in.server_address[1]}/v1"
    oc.save(oc.OtherComputers((), (oc.RemoteServer("Stand-in", url),)))
    window = make_window(start=False)
    menu = window.remote_models_menu
    menu.refresh()
    qtbot.waitUntil(lambda: any("stand-in-2" in a.text() for a in menu.actions()), timeout=10000)
    action = next(a for a in menu.actions() if a.text() == "stand-in-2 — Stand-in")
    action.trigger()
    qtbot.waitUntil(lambda: window.controller.model_ready, timeout=10000)
    assert window.controller.model_info.backend == "remote"
    window.send("Capital of Japan?")
    qtbot.waitUntil(lambda: not window.controller.busy, timeout=10000)
    conv = window.store.get(window.controller.conversation_id)
    messages = window.store.messages(conv.id)
    assert [m.role for m in messages][-2:] == ["user", "assistant"]
    assert messages[-1].content == "Tokyo is the capital of Japan."
    assert stand_in.requests[-1]["messages"][-1]["content"] == "Capital of Japan?"


def test_remote_models_are_offered_in_the_chat_header_picker(make_window, qtbot, stand_in) -> None:
    url = f"http://127.0.0.1:{stand_in.server_address[1]}/v1"
    oc.save(oc.OtherComputers((), (oc.RemoteServer("Stand-in", url),)))
    window = make_window(start=False)
    picker = window.library.picker
    # Listed off the GUI thread at start-up because a server is configured; then in the picker.
    qtbot.waitUntil(lambda: any(e.kind == "remote" for e in picker.entries), timeout=10000)
    entry = next(e for e in picker.entries if e.name == "stand-in-2 — Stand-in")
    picker.choose(entry.id)
    qtbot.waitUntil(lambda: window.controller.model_ready, timeout=10000)
    assert window.controller.model_info.backend == "remote"
    assert window.settings.model_path == entry.id
