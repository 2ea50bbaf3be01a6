"""The catalog of known models: data in ``catalog.json``, read here for the UI and the CLI.

Users pick "Llama 2 7B Chat (Q4_K_M)", not a repository and a file name. Each entry says where the
files are, how big they are, under which licence, in which prompt format, and whether Tomoshibi must
convert a checkpoint first. The memory an entry needs is computed by ``models.memory`` from the
parameter count and quantization, so it follows the estimator rather than a number typed in here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:
    from .memory import MemoryBudget, MemoryEstimate

CATALOG_FILE = Path(__file__).with_name("catalog.json")
KINDS = ("chat", "embedding", "speech", "checkpoint")
SOURCES = ("bundled", "pypi", "hub")
DEFAULT_CTX = {"chat": 4096, "checkpoint": 2048, "embedding": 512, "speech": 0}


@dataclass(frozen=True)
class CatalogFile:
    name: str
    size: int | None  # approximate unless the hub confirms it at download time
    sha256: str | None  # only values we know; otherwise the hub's metadata is the reference


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    kind: str  # chat | embedding | speech | checkpoint
    source: str  # bundled | pypi | hub
    repo: str | None
    files: tuple[CatalogFile, ...]
    architecture: str
    parameters: int
    quantization: str
    licence: str
    gated: bool  # the hub refuses downloads until the licence is accepted there (needs a token)
    licence_acceptance: bool  # the licence has terms the user must accept (Llama 2), gated or not
    prompt_format: str | None  # a models.chat_templates format name; None for base/embedding models
    languages: tuple[str, ...]
    description: str = ""
    description_ja: str = ""
    context_length: int | None = None
    licence_url: str | None = None
    allow_patterns: tuple[str, ...] = ()  # checkpoints: which repo files to fetch
    checkpoint_size: int | None = None
    convert: dict[str, Any] | None = None  # checkpoint → Tomoshibi's converter (converter, quantization)
    pypi: tuple[str, ...] = ()
    declared_size: int | None = field(default=None, repr=False)

    @property
    def size_bytes(self) -> int:
        """Approximate download (or install) size."""
        if self.checkpoint_size:
            return self.checkpoint_size
        total = sum(f.size or 0 for f in self.files)
        return total or (self.declared_size or 0)

    @property
    def downloadable(self) -> bool:
        return self.source == "hub" and self.repo is not None

    @property
    def needs_conversion(self) -> bool:
        return self.kind == "checkpoint"

    @property
    def run_quantization(self) -> str:
        """The quantization the model runs in: a checkpoint's target after conversion."""
        if self.convert and self.convert.get("quantization"):
            return str(self.convert["quantization"])
        return self.quantization

    @property
    def resolved_at_download(self) -> bool:
        """No file named here: the download lists the repository and takes the file in ``quantization``."""
        return self.downloadable and not self.files and self.kind in ("chat", "embedding")

    def describe(self, language: str) -> str:
        """The one-line description in ``language`` (``ja`` or ``en``), English when none is written."""
        return self.description_ja if language == "ja" and self.description_ja else self.description

    def speaks(self, language: str) -> bool:
        return language in self.languages

    @property
    def hub_url(self) -> str | None:
        return f"https://huggingface.co/{self.repo}" if self.repo else None


def _entry(raw: dict[str, Any]) -> CatalogEntry:
    try:
        return CatalogEntry(
            id=raw["id"],
            name=raw["name"],
            kind=raw["kind"],
            source=raw["source"],
            repo=raw.get("repo"),
            files=tuple(CatalogFile(f["name"], f.get("size"), f.get("sha256")) for f in raw.get("files", [])),
            architecture=raw["architecture"],
            parameters=int(raw["parameters"]),
            quantization=raw["quantization"],
            licence=raw["licence"],
            gated=bool(raw.get("gated", False)),
            licence_acceptance=bool(raw.get("licence_acceptance", False)),
            prompt_format=raw.get("prompt_format"),
            languages=tuple(raw.get("languages", ())),
            description=raw.get("description", ""),
            description_ja=raw.get("description_ja", ""),
            context_length=raw.get("context_length"),
            licence_url=raw.get("licence_url"),
            allow_patterns=tuple(raw.get("allow_patterns", ())),
            checkpoint_size=raw.get("checkpoint_size"),
            convert=raw.get("convert"),
            pypi=tuple(raw.get("pypi", ())),
            declared_size=raw.get("size"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(
            f"The model catalog entry {raw.get('id', '?')!r} is malformed ({error}).",
            "Reinstall Tomoshibi; the catalog ships with it.",
        ) from None


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_FILE) -> tuple[CatalogEntry, ...]:
    """Every entry of the catalog, in the file's order."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(f"The model catalog {path} cannot be read ({error}).",
                          "Reinstall Tomoshibi; the catalog ships with it.") from None  # fmt: skip
    return tuple(_entry(raw) for raw in data["entries"])


def find_entry(id_or_repo: str) -> CatalogEntry | None:
    """The entry with this id, or the first whose hub repository is this ``owner/name``."""
    entries = load_catalog()
    for entry in entries:
        if entry.id == id_or_repo:
            return entry
    for entry in entries:
        if entry.repo and entry.repo.lower() == id_or_repo.lower():
            return entry
    return None


def get_entry(entry_id: str) -> CatalogEntry:
    """The entry with this id; ConfigError listing the known ids otherwise."""
    entry = find_entry(entry_id)
    if entry is None:
        known = ", ".join(e.id for e in load_catalog())
        raise ConfigError(f"No model called {entry_id!r} in the catalog.", f"Known models: {known}.")
    return entry


def memory_estimate(entry: CatalogEntry, n_ctx: int | None = None) -> MemoryEstimate:
    """What the model needs to run, from the engine's estimator (weights, KV cache, buffers)."""
    from .memory import estimate_params

    ctx = n_ctx if n_ctx is not None else DEFAULT_CTX.get(entry.kind, 2048)
    if entry.context_length:
        ctx = min(ctx, entry.context_length)
    estimate = estimate_params(entry.parameters, entry.run_quantization, n_ctx=max(ctx, 1))
    return replace(estimate, label=entry.name)


def memory_need(entry: CatalogEntry, n_ctx: int | None = None) -> int:
    """Bytes of memory the model needs to run (see ``memory_estimate``)."""
    return memory_estimate(entry, n_ctx).total_bytes


def fits(entry: CatalogEntry, budget: MemoryBudget | None = None, n_ctx: int | None = None) -> bool:
    """Whether the model fits in this machine's available memory (or in ``budget``)."""
    from . import memory

    return memory.fits(memory_estimate(entry, n_ctx), budget)
