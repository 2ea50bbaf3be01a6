"""The choices of the conversion wizard in plain terms: devices (the converter's profiles) and three
sizes — smallest, balanced, best quality — picked from a profile's quantizations, with the expected
quality loss of each. Qt-free data and arithmetic; the pages put words on it."""

from __future__ import annotations

from dataclasses import dataclass

# Profile name → (icon, memory in GB as printed on the box). The words are in wizard_pages.py.
DEVICES: dict[str, tuple[str, int]] = {
    "phone-4gb": ("smartphone", 4),
    "mac-8gb": ("laptop", 8),
    "laptop-16gb": ("laptop", 16),
    "desktop-24gb": ("monitor", 24),
}
DEFAULT_DEVICE = "laptop-16gb"

# Perplexity increase over the 16-bit model, in percent, from llama.cpp's own quantization table
# (tools/quantize: Llama-3-8B, perplexity ≈ 6.23 at F16). The validation step of a real conversion
# measures the figure for the model at hand when a calibration text is given; this is what to expect.
QUALITY_LOSS_PERCENT: dict[str, float] = {
    "F32": 0.0,
    "F16": 0.0,
    "BF16": 0.0,
    "Q8_0": 0.04,
    "Q6_K": 0.35,
    "Q5_K_M": 0.9,
    "Q5_K_S": 1.7,
    "Q5_1": 1.7,
    "Q5_0": 2.1,
    "Q4_K_M": 2.8,
    "Q4_K_S": 4.3,
    "Q4_1": 7.2,
    "Q4_0": 7.5,
    "Q3_K_L": 8.9,
    "Q3_K_M": 10.5,
    "Q3_K_S": 26.0,
    "Q2_K": 56.0,
}

TIERS = ("smallest", "balanced", "best")


def loss_level(quant: str) -> str:
    """none (< 1 %), slight (< 3 %), some (< 8 %) or large: how much answers may suffer."""
    loss = QUALITY_LOSS_PERCENT.get(quant.upper())
    if loss is None:
        return "some"
    if loss < 1:
        return "none"
    if loss < 3:
        return "slight"
    if loss < 8:
        return "some"
    return "large"


@dataclass(frozen=True)
class SizeChoice:
    tier: str  # smallest | balanced | best
    quant: str
    n_ctx: int
    bytes: int
    fits: bool


def size_choices(shape: object, profile_name: str) -> dict[str, SizeChoice]:
    """The three sizes for a checkpoint of ``shape`` on a device: smallest is the profile's smallest
    type; best is its best type that fits (the converter's recommendation); balanced is Q4_K_M where
    the profile offers it and it fits, else the middle of the fitting types."""
    from converters.profiles import get_profile, recommend

    profile = get_profile(profile_name)
    rec = recommend(shape, profile)  # type: ignore[arg-type]
    n_ctx = rec.n_ctx if rec.quant is not None else profile.min_ctx
    options = {}
    for quant in profile.quants:
        known = next((o for o in rec.options if o.quant == quant and o.n_ctx == n_ctx), None)
        if known is not None:
            options[quant] = SizeChoice("", quant, n_ctx, known.bytes, known.fits)
        else:
            from converters.profiles import estimate_bytes

            size = estimate_bytes(rec.shape, quant, n_ctx)
            options[quant] = SizeChoice("", quant, n_ctx, size, size <= rec.budget_bytes)
    quants = list(profile.quants)
    fitting = [q for q in quants if options[q].fits]
    best = fitting[0] if fitting else quants[0]
    smallest = quants[-1]
    if "Q4_K_M" in fitting:
        balanced = "Q4_K_M"
    elif fitting:
        balanced = fitting[len(fitting) // 2]
    else:
        balanced = quants[len(quants) // 2]
    picked = {"smallest": smallest, "balanced": balanced, "best": best}
    return {tier: _with_tier(options[q], tier) for tier, q in picked.items()}


def all_options(shape: object, profile_name: str) -> dict[str, SizeChoice]:
    """Every type the device offers (for the exact-type list under Details), best first."""
    choices = size_choices(shape, profile_name)
    n_ctx = choices["best"].n_ctx
    from converters.profiles import estimate_bytes, get_profile, recommend

    profile = get_profile(profile_name)
    budget = recommend(shape, profile).budget_bytes  # type: ignore[arg-type]
    out = {}
    for quant in profile.quants:
        size = estimate_bytes(shape, quant, n_ctx)  # type: ignore[arg-type]
        out[quant] = SizeChoice("", quant, n_ctx, size, size <= budget)
    return out


def default_tier(choices: dict[str, SizeChoice]) -> str:
    for tier in ("balanced", "best", "smallest"):
        if choices[tier].fits:
            return tier
    return "smallest"


def disk_needed(n_params: int, output_bytes: int, download: bool) -> int:
    """Free disk a conversion needs at its peak: the 16-bit intermediate file and the result, plus
    the checkpoint itself when it is downloaded first."""
    f16 = 2 * n_params
    return f16 + output_bytes + (f16 if download else 0)


def _with_tier(choice: SizeChoice, tier: str) -> SizeChoice:
    return SizeChoice(tier, choice.quant, choice.n_ctx, choice.bytes, choice.fits)
