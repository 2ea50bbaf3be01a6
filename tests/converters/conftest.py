"""Fixtures for converter tests: tiny generated checkpoints (see tests/converters/tiny.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.converters.tiny import make_checkpoint


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str, str], Path]:
    """Factory ``(arch, tokenizer, weights) -> folder``; each combination is built once per session."""
    root = tmp_path_factory.mktemp("checkpoints")
    cache: dict[tuple[str, str, str], Path] = {}

    def get(arch: str, tokenizer: str, weights: str = "safetensors") -> Path:
        key = (arch, tokenizer, weights)
        if key not in cache:
            cache[key] = make_checkpoint(root, *key)
        return cache[key]

    return get
