"""The catalog is data: every entry complete, consistent, and priced by the memory estimator."""

from __future__ import annotations

import pytest

from models import catalog
from models.chat_templates import FORMATS
from models.errors import ConfigError
from models.memory import MemoryBudget
from models.quant_names import quant_from_filename

GB = 1_000_000_000


def test_entries_are_complete_and_consistent() -> None:
    entries = catalog.load_catalog()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    for e in entries:
        assert e.kind in catalog.KINDS and e.source in catalog.SOURCES, e.id
        assert e.parameters > 0 and e.size_bytes > 0 and e.licence and e.languages, e.id
        assert e.prompt_format is None or e.prompt_format in FORMATS, e.id
        if e.source == "hub":
            assert e.repo and "/" in e.repo, e.id
            assert e.files or e.allow_patterns or e.resolved_at_download, e.id
        assert e.description and e.description_ja, e.id
        for f in e.files:
            assert f.sha256 is None or len(f.sha256) == 64, e.id
            if f.name.endswith(".gguf"):
                assert quant_from_filename(f.name) == e.quantization, e.id
        if e.kind == "checkpoint":
            assert e.convert and e.convert["converter"] == "gpt_neox" and not e.files, e.id


def test_the_seed_models_are_there() -> None:
    repos = {e.repo for e in catalog.load_catalog()}
    for repo in ("rinna/japanese-gpt-neox-3.6b-instruction-ppo", "rinna/japanese-gpt-neox-3.6b-instruction-sft",
                 "rinna/bilingual-gpt-neox-4b-instruction-sft", "TheBloke/Llama-2-7B-Chat-GGUF",
                 "TheBloke/Llama-2-13B-chat-GGUF", "mmnga/ELYZA-japanese-Llama-2-7b-instruct-gguf",
                 "cyberagent/open-calm-small", "Qwen/Qwen3-Embedding-0.6B-GGUF"):  # fmt: skip
        assert repo in repos
    quants = {e.quantization for e in catalog.load_catalog() if e.repo == "TheBloke/Llama-2-7B-Chat-GGUF"}
    assert quants == {"Q4_K_M", "Q4_0"}
    assert catalog.get_entry("smollm2-135m-instruct-q4_1").source == "bundled"
    kinds = {e.kind for e in catalog.load_catalog()}
    assert kinds == set(catalog.KINDS)
    small = catalog.get_entry("multilingual-e5-small-q8_0")
    assert small.kind == "embedding" and small.resolved_at_download and small.licence == "mit"
    assert small.speaks("ja") and small.describe("ja") != small.describe("en")


def test_current_small_models_that_speak_japanese_are_there() -> None:
    entries = {e.id: e for e in catalog.load_catalog()}
    for entry_id in ("qwen3-1.7b-q4_k_m", "qwen3-4b-q4_k_m", "gemma-3-1b-it-q4_k_m", "gemma-3-4b-it-q4_k_m",
                     "llama-3-elyza-jp-8b-q4_k_m", "tinyswallow-1.5b-instruct-q5_k_m"):  # fmt: skip
        entry = entries[entry_id]
        assert entry.speaks("ja") and entry.resolved_at_download and not entry.files, entry_id
    assert entries["multilingual-e5-base-q8_0"].kind == "embedding"
    assert entries["llama-3.2-3b-instruct-q4_k_m"].licence_acceptance
    assert entries["qwen3-1.7b-q4_k_m"].describe("ja") != entries["qwen3-1.7b-q4_k_m"].describe("en")


def test_memory_need_comes_from_the_estimator() -> None:
    small = catalog.memory_need(catalog.get_entry("smollm2-135m-instruct-q4_1"))
    seven = catalog.memory_need(catalog.get_entry("llama-2-7b-chat-q4_k_m"))
    seven_q4_0 = catalog.memory_need(catalog.get_entry("llama-2-7b-chat-q4_0"))
    thirteen = catalog.memory_need(catalog.get_entry("llama-2-13b-chat-q4_k_m"))
    assert small < 1 * GB < seven_q4_0 < seven < thirteen
    assert 3.5 * GB < seven < 7 * GB and 7 * GB < thirteen < 12 * GB
    # A checkpoint is priced as what it becomes after conversion, not as the F16 download.
    rinna = catalog.get_entry("rinna-japanese-gpt-neox-3.6b-instruction-ppo")
    assert catalog.memory_need(rinna) < rinna.size_bytes
    assert catalog.memory_need(rinna, n_ctx=512) < catalog.memory_need(rinna)


def test_fit_against_a_budget() -> None:
    thirteen = catalog.get_entry("llama-2-13b-chat-q4_k_m")
    assert catalog.fits(thirteen, MemoryBudget(ram_total=64 * GB, ram_available=48 * GB))
    assert not catalog.fits(thirteen, MemoryBudget(ram_total=8 * GB, ram_available=5 * GB))


def test_lookup_by_id_or_repo() -> None:
    assert catalog.find_entry("mmnga/ELYZA-japanese-Llama-2-7b-instruct-gguf") is not None
    with pytest.raises(ConfigError, match="llama-2-7b-chat-q4_k_m"):
        catalog.get_entry("no-such-model")
