"""The model library against the local hub: browse, filter, licence, download, cancel, resume after a
restart, hash mismatch, offline in Japanese, duplicate import, and the chat header's picker."""

from __future__ import annotations

import json
import shutil

import pytest

from desktop import i18n
from desktop.library_downloads import Downloads, DownloadsView
from desktop.library_window import LibraryWindow
from desktop.model_manager import InstalledView
from models.fit import Fit
from models.paths import data_dir, models_dir
from tests.desktop.library_fixtures import BUDGET, SLOW_FILE, SLOW_REPO, SMALL_FILE

TIMEOUT = 30000


@pytest.fixture
def library(qtbot, entries, downloads):
    window = LibraryWindow(downloads, entries, BUDGET)
    qtbot.addWidget(window)
    window.show()
    return window


def wait_state(qtbot, downloads, job_id, *states, timeout=TIMEOUT):
    """Until the GUI has heard that the job reached one of ``states``."""
    qtbot.waitUntil(
        lambda: job_id in downloads.shown and downloads.shown[job_id].state in states, timeout=timeout
    )
    return downloads.shown[job_id]


def test_browse_and_filter(library):
    cat = library.catalog
    assert len(cat.visible_cards()) == len(cat.cards) == 7
    tiny = cat.card("qwen3-1.7b-q4_k_m")
    assert "日本語" in [b.text() for b in tiny.badges] and "English" in [b.text() for b in tiny.badges]
    assert "of your 16 GB" in tiny.facts.text() and tiny.fit_level is Fit.FITS
    assert tiny.button.text() == "Download"
    assert cat.card("huge-model").fit_level is Fit.NO and cat.card("huge-model").fit.text() == "does not fit"
    assert cat.card("smollm2-135m-instruct-q4_1").button.text() == "Use"
    cat.kind.setCurrentIndex(2)  # embedding
    assert [c.entry.id for c in cat.visible_cards()] == ["tiny-embed"]
    cat.kind.setCurrentIndex(0)
    cat.language.setCurrentIndex(1)  # 日本語
    assert {c.entry.id for c in cat.visible_cards()} == {"qwen3-1.7b-q4_k_m", "tiny-embed"}
    cat.language.setCurrentIndex(0)
    cat.fits_only.setChecked(True)
    assert "huge-model" not in {c.entry.id for c in cat.visible_cards()}
    assert "7" in cat.summary.text()


def test_download_with_progress_then_use(qtbot, hub, library, downloads):
    cat = library.catalog
    card = cat.card("slow-model")
    card.button.click()
    qtbot.waitUntil(
        lambda: card.button.text().startswith("Downloading") and "%" in card.button.text(), timeout=TIMEOUT
    )
    assert not card.button.isEnabled()
    row = library.downloads_view.rows["slow-model"]
    qtbot.waitUntil(lambda: "/s" in row.status.text() and "%" in row.status.text(), timeout=TIMEOUT)
    assert "Downloads (1)" == library.tabs.tabText(3)
    job = wait_state(qtbot, downloads, "slow-model", "done")
    assert (models_dir() / SLOW_FILE).stat().st_size == job.total
    # The small one is a real GGUF: once it is in, the card offers to use it.
    small = cat.card("qwen3-1.7b-q4_k_m")
    small.button.click()
    wait_state(qtbot, downloads, "qwen3-1.7b-q4_k_m", "done")
    qtbot.waitUntil(lambda: small.button.text() == "Use", timeout=TIMEOUT)
    with qtbot.waitSignal(library.load_requested) as used:
        small.button.click()
    assert used.args == [str(models_dir() / SMALL_FILE)]
    assert library.installed_view.table.rowCount() == 3  # bundled, slow (unreadable header), small


def test_gated_licence_is_accepted_before_the_download(qtbot, hub, library, downloads, monkeypatch):
    from tests.models.hubserver import TOKEN

    monkeypatch.setenv("HF_TOKEN", TOKEN)
    card = library.catalog.card("gated-model")
    card.button.click()
    dialog = library.catalog.licence_dialog
    assert dialog is not None and dialog.isVisible()
    assert "https://example.invalid/licence" in dialog.text.text()
    assert downloads.job_for("gated-model") is None and not [e for e in hub.log if "gated" in e.path]
    dialog.accept_button.click()
    wait_state(qtbot, downloads, "gated-model", "done")
    assert (models_dir() / "gated.Q4_0.gguf").is_file()
    # Accepted once: a second download does not ask again.
    library.catalog.licence_dialog = None
    library.catalog.download(library.catalog.card("gated-model").entry)
    assert library.catalog.licence_dialog is None


