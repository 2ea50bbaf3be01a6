"""The embedding model recommended for this computer: the catalog's badge, the documents window's and
the chat's offer (one click downloads it through the library's download list), in both languages."""

from __future__ import annotations

import pytest

from desktop import i18n
from desktop.library_downloads import Downloads
from desktop.library_window import LibraryWindow
from models.catalog import load_catalog
from models.documents.embedder import CHAT_MODEL_NOTE, find_embedding_models
from models.downloads import Job
from models.paths import models_dir
from tests.desktop.library_fixtures import BUDGET
from tests.models.tiny_embedding import write_tiny_embedding_gguf

TIMEOUT = 30000
E5, E5_REPO, E5_FILE = (
    "multilingual-e5-small-q8_0",
    "cstr/multilingual-e5-small-GGUF",
    "multilingual-e5-small-Q8_0.gguf",
)
BADGE = {"en": "Recommended for this computer", "ja": "このコンピューターにおすすめ"}


@pytest.fixture
def cpu_laptop(monkeypatch):
    """This machine as the 2-core laptop of issue 14, whatever the test machine has."""
    monkeypatch.setattr("models.recommend.physical_cores", lambda: 2)


@pytest.fixture(params=["en", "ja"])
def lang(request):
    i18n.apply_language(request.param)
    yield request.param
    i18n.apply_language("en")


def test_the_catalog_marks_the_embedding_model_for_this_computer(qtbot, cpu_laptop, lang):
    downloads = Downloads(load_catalog())
    library = LibraryWindow(downloads, load_catalog(), BUDGET)  # 16 GB, no GPU, 2 cores
    qtbot.addWidget(library)
    library.show()
    marked = [c.entry.id for c in library.catalog.cards if c.recommended.isVisible()]
    assert marked == [E5]
    assert library.catalog.card(E5).recommended.text() == BADGE[lang]
    downloads.shutdown()


def test_documents_window_names_and_downloads_the_recommended_model(
    make_window, qtbot, hub, bundled_model, tmp_path, cpu_laptop, lang
):
    from desktop.error_text import translate_note

    hub.add_repo(
        E5_REPO, {E5_FILE: write_tiny_embedding_gguf(tmp_path / "e5.gguf", bundled_model).read_bytes()}
    )
    window = make_window(start=False, language=lang)
    qtbot.waitUntil(lambda: window.library.budget is not None, timeout=10000)
    window.library.budget = BUDGET
    window.open_documents()
    offer = window._documents_window.view.embedding_offer
    qtbot.waitUntil(offer.isVisible, timeout=TIMEOUT)
    assert "multilingual-e5-small" in offer.label.text() and BADGE[lang] in offer.label.text()
    assert offer.button.text() == {"en": "Download", "ja": "ダウンロード"}[lang]
    note = translate_note(CHAT_MODEL_NOTE)
    assert "multilingual-e5-small" in note and "catalog" not in note
    offer.button.click()
    qtbot.waitUntil(lambda: not offer.button.isVisible(), timeout=TIMEOUT)
    assert "multilingual-e5-small" in offer.label.text()
    assert find_embedding_models() == [models_dir() / E5_FILE]
    assert window.library.downloads.job_for(E5).state == "done"


def test_the_chat_offers_it_when_documents_are_attached(make_window, qtbot, cpu_laptop):
    window = make_window(start=False)
    qtbot.waitUntil(lambda: window.library.budget is not None, timeout=10000)
    window.library.budget = BUDGET
    docs = window.chat_documents
    assert not docs.embedding_offer.isVisible()
    docs.set_attached("notes", True)
    qtbot.waitUntil(docs.embedding_offer.isVisible, timeout=TIMEOUT)
    assert "multilingual-e5-small" in docs.embedding_offer.label.text()
    docs.set_attached("notes", False)
    assert not docs.embedding_offer.isVisible()
    docs.set_attached("notes", True)
    assert docs.embedding_offer.isVisible()
    # Another embedding model downloaded from the library: nothing left to offer.
    base = "multilingual-e5-base-q8_0"
    window.library.downloads._on_change(Job(base, "e5 base", "r", catalog_id=base, state="done"))
    assert not docs.embedding_offer.isVisible()


def test_the_chat_says_it_once_even_while_the_offer_still_looks(make_window, qtbot, cpu_laptop, monkeypatch):
    """The offer looks for installed models on a thread; an answer that comes back first must not put
    the same advice in a banner as well (a slow CI machine showed both)."""
    monkeypatch.setattr("desktop.embedding_offer.run_call", lambda *a, **k: None)  # the look never ends
    window = make_window(start=False)
    offer = window.chat_documents.embedding_offer
    window.chat_documents.set_attached("notes", True)
    assert offer.installed is None and window.controller.embedding_offered()
    offer._looked(True)  # an embedding model is installed after all: the banner may speak again
    assert not window.controller.embedding_offered()
    window.chat_documents.set_attached("notes", False)
    assert not window.controller.embedding_offered()
