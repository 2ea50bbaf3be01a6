"""The Qt-free parts of the model library: fit levels, one display name, recommendations, language
detection, catalog files resolved by quantization at download time, the download queue's reasons."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from models import catalog
from models.download import SIDECAR_SUFFIX
from models.downloads import DownloadQueue, failure_reason
from models.errors import DownloadError
from models.fetch import FileNotInRepoError, download_entry, resolve_gguf
from models.fit import Fit, fit_report, hub_file_need
from models.memory_budget import MemoryBudget
from models.model_names import catalog_entry_for, display_name
from models.paths import models_dir
from models.recommend import looks_japanese, model_speaks, recommend, recommend_embedding
from tests.models.hubserver import PAYLOAD, REPO, HubServer, serve_local_hub

GIB = 1 << 30


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    yield from serve_local_hub(monkeypatch)


def test_fit_levels() -> None:
    budget = MemoryBudget(ram_total=16 * GIB, ram_available=8 * GIB)
    assert fit_report(4 * GIB, budget).fit is Fit.FITS
    assert fit_report(10 * GIB, budget).fit is Fit.TIGHT  # fits once other apps close
    assert fit_report(15 * GIB, budget).fit is Fit.NO
    # A hub file is priced like the catalog entry of the same model (Llama 2 7B Q4_K_M is 4.08 GB).
    seven = catalog.memory_need(catalog.get_entry("llama-2-7b-chat-q4_k_m"))
    assert abs(hub_file_need(4_080_000_000, "Q4_K_M") - seven) < 0.15 * seven
    assert hub_file_need(1000, None) is None


def test_one_display_name(bundled_model, tmp_path) -> None:
    assert display_name(bundled_model) == "SmolLM2 135M Instruct"
    plain = tmp_path / "my-model.Q4_0.gguf"
    plain.write_bytes(b"GGUF")
    assert display_name(plain) == "my-model.Q4_0"
    # A download of a catalog entry resolved by quantization: the record names the repository.
    got = tmp_path / "Qwen3-1.7B-Q4_K_M.gguf"
    got.write_bytes(b"GGUF")
    got.with_name(got.name + SIDECAR_SUFFIX).write_text(json.dumps({"repo": "unsloth/Qwen3-1.7B-GGUF"}))
    assert display_name(got) == "Qwen3 1.7B (Q4_K_M)"
    assert catalog_entry_for(got).id == "qwen3-1.7b-q4_k_m"
    from models import model_names

    assert model_names.SIDECAR_SUFFIX == SIDECAR_SUFFIX  # the same record models.download writes


def test_recommendation_by_language_and_memory() -> None:
    laptop = MemoryBudget(ram_total=8 * GIB, ram_available=5 * GIB)
    big = MemoryBudget(ram_total=32 * GIB, ram_available=24 * GIB)
    assert recommend("ja", laptop).id == "qwen3-1.7b-q4_k_m"
    assert recommend("ja", big).id == "qwen3-4b-q4_k_m"
    phone = MemoryBudget(ram_total=3 * GIB, ram_available=int(1.2 * GIB))
    assert recommend("ja", phone).parameters < 2.1e9
    for lang in ("ja", "en"):
        assert recommend(lang, laptop).speaks(lang)


def test_embedding_recommendation_by_machine() -> None:
    def pick(ram: int, cores: int = 2, vram: int | None = None, unified: bool = False) -> str:
        budget = MemoryBudget(ram * GIB, ram * GIB // 2, vram_total=vram, unified=unified)
        entry = recommend_embedding(budget, cores=cores, language="ja")
        assert entry is not None
        return entry.id

    small, base, qwen = "multilingual-e5-small-q8_0", "multilingual-e5-base-q8_0", "qwen3-embedding-0.6b-q8_0"
    assert pick(8, cores=2) == small  # the 2-core laptop: the fast one
    assert pick(32, cores=4) == small  # memory alone does not make indexing faster
    assert pick(8, cores=16) == small  # nor cores without memory to spare
    assert pick(16, cores=8) == base
    assert pick(16, cores=2, vram=4 * GIB) == base  # any GPU runs base easily
    assert pick(32, cores=4, vram=12 * GIB) == qwen  # Qwen3-Embedding only where it runs well
    assert pick(16, unified=True) == qwen and pick(8, unified=True) == base
    assert recommend_embedding(None).id == small
    assert recommend_embedding(None, entries=[catalog.get_entry("qwen3-1.7b-q4_k_m")]) is None


def test_language_detection(bundled_model) -> None:
    assert looks_japanese("日本の首都はどこですか？")
    assert looks_japanese("Pythonでリストを並べ替える方法は？")
    assert not looks_japanese("What is the capital of Japan?")
    assert not looks_japanese("   ")
    assert model_speaks(bundled_model, "ja") is False and model_speaks(bundled_model, "en") is True


def test_catalog_file_is_resolved_by_quantization(local_hub: HubServer) -> None:
    assert resolve_gguf(REPO, "Q4_K_M").name == "tiny-model.Q4_K_M.gguf"
    assert resolve_gguf(REPO, "q8_0").name == "tiny-model.Q8_0.gguf"
    with pytest.raises(FileNotInRepoError) as missing:
        resolve_gguf(REPO, "Q2_K")
    assert "Q4_K_M" in str(missing.value) and "Q8_0" in str(missing.value)
    entry = catalog.CatalogEntry("t", "T", "chat", "hub", REPO, (), "llama", 10**6, "Q4_K_M", "mit", False,
                                 False, None, ("en",))  # fmt: skip
    path = download_entry(entry)
    assert path == models_dir() / "tiny-model.Q4_K_M.gguf" and path.read_bytes() == PAYLOAD


def test_queue_failure_reasons(local_hub: HubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    queue = DownloadQueue(entries=())
    job = queue.start_file("meta/gated-GGUF", "gated.Q4_0.gguf")
    assert queue.wait(job.id, 20).reason == "gated"
    job = queue.start_file("nobody/nothing-GGUF", "x.gguf")
    assert queue.wait(job.id, 20).reason in ("missing_repo", "gated")  # the hub answers 401 for both
    local_hub.faults.corrupt.add("tiny-model.Q8_0.gguf")
    job = queue.start_file(REPO, "tiny-model.Q8_0.gguf")
    assert queue.wait(job.id, 20).reason == "corrupt"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert failure_reason(DownloadError("x")) == "offline"
