"""Updates of installed catalog models against the local hub: a changed file upstream is seen, the
update replaces the old file only once verified, a cancelled update keeps it, offline says nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from models import catalog
from models.download import SIDECAR_SUFFIX
from models.errors import Cancelled
from models.fetch import download_entry
from models.paths import models_dir
from models.updates import UpdateCheck, check_updates, installed_sha256, update_entry
from tests.models.hubserver import BIG, PAYLOAD, REPO, HubServer, serve_local_hub

ENTRY = catalog.CatalogEntry("tiny", "Tiny", "chat", "hub", REPO, (), "llama", 10**6, "Q4_K_M", "mit", False,
                             False, None, ("en",))  # fmt: skip
NEWER = bytes(reversed(PAYLOAD))  # same size, other bytes: only the hash tells them apart


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    yield from serve_local_hub(monkeypatch)


def installed(hub: HubServer) -> Path:
    path = download_entry(ENTRY)
    assert path.read_bytes() == PAYLOAD
    return path


def test_a_newer_file_upstream_is_installed_in_place(local_hub: HubServer) -> None:
    path = installed(local_hub)
    old_sha = installed_sha256(path)
    assert check_updates([ENTRY], {"tiny": str(path)}).updates == {}
    local_hub.repos[REPO].files[BIG] = NEWER
    result = check_updates([ENTRY], {"tiny": str(path)})
    assert result.reached and list(result.updates) == ["tiny"]
    update = result.updates["tiny"]
    assert update.installed_sha256 == old_sha and update.sha256 != old_sha and update.size == len(NEWER)
    # Remembered for the day: a saved check keeps the update while the old file is installed.
    assert list(UpdateCheck.from_json(json.loads(json.dumps(result.to_json()))).updates) == ["tiny"]
    assert update_entry(ENTRY, path) == path
    assert path.read_bytes() == NEWER
    record = json.loads(path.with_name(path.name + SIDECAR_SUFFIX).read_text())
    assert record["sha256"] == update.sha256 and record["repo"] == REPO and record["commit"]
    assert check_updates([ENTRY], {"tiny": str(path)}).updates == {}
    assert UpdateCheck.from_json(result.to_json()).updates == {}  # installed now: no longer an update


def test_a_cancelled_update_keeps_the_old_model(local_hub: HubServer) -> None:
    path = installed(local_hub)
    local_hub.repos[REPO].files[BIG] = NEWER
    local_hub.faults.slow[BIG] = 0.02
    cancel = threading.Event()

    def progress(p) -> None:  # type: ignore[no-untyped-def]
        if p.downloaded > 20000:
            cancel.set()

    with pytest.raises(Cancelled):
        update_entry(ENTRY, path, progress=progress, cancel=cancel)
    assert path.read_bytes() == PAYLOAD
    assert (
        installed_sha256(path) == check_updates([ENTRY], {"tiny": str(path)}).updates["tiny"].installed_sha256
    )


def test_a_corrupt_update_keeps_the_old_model(local_hub: HubServer) -> None:
    path = installed(local_hub)
    local_hub.repos[REPO].files[BIG] = NEWER
    local_hub.faults.corrupt.add(BIG)
    with pytest.raises(Exception, match="corrupted"):
        update_entry(ENTRY, path)
    assert path.read_bytes() == PAYLOAD


def test_offline_or_unknown_files_say_nothing(local_hub: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    path = installed(local_hub)
    imported = models_dir() / "mine.gguf"
    imported.write_bytes(b"x" * 100)  # no sidecar: not ours to update
    assert check_updates([ENTRY], {"tiny": str(imported)}).updates == {}
    assert local_hub.log[-1].path.endswith(BIG)  # ... and the hub was not asked
    local_hub.repos[REPO].files[BIG] = NEWER
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # nothing listens there
    result = check_updates([ENTRY], {"tiny": str(path)})
    assert not result.reached and result.updates == {}


def test_an_update_of_a_file_in_use_waits_for_a_retry(
    local_hub: HubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows cannot replace a file a running model maps: the verified new file waits as the partial
    download, the old model keeps working, and a retry only moves it (no second transfer)."""
    import os

    from models.download import FileInUseError
    from models.downloads import failure_reason

    path = installed(local_hub)
    local_hub.repos[REPO].files[BIG] = NEWER
    real_replace = os.replace

    def locked(src, dst):  # type: ignore[no-untyped-def]
        if str(dst) == str(path):
            raise PermissionError(13, "The process cannot access the file")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileInUseError) as error:
        update_entry(ENTRY, path)
    assert failure_reason(error.value) == "in_use" and path.read_bytes() == PAYLOAD
    monkeypatch.setattr(os, "replace", real_replace)
    sent = sum(e.body_bytes for e in local_hub.gets(BIG))
    assert update_entry(ENTRY, path) == path and path.read_bytes() == NEWER
    assert sum(e.body_bytes for e in local_hub.gets(BIG)) == sent  # nothing downloaded twice
