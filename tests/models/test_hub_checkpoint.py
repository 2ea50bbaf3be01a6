"""One path from a hub repo id to a local checkpoint: the CLI, the converters and the wizard share it.

Against the local hub server: what is downloaded, where, with progress and cancel, and that a finished
download (by ``tomoshibi models download`` or by an earlier conversion) is reused without the hub.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.download import DownloadProgress
from models.errors import Cancelled, ConversionError
from models.hub_checkpoint import checkpoint_folder, fetch_checkpoint, is_repo_id
from models.paths import models_dir
from tests.models.hubserver import PAYLOAD, HubServer, serve_local_hub

CKPT = "acme/ckpt"
RINNA = "rinna/japanese-gpt-neox-3.6b-instruction-sft"  # a catalog checkpoint


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    yield from serve_local_hub(monkeypatch)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_repo_id_downloads_config_tokenizer_and_one_weights_format(local_hub: HubServer) -> None:
    seen: list[DownloadProgress] = []
    folder = fetch_checkpoint(CKPT, progress=seen.append)
    assert folder == models_dir() / "checkpoints" / "acme--ckpt"
    # No .bin next to safetensors, no training leftovers, nothing from sub-folders, never code.
    assert _names(folder) == [".tomoshibi-source.json", "config.json", "model.safetensors", "spiece.model",
                              "tokenizer.json"]  # fmt: skip
    assert (folder / "model.safetensors").read_bytes() == PAYLOAD[:3000]
    assert {p.filename for p in seen} >= {"model.safetensors"} and seen[-1].file_count == 4


def test_a_finished_download_is_reused_without_the_hub(local_hub: HubServer, monkeypatch) -> None:
    first = fetch_checkpoint(CKPT)
    requests = len(local_hub.log)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # a second fetch must not even try
    assert fetch_checkpoint(CKPT) == first
    assert len(local_hub.log) == requests
    # A file removed since: the folder is no longer complete, so the missing file is fetched again.
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    (first / "spiece.model").unlink()
    assert fetch_checkpoint(CKPT) == first and (first / "spiece.model").is_file()


def test_cancel_stops_the_download_and_a_later_fetch_resumes(local_hub: HubServer) -> None:
    local_hub.faults.slow["model.safetensors"] = 0.2
    local_hub.faults.chunk = 512
    cancel = threading.Event()

    def on_progress(p: DownloadProgress) -> None:
        if p.filename == "model.safetensors" and p.downloaded > 0:
            cancel.set()

    with pytest.raises(Cancelled):
        fetch_checkpoint(CKPT, progress=on_progress, cancel=cancel)
    folder = checkpoint_folder(CKPT)
    assert not (folder / "model.safetensors").exists()
    assert not (folder / ".tomoshibi-source.json").exists()  # not mistaken for a finished download
    local_hub.faults.slow.clear()
    assert (fetch_checkpoint(CKPT) / "model.safetensors").read_bytes() == PAYLOAD[:3000]
    resumed = [e for e in local_hub.gets("model.safetensors") if e.range_start]
    assert resumed, "the second fetch resumed the partial file instead of starting over"


def test_models_download_then_convert_source_is_the_same_folder(local_hub: HubServer) -> None:
    """`tomoshibi models download` (catalog id or repo) fills the folder the converters read."""
    from cli.models import run_download
    from converters.readers.checkpoint import resolve_source

    local_hub.add_repo(RINNA, {"config.json": b'{"model_type": "gpt_neox"}', "spiece.model": b"m" * 2000,
                               "pytorch_model.bin": PAYLOAD[:4000]}, tags=("gpt_neox",))  # fmt: skip
    assert run_download(argparse.Namespace(model=RINNA, file=None, quant="Q4_K_M")) == 0
    catalog_folder = models_dir() / "checkpoints" / "rinna-japanese-gpt-neox-3.6b-instruction-sft"
    assert (catalog_folder / "pytorch_model.bin").is_file()
    before = len(local_hub.log)
    assert resolve_source(RINNA) == catalog_folder
    assert len(local_hub.log) == before  # nothing downloaded again

    # A repo outside the catalog: `models download OWNER/REPO` sees a checkpoint (no GGUF) and fetches it.
    assert run_download(argparse.Namespace(model=CKPT, file=None, quant="Q4_K_M")) == 0
    before = len(local_hub.log)
    assert resolve_source(CKPT) == checkpoint_folder(CKPT)
    assert len(local_hub.log) == before


def test_what_is_a_repo_id(tmp_path: Path) -> None:
    from converters.readers.checkpoint import resolve_source

    assert is_repo_id("rinna/japanese-gpt-neox-3.6b") and is_repo_id("a-b/c.d_e")
    assert not any(is_repo_id(s) for s in ("./x", "~/x", "/abs", "a/b/c", "plain", "a/"))
    assert resolve_source(tmp_path) == tmp_path  # a local folder never reaches the hub
    with pytest.raises(ConversionError, match="neither"):
        resolve_source(str(tmp_path / "missing" / "deeper" / "folder"))
