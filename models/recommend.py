"""Which model to suggest to a new user, and whether the loaded one speaks the user's language.

The welcome and the "this model does not speak Japanese" notice both ask here, so they always agree;
so do the library's "Recommended for this computer" badge and the documents' notes for the embedding
model (``recommend_embedding``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from .catalog import CatalogEntry, load_catalog, memory_need
from .fit import Fit, fit_report
from .memory_budget import MemoryBudget

GB = 1_000_000_000
GIB = 1 << 30

# Best first: what to download to chat in each UI language, from the largest a machine can run well
# down to the smallest. The first whose fit is "fits" (else "tight") wins.
PREFERENCES = {
    "ja": (
        "qwen3-4b-q4_k_m",
        "qwen3-1.7b-q4_k_m",
        "tinyswallow-1.5b-instruct-q5_k_m",
        "gemma-3-1b-it-q4_k_m",
    ),
    "en": ("qwen3-4b-q4_k_m", "llama-3.2-3b-instruct-q4_k_m", "qwen3-1.7b-q4_k_m", "gemma-3-1b-it-q4_k_m"),
}
# Machines with less memory than this get the small model even when the large one would just fit:
# a 4B model on an 8 GB laptop leaves little for the browser the user also has open.
LARGE_MODEL_RAM = 12_000_000_000

_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")


def recommend(language: str, budget: MemoryBudget | None = None,
              entries: Sequence[CatalogEntry] | None = None) -> CatalogEntry | None:  # fmt: skip
    """The one chat model to suggest for ``language`` (``ja``/``en``) on this machine, or None."""
    entries = load_catalog() if entries is None else entries
    by_id = {e.id: e for e in entries}
    wanted = [by_id[i] for i in PREFERENCES.get(language, PREFERENCES["en"]) if i in by_id]
    if budget is not None and budget.ram_total < LARGE_MODEL_RAM:
        wanted = [e for e in wanted if e.parameters < 3_000_000_000] or wanted
    tight = None
    for entry in wanted:
        fit = fit_report(memory_need(entry), budget).fit
        if fit is Fit.FITS:
            return entry
        if fit is Fit.TIGHT and tight is None:
            tight = entry
    return tight or (wanted[-1] if wanted else None)


# Embedding models, by how fast they index documents on this machine. An encoder's work per chunk
# grows with its weights outside the vocabulary table: multilingual-e5-small ~21M, e5-base ~86M
# (4x), Qwen3-Embedding-0.6B ~440M (~20x). Measured on a 2-core CPU laptop: a random-weight e5-small
# GGUF embeds ~10 chunks/s, so base would index a 100-page PDF in minutes and Qwen3 in most of an hour.
# - CPU only: e5-small, unless the machine has the cores to run base about as fast as small runs on
#   the 2-core reference (8 physical cores = 4x) and the memory not to feel it beside a chat model.
# - A GPU (or Apple Silicon's Metal): base at least; Qwen3-Embedding where the GPU has room for it
#   beside a chat model (8 GB of VRAM, or 16 GB of unified memory), where it embeds hundreds of
#   chunks/s.
EMBEDDING_SMALL = 150_000_000  # parameters: e5-small class
EMBEDDING_MEDIUM = 300_000_000  # e5-base class
EMBEDDING_CPU_CORES = 8
EMBEDDING_CPU_RAM = 15 * GB  # "16 GB" machines report a little less
EMBEDDING_GPU_VRAM = 8 * GIB - 512 * (1 << 20)  # "8 GB" cards report a little less
EMBEDDING_UNIFIED_RAM = 15 * GB


def embedding_budget(budget: MemoryBudget | None, cores: int | None = None) -> int:
    """The most parameters an embedding model may have to index at a pace a user can wait for."""
    if budget is None:
        return EMBEDDING_SMALL
    if budget.unified:
        return 10 * GB if budget.ram_total >= EMBEDDING_UNIFIED_RAM else EMBEDDING_MEDIUM
    if budget.vram_total:
        return 10 * GB if budget.vram_total >= EMBEDDING_GPU_VRAM else EMBEDDING_MEDIUM
    cores = physical_cores() if cores is None else cores
    if cores >= EMBEDDING_CPU_CORES and budget.ram_total >= EMBEDDING_CPU_RAM:
        return EMBEDDING_MEDIUM
    return EMBEDDING_SMALL


def physical_cores() -> int:
    try:
        import psutil

        return int(psutil.cpu_count(logical=False) or os.cpu_count() or 1)
    except ImportError:
        return os.cpu_count() or 1


def recommend_embedding(budget: MemoryBudget | None, *, cores: int | None = None, language: str | None = None,
                        entries: Sequence[CatalogEntry] | None = None) -> CatalogEntry | None:  # fmt: skip
    """The embedding model to suggest for this machine: the largest downloadable one within
    ``embedding_budget`` (that speaks ``language`` when given), else the smallest; None when the
    catalog has none."""
    entries = load_catalog() if entries is None else entries
    candidates = [e for e in entries if e.kind == "embedding" and e.downloadable]
    if language:
        candidates = [e for e in candidates if e.speaks(language) or e.speaks("multilingual")] or candidates
    if not candidates:
        return None
    cap = embedding_budget(budget, cores)
    within = [e for e in candidates if e.parameters <= cap]
    if within:
        return max(within, key=lambda e: e.parameters)
    return min(candidates, key=lambda e: e.parameters)


def looks_japanese(text: str, share: float = 0.2) -> bool:
    """True when at least ``share`` of the non-space characters are kana or kanji."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    return sum(1 for c in chars if _KANA_KANJI.match(c)) / len(chars) >= share


def model_speaks(
    path: str | Path, language: str, entries: Sequence[CatalogEntry] | None = None
) -> bool | None:
    """Whether the model file at ``path`` is known to speak ``language``: from its catalog entry, else
    from the GGUF's ``general.languages``; None when neither says."""
    from .model_names import catalog_entry_for

    entry = catalog_entry_for(path, entries)
    if entry is not None:
        return entry.speaks(language)
    try:
        from .gguf_info import read_metadata_value

        value = read_metadata_value(Path(path), "general.languages")
    except Exception:  # noqa: BLE001 - an unreadable header only means "unknown"
        return None
    if isinstance(value, list | tuple):
        return language in [str(v).lower() for v in value]
    return None
