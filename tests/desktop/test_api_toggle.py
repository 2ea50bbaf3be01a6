"""The local API toggle: starts the real server off the GUI thread, shows the address, stops it."""

from __future__ import annotations

import json
import urllib.request

from models.api import ApiConfig
from models.events import LoadConfig


def test_toggle_starts_serves_and_stops(qtbot, bundled_model) -> None:
    from desktop.api_toggle import ApiToggle

    toggle = ApiToggle(
        lambda: ApiConfig(model=LoadConfig(model_path=str(bundled_model), n_ctx=512, n_threads=1), port=0)
    )
    qtbot.addWidget(toggle)
    with qtbot.waitSignal(toggle.started, timeout=60_000) as started:
        toggle.checkbox.setChecked(True)
        assert not toggle.checkbox.isEnabled()  # loading happens on a worker; the box waits for it
    address = started.args[0]
    assert toggle.address == address and toggle.address_label.text() == address
    with urllib.request.urlopen(f"{address}/models", timeout=10) as response:
        assert json.load(response)["data"][0]["object"] == "model"
    with qtbot.waitSignal(toggle.stopped, timeout=30_000):
        toggle.checkbox.setChecked(False)
    assert toggle.address is None and toggle.checkbox.isEnabled()


def test_toggle_reports_a_refused_configuration(qtbot, bundled_model) -> None:
    from desktop.api_toggle import ApiToggle

    toggle = ApiToggle(lambda: ApiConfig(model=LoadConfig(model_path=str(bundled_model)), host="0.0.0.0"))
    qtbot.addWidget(toggle)
    with qtbot.waitSignal(toggle.failed, timeout=5_000) as failed:
        toggle.checkbox.setChecked(True)
    assert "API key" in failed.args[0]
    assert not toggle.checkbox.isChecked() and "API key" in toggle.address_label.text()
