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
