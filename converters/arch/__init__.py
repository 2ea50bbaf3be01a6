"""Per-architecture converters, registered by the Hugging Face ``architectures`` string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from models.errors import UnsupportedModelError

from .base import Architecture

_REGISTRY: dict[str, type[Architecture]] = {}
A = TypeVar("A", bound=type[Architecture])


def register(*hf_names: str) -> Callable[[A], A]:
    """Class decorator: make an Architecture the converter for these ``architectures`` strings."""

    def decorate(cls: A) -> A:
        for name in hf_names:
            _REGISTRY[name] = cls
        return cls

    return decorate


def supported_architectures() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)


def architecture_for(config: dict[str, Any]) -> Architecture:
    """The converter for a checkpoint's config.json, or UnsupportedModelError naming the supported ones."""
    _load_all()
    names = config.get("architectures") or []
    for name in names:
        if name in _REGISTRY:
            return _REGISTRY[name](config)
    shown = ", ".join(names) if names else f"model_type {config.get('model_type', 'unknown')!r}"
    raise UnsupportedModelError(
        f"Tomoshibi cannot convert {shown}.",
        f"Supported architectures: {', '.join(sorted(_REGISTRY))}.",
    )


def _load_all() -> None:
    # Importing the modules runs their @register decorators.
    from . import gpt_neox, llama  # noqa: F401


__all__ = ["Architecture", "architecture_for", "register", "supported_architectures"]
