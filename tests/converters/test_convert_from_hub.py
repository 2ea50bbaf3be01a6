"""``convert_checkpoint`` from a hub repo id: the converter downloads through models.hub_checkpoint
(the folder ``tomoshibi models download`` fills) and a second conversion reuses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.convert import convert_checkpoint
from models.hub_checkpoint import checkpoint_folder
from tests.models.hubserver import serve_local_hub


def test_a_repo_id_converts_and_the_download_is_reused(
    tiny_checkpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tiny_checkpoint("llama", "spm-bpe", "safetensors")
    for hub in serve_local_hub(monkeypatch):
        hub.add_repo("acme/tiny-llama", {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()})
        first = convert_checkpoint("acme/tiny-llama", tmp_path / "a.gguf", out_type="f16")
        requests = len(hub.log)
        second = convert_checkpoint("acme/tiny-llama", tmp_path / "b.gguf", out_type="f16")
        assert len(hub.log) == requests  # the second conversion read the downloaded folder
    assert first.path.stat().st_size == second.path.stat().st_size > 0
    assert first.source == "acme/tiny-llama"
    assert (checkpoint_folder("acme/tiny-llama") / "model.safetensors").is_file()
