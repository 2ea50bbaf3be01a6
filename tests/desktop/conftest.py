"""Fixtures for the desktop tests: a main window (offscreen) with a real engine thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.desktop.library_fixtures import downloads, entries, hub  # noqa: F401 - the model library's catalog, hub, downloads


@pytest.fixture
def settings(tomoshibi_home):
    from desktop.settings import AppSettings

    return AppSettings()


@pytest.fixture
def make_window(qtbot, settings) -> Iterator:
    """A factory: ``make_window(start=True)`` opens the app's main window as ``run_app`` does."""
    from desktop import i18n
    from desktop.main_window import MainWindow

    windows = []

    def make(start: bool = True, language: str | None = None):
        if language is not None:
            settings.language = language
        i18n.apply_language(settings.language)
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        if start:
            window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible() or window.host.thread.isRunning():
            window.close()
    i18n.apply_language("en")


@pytest.fixture
def ready_window(make_window, qtbot):
    """A started window whose bundled model has finished loading."""
    window = make_window()
    qtbot.waitUntil(lambda: window.controller.model_ready, timeout=60000)
    return window


def greedy(window, max_tokens: int = 24) -> None:
    """Deterministic, short answers for the conversation about to be sent."""
    spins = window.conversation_settings.spins
    spins["temperature"].setValue(0.0)
    spins["max_tokens"].setValue(max_tokens)


@pytest.fixture
def fake_window(fake_engine, make_window, qtbot):
    """A started window whose engine is a fake (tests.fake_engine): the controller without llama.cpp."""
    window = make_window()
    qtbot.waitUntil(lambda: window.controller.model_ready, timeout=30000)
    return window