def test_cancel_deletes_the_partial_file(qtbot, hub, library, downloads):
    library.catalog.card("slow-model").button.click()
    qtbot.waitUntil(lambda: (downloads.job_for("slow-model").downloaded or 0) > 20000, timeout=TIMEOUT)
    row = library.downloads_view.rows["slow-model"]
    row.cancel_button.click()
    wait_state(qtbot, downloads, "slow-model", "cancelled")
    downloads.queue.wait("slow-model", 10)
    assert (
        not list((models_dir() / ".downloads").glob("*.part"))
        if (models_dir() / ".downloads").exists()
        else True
    )
    assert not (models_dir() / SLOW_FILE).exists()
    qtbot.waitUntil(lambda: library.catalog.card("slow-model").button.text() == "Download", timeout=TIMEOUT)
    assert row.status.text() == "Cancelled" and row.cancel_button.text() == "Remove"
    row.cancel_button.click()
    assert "slow-model" not in library.downloads_view.rows and not library.downloads_view.empty.isHidden()


def test_pause_resume_and_resume_after_restarting_the_app(qtbot, hub, entries):
    first = Downloads(entries)
    view = DownloadsView(first)
    qtbot.addWidget(view)
    first.queue.start_file(SLOW_REPO, SLOW_FILE)
    job_id = f"{SLOW_REPO}/{SLOW_FILE}"
    qtbot.waitUntil(lambda: (first.job_for(job_id).downloaded or 0) > 20000, timeout=TIMEOUT)
    row = view.rows[job_id]
    row.pause_button.click()
    qtbot.waitUntil(lambda: row.pause_button.text() == "Resume", timeout=TIMEOUT)
    first.queue.wait(job_id, 10)
    row.pause_button.click()  # resume
    qtbot.waitUntil(lambda: first.job_for(job_id).state == "running" and first.job_for(job_id).downloaded > 40000,
                    timeout=TIMEOUT)  # fmt: skip
    first.shutdown()  # the app closes mid-download
    saved = json.loads((data_dir() / "downloads.json").read_text())
    assert [j["state"] for j in saved["jobs"]] == ["running"]
    have = (models_dir() / ".downloads" / f"{SLOW_FILE}.part").stat().st_size
    assert 0 < have < len(hub.repos[SLOW_REPO].files[SLOW_FILE])
    hub.faults.slow.clear()
    second = Downloads(entries)  # the next start
    assert [j.id for j in second.queue.restore()] == [job_id]
    second.queue.wait(job_id, 30)
    assert second.job_for(job_id).state == "done"
    ranges = [e.range_start for e in hub.gets(SLOW_FILE) if e.status in (200, 206)]
    assert ranges[-1] and ranges[-1] >= have  # only the rest was transferred
    assert (models_dir() / SLOW_FILE).read_bytes() == hub.repos[SLOW_REPO].files[SLOW_FILE]
    second.shutdown()


def test_hash_mismatch_is_rejected(qtbot, hub, library, downloads):
    hub.faults.corrupt.add(SMALL_FILE)
    library.catalog.card("qwen3-1.7b-q4_k_m").button.click()
    job = wait_state(qtbot, downloads, "qwen3-1.7b-q4_k_m", "failed")
    assert job.reason == "corrupt"
    assert not (models_dir() / SMALL_FILE).exists()
    row = library.downloads_view.rows["qwen3-1.7b-q4_k_m"]
    assert "checksum" in row.status.text() and row.pause_button.text() == "Retry"
    assert library.catalog.card("qwen3-1.7b-q4_k_m").button.text() == "Retry download"
    assert row.cancel_button.text() == "Remove"
    row.cancel_button.click()
    assert "qwen3-1.7b-q4_k_m" not in library.downloads_view.rows


def test_missing_quantization_is_a_clear_message(qtbot, hub, library, downloads):
    library.catalog.card("missing-quant").button.click()
    job = wait_state(qtbot, downloads, "missing-quant", "failed")
    assert job.reason == "missing_file" and "Q8_0" in job.detail
    assert "expected size" in library.downloads_view.rows["missing-quant"].status.text()


