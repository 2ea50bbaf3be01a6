"""Whether a model fits this machine, in three words a person understands: fits, tight, does not fit.

The library shows "needs 5.1 GB of your 16 GB": the need comes from ``models.memory``'s estimator, the
machine's memory from ``models.memory_budget``. "Tight" means it fits in the machine's memory but
not in what is free right now (close other apps first).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .memory import DEFAULT_MARGIN
from .memory_budget import MemoryBudget, available_memory

# Room the system and other apps keep even when the user closes what they can.
SYSTEM_SHARE = 0.20


class Fit(Enum):
    FITS = "fits"
    TIGHT = "tight"
    NO = "no"


@dataclass(frozen=True)
class FitReport:
    need_bytes: int
    total_bytes: int  # the machine's memory (RAM; unified memory on Apple Silicon)
    available_bytes: int
    fit: Fit


def _usable_total(budget: MemoryBudget) -> int:
    # A discrete GPU adds its own memory to where layers can go; RAM still holds the rest.
    vram = budget.vram_total if budget.vram_total and not budget.unified else 0
    return budget.ram_total + (vram or 0)


def fit_report(need_bytes: int, budget: MemoryBudget | None = None) -> FitReport:
    """Fits when the need (plus the pre-flight's margin) is free now; tight when it would be once other
    apps close; no otherwise."""
    budget = budget or available_memory()
    with_margin = need_bytes * (1 + DEFAULT_MARGIN)
    free = budget.ram_available + (budget.vram_free or 0 if not budget.unified else 0)
    total = _usable_total(budget)
    if with_margin <= free:
        fit = Fit.FITS
    elif with_margin <= total * (1 - SYSTEM_SHARE):
        fit = Fit.TIGHT
    else:
        fit = Fit.NO
    return FitReport(need_bytes, budget.ram_total, budget.ram_available, fit)


def hub_file_need(size_bytes: int, quantization: str | None, n_ctx: int = 4096) -> int | None:
    """Memory a hub GGUF file will need, before it is downloaded: its parameter count is inferred
    from the file size and the quantization's bits per weight, then priced like a catalog entry."""
    from .errors import ConfigError
    from .memory import estimate_params
    from .quant_bits import bits_per_weight

    if not size_bytes or not quantization:
        return None
    try:
        params = size_bytes * 8 / bits_per_weight(quantization)
        return estimate_params(params, quantization, n_ctx=n_ctx).total_bytes
    except (ConfigError, ValueError, ZeroDivisionError):
        return None
