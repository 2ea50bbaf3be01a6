"""The conversion wizard with a hub repo id: the download shows progress, Cancel stops it, closing the
wizard mid-download returns within a bound (it used to freeze until the download ended)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.conversion_job import CLOSE_WAIT_SECONDS
from desktop.conversion_wizard import ConversionWizard
from models.paths import models_dir
from tests.converters.tiny import make_checkpoint
from tests.models.hubserver import HubServer, serve_local_hub

REPO = "acme/tiny-llama"


@pytest.fixture
def slow_hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubServer]:
    """The local hub serving a real tiny checkpoint whose weights arrive slowly."""
    folder = make_checkpoint(tmp_path, "llama", "spm-bpe", "safetensors")
    for hub in serve_local_hub(monkeypatch):
        hub.add_repo(REPO, {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()})
        hub.faults.slow["model.safetensors"] = 0.05
        hub.faults.chunk = 2048
        yield hub


def _start(qtbot, repo: str) -> ConversionWizard:
    """Through the wizard's pages with a hub repo id, to the progress page (the download starts)."""
    from tests.desktop.test_conversion_wizard import _to_summary

    wizard = ConversionWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()  # past the introduction
    wizard.source_page.source.setText(repo)
    wizard.next()  # the source page reads the repo's config.json first, off the GUI thread
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.device_page, timeout=30000)
    _to_summary(wizard, "phone-4gb", "Q4_0")
    wizard.summary_page.output.setText("tiny.Q4_0.gguf")
    wizard.next()
    assert wizard.currentPage() is wizard.progress_page
    return wizard


def _weights_arriving(wizard: ConversionWizard) -> object:
    """A condition for waitUntil: the weights file is being downloaded and the page says so."""
    messages: list[str] = []
    wizard.progress_page._job.worker.progress.connect(lambda p: messages.append(p.message))  # noqa: SLF001

    def check() -> bool:
        page = wizard.progress_page
        downloading = page.stage.text() == "Downloading the model…" and page.bar.value() > 0
        return downloading and bool(messages) and messages[-1].startswith("model.safetensors")

    return check


def test_a_repo_id_shows_download_progress_and_cancel_stops_it(qtbot, slow_hub: HubServer) -> None:
    wizard = _start(qtbot, REPO)
    qtbot.waitUntil(_weights_arriving(wizard), timeout=30000)
    wizard.progress_page.cancel_button.click()
    qtbot.waitUntil(lambda: bool(wizard.progress_page.error.text()), timeout=10000)
    assert "cancelled" in wizard.progress_page.error.text().lower()
    assert "Traceback" not in wizard.progress_page.error.text()
    # The partial download stays for a resume; no GGUF, nothing half-written in the models folder.
    assert not list(models_dir().glob("*.gguf"))
    assert list((models_dir() / "checkpoints" / "acme--tiny-llama" / ".downloads").glob("*.part"))


def test_closing_mid_download_returns_within_the_bound(qtbot, slow_hub: HubServer) -> None:
    wizard = _start(qtbot, REPO)
    qtbot.waitUntil(_weights_arriving(wizard), timeout=30000)
    thread = wizard.progress_page._job.thread  # noqa: SLF001 - the job's thread is what must stop
    started = time.monotonic()
    wizard.reject()
    assert time.monotonic() - started < CLOSE_WAIT_SECONDS
    assert thread is not None and not thread.isRunning()  # cancelled, not left behind
    assert not wizard.isVisible()
