"""A catalog and a hub for the model library's tests: every entry points at the local hub server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.catalog import CatalogEntry, load_catalog
from models.memory_budget import MemoryBudget
from tests.models.hubserver import PAYLOAD, HubServer, serve_local_hub
from tests.models.tiny_gguf import write_tiny_gguf

GIB = 1 << 30
BUDGET = MemoryBudget(ram_total=16 * GIB, ram_available=12 * GIB)
SMALL_REPO = "acme/qwen-GGUF"
SMALL_FILE = "qwen-tiny-Q4_K_M.gguf"  # a real (tiny) GGUF, so the library lists it as a model
SLOW_REPO = "acme/slow-GGUF"
SLOW_FILE = "slow-Q8_0.gguf"
SLOW_BYTES = PAYLOAD * 4  # 1.2 MB, streamed slowly for progress, pause, cancel and resume


def _entry(
    id: str, name: str, repo: str, quant: str, params: float, languages: list[str], **extra: object
) -> dict:
    raw = {"id": id, "name": name, "kind": "chat", "source": "hub", "repo": repo, "files": [],
           "size": 300_000, "architecture": "llama", "parameters": int(params), "quantization": quant,
           "context_length": 4096, "licence": "apache-2.0", "gated": False, "licence_acceptance": False,
           "prompt_format": None, "languages": languages, "description": f"{name} in English.",
           "description_ja": f"{name} の説明。"}  # fmt: skip
    raw.update(extra)
    return raw


def write_catalog(path: Path) -> Path:
    bundled = json.loads((Path(__file__).resolve().parents[2] / "models" / "catalog.json").read_text())[
        "entries"
    ][0]
    entries = [
        bundled,
        # Named as the real recommendation so the welcome recommends it (models.recommend.PREFERENCES).
        _entry("qwen3-1.7b-q4_k_m", "Tiny Qwen", SMALL_REPO, "Q4_K_M", 1e6, ["ja", "en", "multilingual"]),
        _entry("slow-model", "Slow Model", SLOW_REPO, "Q8_0", 2e6, ["en"]),
        _entry(
            "gated-model",
            "Gated Llama",
            "meta/gated-GGUF",
            "Q4_0",
            1e6,
            ["en"],
            gated=True,
            licence_acceptance=True,
            licence="llama3",
            licence_url="https://example.invalid/licence",
        ),  # fmt: skip
        _entry("huge-model", "Huge Model", "acme/huge-GGUF", "Q4_K_M", 70e9, ["en"]),
        _entry("missing-quant", "Missing Quant", "acme/tiny-GGUF", "Q2_K", 1e6, ["en"]),
        _entry("tiny-embed", "Tiny Embedding", "acme/tiny-GGUF", "Q8_0", 1e6, ["ja", "en"], kind="embedding"),
    ]
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")
    return path


@pytest.fixture
def entries(tmp_path: Path) -> tuple[CatalogEntry, ...]:
    return load_catalog(write_catalog(tmp_path / "catalog.json"))


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[HubServer]:
    tiny = write_tiny_gguf(tmp_path / "tiny.gguf").read_bytes()
    for server in serve_local_hub(monkeypatch):
        server.add_repo(SMALL_REPO, {SMALL_FILE: tiny, "qwen-tiny-Q8_0.gguf": tiny}, downloads=10)
        server.add_repo(SLOW_REPO, {SLOW_FILE: SLOW_BYTES}, downloads=5)
        server.faults.slow[SLOW_FILE] = 0.02  # 4 KB every 20 ms: about 6 s in all
        yield server


@pytest.fixture
def downloads(qtbot, entries):  # type: ignore[no-untyped-def]
    """The app's download list for the fixture catalog, shut down after the test."""
    from desktop.library_downloads import Downloads

    d = Downloads(entries)
    yield d
    d.shutdown()