def test_offline_message_is_in_japanese(qtbot, entries, monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    i18n.apply_language("ja")
    try:
        downloads = Downloads(entries)
        window = LibraryWindow(downloads, entries, BUDGET)
        qtbot.addWidget(window)
        window.catalog.card("slow-model").button.click()
        job = wait_state(qtbot, downloads, "slow-model", "failed")
        assert job.reason == "offline"
        text = window.downloads_view.rows["slow-model"].status.text()
        assert text.startswith("オフラインです"), text
        assert "HF_" not in text and "Traceback" not in text and "127.0.0.1" not in text
        assert window.tabs.tabText(0) == "カタログ"
    finally:
        i18n.apply_language("en")


def test_importing_the_bundled_model_again_is_recognised(qtbot, bundled_model, tmp_path):
    copy = tmp_path / "again.gguf"
    shutil.copy(bundled_model, copy)
    view = InstalledView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.imports_finished, timeout=TIMEOUT):
        view.import_file(copy)
    assert "SmolLM2 135M Instruct" in view.last_notice and "already" in view.last_notice
    assert not (models_dir() / "again.gguf").exists()
    assert view.table.rowCount() == 1
    with qtbot.waitSignal(view.imports_finished, timeout=TIMEOUT):
        view.import_file(bundled_model)  # the very same file
    assert not list(models_dir().glob("*.gguf"))


def test_hub_search_shows_fit(qtbot, hub, library):
    search = library.search
    search.query.setText("acme")
    with qtbot.waitSignal(search.results_shown, timeout=TIMEOUT):
        search.search()
    repos = [search.repos.item(i).data(256) for i in range(search.repos.count())]
    assert "acme/qwen-GGUF" in repos
    with qtbot.waitSignal(search.files_shown, timeout=TIMEOUT):
        search.repos.setCurrentRow(repos.index("acme/qwen-GGUF"))
    assert search.table.rowCount() == 2
    assert "fits" in search.table.item(0, 3).text()


def test_picker_switches_the_model(ready_window, qtbot, bundled_model):
    window = ready_window
    other = models_dir() / "other.Q4_1.gguf"
    other.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(bundled_model, other)
    picker = window.library.picker
    picker.refresh()
    assert picker.combo.count() == 2
    assert picker.combo.currentText() == "SmolLM2 135M Instruct"
    assert window.model_panel.name_label.text() == picker.combo.currentText()
    conv = window.store.new_conversation("a chat")  # a saved conversation, so it can remember its model
    window.controller.open_conversation(conv.id)
    picker.choose(str(other))
    assert picker.progress.isVisible()
    qtbot.waitUntil(
        lambda: window.controller.model_ready and window.controller.model_path == str(other), timeout=60000
    )
    assert not picker.progress.isVisible() and picker.combo.currentText() == "other.Q4_1"
    assert "other.Q4_1" in window.status_label.text()
    conv = window.store.get(window.controller.conversation_id)
    assert conv.model == str(other)


def test_reachable_from_menu_picker_documents_and_voice_settings(make_window, qtbot):
    window = make_window(start=False)
    window.models_action.trigger()
    library = window.library.library
    assert library.isVisible() and library.tabs.currentIndex() == 0
    library.close()
    window.library.picker.library_button.click()
    assert library.isVisible()
    library.close()
    window.open_documents()
    window._documents_window.view.library_button.click()
    assert library.isVisible() and library.catalog.kind.currentIndex() == 2  # embedding models
    assert all(c.entry.kind == "embedding" for c in library.catalog.visible_cards())
    library.close()
    from desktop.settings_pages import VoicePage

    page = VoicePage(window.settings)
    page.setParent(window, page.windowFlags())
    page.library_button.click()
    assert library.isVisible()


def test_a_download_continues_when_the_library_window_closes(make_window, qtbot, hub):
    window = make_window(start=False)
    library = window.library.open("downloads")
    downloads = window.library.downloads
    job = downloads.queue.start_file(SLOW_REPO, SLOW_FILE)
    qtbot.waitUntil(lambda: job.id in library.downloads_view.rows, timeout=TIMEOUT)
    library.close()
    hub.faults.slow.clear()
    wait_state(qtbot, downloads, job.id, "done")
    assert (models_dir() / SLOW_FILE).is_file()
    assert window.library.open("downloads").downloads_view.rows[job.id].status.text().startswith("Downloaded")
