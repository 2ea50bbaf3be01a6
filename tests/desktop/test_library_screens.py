"""Screenshots of the model library, the download list and the welcome, ja and en, at 1440x900 and
900x600, for a person to look at (test-artifacts/library_*.png). Run under Xvfb for real fonts:
``QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest tests/desktop/test_library_screens.py``
"""

from __future__ import annotations

import pytest

from desktop import i18n
from desktop.library_downloads import Downloads
from desktop.library_window import LibraryWindow
from tests.desktop.library_fixtures import BUDGET, SLOW_FILE, SLOW_REPO, SMALL_FILE

SIZES = [(1440, 900), (900, 600)]


@pytest.fixture
def language(request):
    i18n.apply_language(request.param)
    yield request.param
    i18n.apply_language("en")


@pytest.mark.parametrize("language", ["ja", "en"], indirect=True)
def test_library_and_downloads_screens(qtbot, hub, entries, language, artifacts_dir):
    from models.catalog import load_catalog

    downloads = Downloads(entries)
    window = LibraryWindow(downloads, load_catalog(), BUDGET)  # the real catalog, priced for 16 GB
    qtbot.addWidget(window)
    window.show()
    # Some downloads in every state the list shows: running, paused, failed.
    queue = downloads.queue
    queue.start_file(SLOW_REPO, SLOW_FILE)
    hub.faults.corrupt.add(SMALL_FILE)
    queue.start_file("acme/qwen-GGUF", SMALL_FILE)
    queue.start_file("nobody/none-GGUF", "none-Q4_K_M.gguf")
    job_id = f"{SLOW_REPO}/{SLOW_FILE}"
    qtbot.waitUntil(lambda: (queue.get(job_id).downloaded or 0) > 100000, timeout=30000)
    qtbot.waitUntil(lambda: sum(j.state == "failed" for j in queue.jobs()) == 2, timeout=30000)
    for width, height in SIZES:
        window.resize(width, height)
        window.show_tab("catalog")
        qtbot.wait(150)
        window.grab().save(str(artifacts_dir / f"library_catalog_{language}_{width}x{height}.png"))
        window.show_tab("downloads")
        qtbot.wait(150)
        window.grab().save(str(artifacts_dir / f"library_downloads_{language}_{width}x{height}.png"))
    window.show_tab("installed")
    window.resize(1440, 900)
    qtbot.wait(100)
    window.grab().save(str(artifacts_dir / f"library_installed_{language}_1440x900.png"))
    downloads.shutdown()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_welcome_screens(make_window, qtbot, lang, artifacts_dir, bundled_model):
    window = make_window(start=False, language=lang)
    qtbot.waitUntil(lambda: window.library.budget is not None, timeout=10000)  # measured on a thread
    window.library.welcome.set_model(str(bundled_model))
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(150)
        window.grab().save(str(artifacts_dir / f"welcome_{lang}_{width}x{height}.png"))


@pytest.mark.parametrize("language", ["ja", "en"], indirect=True)
def test_update_and_recommended_embedding_screens(
    qtbot, hub, language, artifacts_dir, bundled_model, tmp_path, monkeypatch
):
    """Two real catalog models installed from the hub, then newer files upstream: the library opens,
    checks, and their cards say Update; the embedding filter shows the badge of the one for this
    computer (2 cores, 16 GB, no GPU)."""
    from models.catalog import load_catalog
    from models.paths import models_dir
    from tests.models.tiny_embedding import write_tiny_embedding_gguf
    from tests.models.tiny_gguf import write_tiny_gguf

    monkeypatch.setattr("models.recommend.physical_cores", lambda: 2)
    chat = write_tiny_gguf(tmp_path / "chat.gguf").read_bytes()
    embed = write_tiny_embedding_gguf(tmp_path / "embed.gguf", bundled_model).read_bytes()
    hub.add_repo("unsloth/Qwen3-1.7B-GGUF", {"Qwen3-1.7B-Q4_K_M.gguf": chat})
    hub.add_repo("vectorlink/multilingual-e5-base-GGUF", {"multilingual-e5-base-q8_0.gguf": embed})
    entries = load_catalog()
    installer = Downloads(entries)
    for entry_id in ("qwen3-1.7b-q4_k_m", "multilingual-e5-base-q8_0"):
        installer.queue.start_entry(next(e for e in entries if e.id == entry_id))
        assert installer.queue.wait(entry_id, 30).state == "done"
    installer.shutdown()
    hub.repos["unsloth/Qwen3-1.7B-GGUF"].files["Qwen3-1.7B-Q4_K_M.gguf"] = write_tiny_gguf(
        tmp_path / "chat2.gguf", seed=3
    ).read_bytes()
    hub.repos["vectorlink/multilingual-e5-base-GGUF"].files["multilingual-e5-base-q8_0.gguf"] = embed[::-1]
    downloads = Downloads(entries)
    loaded = str(models_dir() / "Qwen3-1.7B-Q4_K_M.gguf")
    window = LibraryWindow(downloads, entries, BUDGET, loaded)
    qtbot.addWidget(window)
    window.show()
    catalog = window.catalog
    qtbot.waitUntil(lambda: len(catalog.updates.updates) == 2, timeout=30000)
    for width, height in SIZES:
        window.resize(width, height)
        window.show_tab("catalog")
        catalog.kind.setCurrentIndex(0)
        qtbot.wait(150)
        window.grab().save(str(artifacts_dir / f"library_update_{language}_{width}x{height}.png"))
        catalog.kind.setCurrentIndex(2)  # embedding models
        qtbot.wait(150)
        window.grab().save(str(artifacts_dir / f"library_embedding_{language}_{width}x{height}.png"))
    downloads.shutdown()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_embedding_offer_screens(make_window, qtbot, lang, artifacts_dir, monkeypatch):
    """The documents window and the chat's documents strip offering the embedding model for this
    computer (no embedding model installed)."""
    monkeypatch.setattr("models.recommend.physical_cores", lambda: 2)
    window = make_window(start=False, language=lang)
    qtbot.waitUntil(lambda: window.library.budget is not None, timeout=10000)
    window.library.budget = BUDGET
    window.chat_documents.set_attached("notes", True)
    qtbot.waitUntil(window.chat_documents.embedding_offer.isVisible, timeout=30000)
    for width, height in SIZES:
        window.resize(width, height)
        qtbot.wait(150)
        window.grab().save(str(artifacts_dir / f"embedding_offer_chat_{lang}_{width}x{height}.png"))
    window.open_documents()
    documents = window._documents_window
    qtbot.waitUntil(documents.view.embedding_offer.isVisible, timeout=30000)
    for width, height in SIZES:
        documents.resize(width, height)
        qtbot.wait(150)
        documents.grab().save(str(artifacts_dir / f"embedding_offer_documents_{lang}_{width}x{height}.png"))
