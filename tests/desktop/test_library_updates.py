"""The catalog's Update state against the local hub: a newer file upstream makes the card say Update,
clicking it installs the new file in place, a cancelled update keeps the old one, offline stays quiet,
the hub is asked at most once a day unless the user asks, and ja says 更新."""

from __future__ import annotations

import hashlib

import pytest
from PySide6.QtWidgets import QApplication

from desktop import i18n
from desktop.library_downloads import Downloads
from desktop.library_window import LibraryWindow
from models.paths import models_dir
from models.updates import installed_sha256
from tests.desktop.library_fixtures import BUDGET, SMALL_FILE, SMALL_REPO
from tests.models.tiny_gguf import write_tiny_gguf

TIMEOUT = 30000
ENTRY = "qwen3-1.7b-q4_k_m"  # the fixture catalog's entry for SMALL_REPO / SMALL_FILE


@pytest.fixture
def newer(hub, entries, tmp_path):
    """Install the entry from the hub, then put a newer file in its place upstream; the new bytes."""
    first = Downloads(entries)
    first.queue.start_entry(next(e for e in entries if e.id == ENTRY))
    assert first.queue.wait(ENTRY, 30).state == "done"
    first.shutdown()
    data = write_tiny_gguf(tmp_path / "newer.gguf", seed=7).read_bytes()
    assert data != hub.repos[SMALL_REPO].files[SMALL_FILE]
    hub.repos[SMALL_REPO].files[SMALL_FILE] = data
    return data


def open_library(qtbot, downloads, entries, loaded=""):
    window = LibraryWindow(downloads, entries, BUDGET, loaded)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.catalog.updates.checking, timeout=TIMEOUT)
    return window


def resolves(hub) -> int:
    """Requests the hub has answered for the small repository's listing (one per update check)."""
    return sum(1 for e in hub.log if e.path.startswith(f"/api/models/{SMALL_REPO}"))


def test_update_shows_then_installs_the_new_file(qtbot, hub, entries, downloads, newer):
    path = models_dir() / SMALL_FILE
    library = open_library(qtbot, downloads, entries)
    card = library.catalog.card(ENTRY)
    qtbot.waitUntil(lambda: card.button.text() == "Update", timeout=TIMEOUT)
    assert card.why.isVisible() and "newer version" in card.why.text()
    assert "Checked for updates on" in library.catalog.update_bar.status.text()
    assert "1 update" in library.catalog.update_bar.status.text()
    card.button.click()
    qtbot.waitUntil(lambda: downloads.job_for(ENTRY).state == "done", timeout=TIMEOUT)
    qtbot.waitUntil(lambda: card.button.text() == "Use", timeout=TIMEOUT)
    assert path.read_bytes() == newer
    assert installed_sha256(path) == hashlib.sha256(newer).hexdigest()
    assert not card.why.isVisible() and not library.catalog.updates.updates
    assert downloads.job_for(ENTRY).path == str(path)
    row = library.downloads_view.rows[ENTRY]
    assert row.name.text() == "Update: Tiny Qwen" and row.status.text().startswith("Updated: the new version")


def test_hub_is_asked_once_a_day_unless_the_user_asks(qtbot, hub, entries, downloads, newer):
    before = resolves(hub)
    first = open_library(qtbot, downloads, entries)
    qtbot.waitUntil(lambda: first.catalog.card(ENTRY).button.text() == "Update", timeout=TIMEOUT)
    assert resolves(hub) == before + 1
    first.close()
    second = open_library(qtbot, downloads, entries)  # the app restarted the same day
    assert second.catalog.card(ENTRY).button.text() == "Update" and resolves(hub) == before + 1
    second.catalog.update_bar.button.click()
    qtbot.waitUntil(lambda: resolves(hub) == before + 2, timeout=TIMEOUT)


