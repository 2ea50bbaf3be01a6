"""Which model to suggest to a new user, and whether the loaded one speaks the user's language.

The welcome and the "this model does not speak Japanese" notice both ask here, so they always agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from .catalog import CatalogEntry, load_catalog, memory_need
from .fit import Fit, fit_report
from .memory_budget import MemoryBudget

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
