"""Device profiles as data, and the quantization + context that fit a checkpoint on one.

A profile says how much memory a model may really use on that device (not the RAM printed on the
box: the OS, the browser and, on phones, the app's own limit take the rest), which quantizations
are worth it there (best first) and the context to aim for. ``recommend`` walks those choices with
``models.memory.estimate_params`` and keeps the first that fits with a margin.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import ConfigError

GB = 1024**3


@dataclass(frozen=True)
class DeviceProfile:
    name: str
    description: str
    usable_bytes: int
    quants: tuple[str, ...]  # preferred, best quality first
    default_ctx: int
    min_ctx: int = 512
    margin: float = 0.10  # keep this fraction of usable memory free


PROFILES: dict[str, DeviceProfile] = {
    p.name: p
    for p in (
        DeviceProfile(
            "desktop-24gb",
            "Desktop or workstation with 24 GB RAM (or a 24 GB GPU)",
            int(20 * GB),
            ("F16", "Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_K_S"),
            8192,
            1024,
        ),
        DeviceProfile(
            "laptop-16gb",
            "Laptop with 16 GB RAM, browser and editor still open",
            int(11.5 * GB),
            ("Q8_0", "Q6_K", "Q5_K_M", "Q4_K_M", "Q4_K_S", "Q4_0"),
            4096,
            1024,
        ),
        DeviceProfile(
            # macOS lets the GPU wire about two thirds of unified memory.
            "mac-8gb",
            "Apple silicon Mac with 8 GB unified memory",
            int(5.25 * GB),
            ("Q6_K", "Q5_K_M", "Q4_K_M", "Q4_K_S", "Q4_0"),
            4096,
            1024,
        ),
        DeviceProfile(
            # A 4 GB phone lets one app keep roughly 2–2.5 GiB before the OS kills it.
            "phone-4gb",
            "Phone with 4 GB RAM (the app may keep about 2.5 GiB)",
            int(2.5 * GB),
            ("Q4_K_M", "Q4_K_S", "Q4_0"),
            2048,
            512,
            0.05,
        ),
    )
}


def get_profile(name: str) -> DeviceProfile:
    if name not in PROFILES:
        raise ConfigError(f"Unknown device profile {name!r}.", f"Choose one of: {', '.join(PROFILES)}.")
    return PROFILES[name]


@dataclass(frozen=True)
class ModelShape:
    """What the memory estimate needs to know about a model."""

    n_params: int
    n_layer: int | None = None
    n_embd: int | None = None
    n_head: int | None = None
    n_head_kv: int | None = None
    vocab_size: int | None = None
    name: str = ""


def shape_from_config(config: dict[str, Any], name: str = "") -> ModelShape:
    """Count parameters from a Hugging Face ``config.json`` (llama and gpt_neox layouts)."""
    h = int(config["hidden_size"])
    layers = int(config["num_hidden_layers"])
    heads = int(config["num_attention_heads"])
    kv_heads = int(config.get("num_key_value_heads") or heads)
    vocab = int(config["vocab_size"])
    inter = int(config.get("intermediate_size") or 4 * h)
    head_dim = h // heads
    if "LlamaForCausalLM" in config.get("architectures", []) or config.get("model_type") == "llama":
        attn = h * h * 2 + 2 * h * kv_heads * head_dim
        per_layer = attn + 3 * h * inter + 2 * h
        embeddings = vocab * h * (1 if config.get("tie_word_embeddings") else 2)
    else:  # gpt_neox: fused QKV with biases, 2-matrix MLP with biases, two LayerNorms
        per_layer = 4 * h * h + 4 * h + 2 * h * inter + inter + h + 4 * h
        embeddings = vocab * h * (1 if config.get("tie_word_embeddings") else 2)
    total = embeddings + layers * per_layer + 2 * h
    return ModelShape(total, layers, h, heads, kv_heads, vocab, name or config.get("_name_or_path", ""))


def model_shape(source: int | dict[str, Any] | str | Path | ModelShape) -> ModelShape:
    """A parameter count, a config dict, a checkpoint folder (its config.json) or a shape."""
    if isinstance(source, ModelShape):
        return source
    if isinstance(source, int):
        return ModelShape(source)
    if isinstance(source, dict):
        return shape_from_config(source)
    path = Path(source)
    config_file = path / "config.json" if path.is_dir() else path
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ConfigError(
            f"Cannot read the checkpoint's configuration {config_file}: {error}",
            "Point at a Hugging Face checkpoint folder that contains config.json.",
        ) from error
    return shape_from_config(config, path.name)


@dataclass(frozen=True)
class Option:
    quant: str
    n_ctx: int
    bytes: int
    fits: bool


@dataclass(frozen=True)
class Recommendation:
    profile: DeviceProfile
    shape: ModelShape
    quant: str | None  # None: nothing fits
    n_ctx: int
    estimate_bytes: int
    budget_bytes: int  # usable memory less the margin
    options: tuple[Option, ...] = field(default=())
    warning: str | None = None

    @property
    def fits(self) -> bool:
        return self.quant is not None

    def text(self) -> str:
        p = self.profile
        head = f"{p.name}: {p.description}; budget {self.budget_bytes / GB:.2f} GiB"
        head += f" ({p.usable_bytes / GB:.2f} GiB usable, {p.margin:.0%} margin)"
        lines = [
            head,
            f"model: {self.shape.name or 'checkpoint'}, {self.shape.n_params / 1e9:.2f} B parameters",
        ]
        for o in self.options:
            mark = "fits" if o.fits else "too big"
            lines.append(f"  {o.quant:<7} ctx {o.n_ctx:>6}: {o.bytes / GB:6.2f} GiB  {mark}")
        if self.quant is not None:
            lines.append(
                f"recommended: {self.quant} with a {self.n_ctx}-token context (≈{self.estimate_bytes / GB:.2f} GiB)"
            )
        if self.warning:
            lines.append(f"warning: {self.warning}")
        return "\n".join(lines)


def estimate_bytes(shape: ModelShape, quant: str, n_ctx: int) -> int:
    """Memory in bytes to run a checkpoint of this shape at ``quant`` with an ``n_ctx``-token context."""
    from models.memory import estimate_params

    estimate = estimate_params(
        shape.n_params,
        quant,
        n_ctx=n_ctx,
        n_layer=shape.n_layer,
        n_embd=shape.n_embd,
        n_head=shape.n_head,
        n_head_kv=shape.n_head_kv,
        vocab_size=shape.vocab_size or 32000,
    )
    return int(estimate.total_bytes)


def _contexts(profile: DeviceProfile) -> list[int]:
    contexts, n = [], profile.default_ctx
    while n >= profile.min_ctx:
        contexts.append(n)
        n //= 2
    return contexts


def recommend(
    source: int | dict[str, Any] | str | Path | ModelShape, profile: str | DeviceProfile
) -> Recommendation:
    """The best quantization (in the profile's order), then the longest context, that fit the budget.

    Quality comes first: a better quantization at a shorter context (down to the profile's minimum)
    beats a worse one at the default context, because a short context is easy to notice and fix
    while a degraded model is not.
    """
    prof = get_profile(profile) if isinstance(profile, str) else profile
    shape = model_shape(source)
    budget = int(prof.usable_bytes * (1 - prof.margin))
    options: list[Option] = []
    chosen: Option | None = None
    for quant in prof.quants:
        for n_ctx in _contexts(prof):
            size = estimate_bytes(shape, quant, n_ctx)
            option = Option(quant, n_ctx, size, size <= budget)
            if option.fits or n_ctx == prof.min_ctx:
                options.append(option)
            if option.fits:
                break
        if options and options[-1].fits:
            chosen = options[-1]
            break
    if chosen is not None:
        warning = None
        if chosen.n_ctx < prof.default_ctx:
            warning = (
                f"the context is limited to {chosen.n_ctx} tokens (the profile aims at {prof.default_ctx})"
            )
        return Recommendation(
            prof, shape, chosen.quant, chosen.n_ctx, chosen.bytes, budget, tuple(options), warning
        )
    smallest = min(options, key=lambda o: o.bytes)
    return Recommendation(
        prof,
        shape,
        None,
        smallest.n_ctx,
        smallest.bytes,
        budget,
        tuple(options),
        f"nothing fits: even {smallest.quant} with a {smallest.n_ctx}-token context needs "
        f"{smallest.bytes / GB:.2f} GiB, more than the {budget / GB:.2f} GiB budget; "
        "choose a smaller model or a larger device profile",
    )
