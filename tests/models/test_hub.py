"""Hub downloads against a local server that speaks the hub's protocol (never the internet)."""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import download
from models.errors import Cancelled, DownloadError, InsufficientDiskError
from models.paths import models_dir
from tests.models.hubserver import BIG, CONFIG, PAYLOAD, REPO, TOKEN, HubServer, serve_local_hub


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    yield from serve_local_hub(monkeypatch)


@pytest.fixture
def hubserver(local_hub: HubServer) -> HubServer:
    return local_hub


def _ok(path: Path) -> bytes:
    return path.read_bytes()


def test_download_reports_progress_and_verifies(hubserver: HubServer) -> None:
    hubserver.faults.slow[BIG] = 0.002
    reports: list[download.DownloadProgress] = []
    path = download.download_file(REPO, BIG, progress=reports.append, retry_delay=0)
    assert path == models_dir() / BIG
    assert _ok(path) == PAYLOAD
    assert reports and reports[-1].downloaded == len(PAYLOAD) == reports[-1].total
    assert all(a.downloaded <= b.downloaded for a, b in zip(reports, reports[1:], strict=False))
    assert reports[-1].speed > 0
    record = json.loads(path.with_name(path.name + ".tomoshibi.json").read_text())
    assert record["repo"] == REPO and record["sha256"] == hashlib.sha256(PAYLOAD).hexdigest()
    # The LFS file came through the CDN host, without the token; nothing is left half-written.
    assert download.partial_downloads() == []
    cdn_gets = [e for e in hubserver.gets(BIG) if e.path.startswith("/cdn/")]
    assert len(cdn_gets) == 1 and cdn_gets[0].authorization is None


def test_small_git_file_is_checked_against_its_blob_id(hubserver: HubServer, tmp_path: Path) -> None:
    path = download.download_file(REPO, "config.json", dest_dir=tmp_path / "ckpt")
    assert path.read_bytes() == CONFIG


def test_cut_connection_is_resumed_with_only_the_remainder(hubserver: HubServer) -> None:
    cut = 100_000
    hubserver.faults.cut_after[BIG] = cut
    path = download.download_file(REPO, BIG, retry_delay=0)
    assert path.read_bytes() == PAYLOAD
    first, second = [e for e in hubserver.gets(BIG) if e.status in (200, 206)]
    assert first.body_bytes == cut and first.range_start is None
    assert second.status == 206 and second.range_start == cut
    assert second.body_bytes == len(PAYLOAD) - cut


def test_interrupted_download_resumes_after_a_restart(hubserver: HubServer) -> None:
    cut = 50_000
    hubserver.faults.cut_after[BIG] = cut
    with pytest.raises(DownloadError, match="interrupted") as info:
        download.download_file(REPO, BIG, retries=0)
    assert "resumes" in str(info.value)
    assert [p.stat().st_size for p in download.partial_downloads()] == [cut]
    reports: list[download.DownloadProgress] = []
    path = download.download_file(REPO, BIG, progress=reports.append)  # as after restarting the program
    assert path.read_bytes() == PAYLOAD
    assert reports[-1].resumed_from == cut
    last = hubserver.gets(BIG)[-1]
    assert last.range_start == cut and last.body_bytes == len(PAYLOAD) - cut


def test_hash_mismatch_deletes_the_file_and_says_so(hubserver: HubServer) -> None:
    hubserver.faults.corrupt.add(BIG)
    with pytest.raises(DownloadError, match="corrupted") as info:
        download.download_file(REPO, BIG)
    assert "deleted" in str(info.value) and "sha256" in str(info.value)
    assert not (models_dir() / BIG).exists()
    assert download.partial_downloads() == []


def test_full_disk_is_refused_before_any_byte(hubserver: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    usage = shutil.disk_usage(models_dir())
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage._replace(free=10_000))
    with pytest.raises(InsufficientDiskError, match="disk space"):
        download.download_file(REPO, BIG)
    assert hubserver.gets(BIG) == []


def test_offline_says_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    with socket.socket() as sock:  # a port nothing listens on: connection refused
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    with pytest.raises(DownloadError, match="offline"):
        download.download_file(REPO, BIG)


def test_offline_mode_variable_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DownloadError, match="HF_HUB_OFFLINE"):
        download.download_file(REPO, BIG)


def test_gated_repo_needs_a_token(hubserver: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DownloadError) as info:
        download.download_file("meta/gated-GGUF", "gated.Q4_0.gguf")
    message = str(info.value)
    assert "gated" in message and "HF_TOKEN" in message and "huggingface-cli login" in message
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    path = download.download_file("meta/gated-GGUF", "gated.Q4_0.gguf")
    assert path.read_bytes() == PAYLOAD[:4096]


def test_missing_file_is_a_clear_404(hubserver: HubServer) -> None:
    with pytest.raises(DownloadError, match="not in acme/tiny-GGUF"):
        download.download_file(REPO, "nope.gguf")


def test_cancel_leaves_a_resumable_partial(hubserver: HubServer) -> None:
    hubserver.faults.slow[BIG] = 0.005
    cancel = threading.Event()

    def stop_midway(p: download.DownloadProgress) -> None:
        if p.downloaded >= 40_000:
            cancel.set()

    with pytest.raises(Cancelled):
        download.download_file(REPO, BIG, progress=stop_midway, cancel=cancel)
    assert not (models_dir() / BIG).exists()
    (part,) = download.partial_downloads()
    assert 40_000 <= part.stat().st_size < len(PAYLOAD)
    hubserver.faults.slow.clear()
    assert download.download_file(REPO, BIG).read_bytes() == PAYLOAD


def test_cancel_does_not_wait_for_a_stalled_connection(hubserver: HubServer) -> None:
    hubserver.faults.slow[BIG] = 30.0  # one chunk, then nothing for 30 s
    cancel = threading.Event()
    timers: list[threading.Timer] = []

    def cancel_while_stalled(p: download.DownloadProgress) -> None:
        if not timers:  # after the first chunk, while the next read blocks
            timers.append(threading.Timer(0.2, cancel.set))
            timers[0].start()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        download.download_file(REPO, BIG, cancel=cancel, progress=cancel_while_stalled)
    assert time.monotonic() - started < 5
    assert download.partial_downloads()[0].stat().st_size == hubserver.faults.chunk


def test_a_partial_of_an_older_version_is_not_resumed(hubserver: HubServer) -> None:
    hubserver.faults.cut_after[BIG] = 50_000
    with pytest.raises(DownloadError, match="interrupted"):
        download.download_file(REPO, BIG, retries=0)
    newer = PAYLOAD[::-1]
    hubserver.repos[REPO].files[BIG] = newer  # the file changed on the hub meanwhile
    assert download.download_file(REPO, BIG).read_bytes() == newer
    assert hubserver.gets(BIG)[-1].range_start is None  # started over instead of splicing two versions