def test_a_cancelled_update_keeps_the_old_model(qtbot, hub, entries, downloads, newer):
    path = models_dir() / SMALL_FILE
    old = path.read_bytes()
    hub.faults.slow[SMALL_FILE] = 0.05
    library = open_library(qtbot, downloads, entries)
    card = library.catalog.card(ENTRY)
    qtbot.waitUntil(lambda: card.button.text() == "Update", timeout=TIMEOUT)
    card.button.click()
    qtbot.waitUntil(lambda: card.button.text().startswith("Downloading"), timeout=TIMEOUT)
    assert "keeps working" in card.why.text()
    qtbot.waitUntil(lambda: (downloads.job_for(ENTRY).downloaded or 0) > 4000, timeout=TIMEOUT)
    library.downloads_view.rows[ENTRY].cancel_button.click()
    downloads.queue.wait(ENTRY, 10)
    qtbot.waitUntil(lambda: card.button.text() == "Update", timeout=TIMEOUT)
    assert library.downloads_view.rows[ENTRY].status.text().startswith("Update cancelled")
    assert path.read_bytes() == old and installed_sha256(path) == hashlib.sha256(old).hexdigest()
    assert (
        not list((models_dir() / ".downloads").glob("*.part"))
        if (models_dir() / ".downloads").exists()
        else True
    )


def test_offline_shows_no_update_and_no_error(qtbot, hub, entries, downloads, newer, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    library = open_library(qtbot, downloads, entries)
    card = library.catalog.card(ENTRY)
    assert card.button.text() == "Use" and not card.why.isVisible()
    assert "Could not reach" in library.catalog.update_bar.status.text()
    assert QApplication.activeModalWidget() is None


def test_the_loaded_model_is_updated_for_its_next_load_in_japanese(qtbot, hub, entries, downloads, newer):
    path = models_dir() / SMALL_FILE
    i18n.apply_language("ja")
    try:
        library = open_library(qtbot, downloads, entries, loaded=str(path))
        card = library.catalog.card(ENTRY)
        qtbot.waitUntil(lambda: card.button.text() == "更新", timeout=TIMEOUT)
        assert "新しい版" in card.why.text() and "次に読み込む" in card.why.text()
        card.button.click()
        qtbot.waitUntil(lambda: card.button.text() == "使用中", timeout=TIMEOUT)
        assert card.why.text().startswith("更新しました") and path.read_bytes() == newer
        library.set_loaded(str(path))  # loaded again: it runs the new version, nothing left to say
        assert not card.why.isVisible() and card.button.text() == "使用中"
    finally:
        i18n.apply_language("en")


def test_nothing_downloaded_means_no_check(qtbot, hub, entries, downloads):
    library = open_library(qtbot, downloads, entries)
    assert not hub.log and not library.catalog.updates.checking
    library.catalog.update_bar.button.click()
    assert not hub.log and "No downloaded models" in library.catalog.update_bar.status.text()


def test_a_paused_update_resumes_as_an_update(qtbot, hub, entries, downloads, newer):
    path = models_dir() / SMALL_FILE
    hub.faults.slow[SMALL_FILE] = 0.05
    library = open_library(qtbot, downloads, entries)
    card = library.catalog.card(ENTRY)
    qtbot.waitUntil(lambda: card.button.text() == "Update", timeout=TIMEOUT)
    card.button.click()
    qtbot.waitUntil(lambda: (downloads.job_for(ENTRY).downloaded or 0) > 4000, timeout=TIMEOUT)
    library.downloads_view.rows[ENTRY].pause_button.click()
    downloads.queue.wait(ENTRY, 10)
    qtbot.waitUntil(lambda: card.button.text().startswith("Resume"), timeout=TIMEOUT)
    assert "keeps working" in card.why.text() and path.read_bytes() != newer
    hub.faults.slow.clear()
    card.button.click()
    qtbot.waitUntil(lambda: downloads.job_for(ENTRY).state == "done", timeout=TIMEOUT)
    assert downloads.job_for(ENTRY).replace == str(path) and path.read_bytes() == newer
    qtbot.waitUntil(lambda: card.button.text() == "Use", timeout=TIMEOUT)


def test_the_first_run_and_the_welcome_never_ask_the_hub(make_window, qtbot, hub, newer):
    before = len(hub.log)
    window = make_window(start=False)
    qtbot.waitUntil(lambda: window.library.welcome is not None, timeout=TIMEOUT)
    qtbot.wait(300)
    assert len(hub.log) == before
    window.library.open("catalog")  # the user opens the library: now it checks
    qtbot.waitUntil(lambda: len(hub.log) > before, timeout=TIMEOUT)
