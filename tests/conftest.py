"""Shared fixtures. Tests are offline: the user folder is a temp dir, the hub is never reached."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any Qt import: the window renders offscreen unless a test asks for a real (Xvfb) screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Test hooks (a real engine crash on demand) work only behind the debug switch (models.debug).
os.environ.setdefault("TOMOSHIBI_DEBUG", "1")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def tomoshibi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty user data folder."""
    home = tmp_path / "tomoshibi-home"
    monkeypatch.setenv("TOMOSHIBI_HOME", str(home))
    monkeypatch.delenv("TOMOSHIBI_MODELS", raising=False)
    return home


@pytest.fixture(scope="session")
def bundled_model() -> Path:
    from models.bundled import bundled_model_path

    return bundled_model_path()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where tests save screenshots and reports for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch):  # -> tests.fake_engine.FakeEngines
    """Every engine this test starts is a ``tests.fake_engine.FakeEngine`` (no llama.cpp, scripted text)."""
    from tests.fake_engine import install

    return install(monkeypatch)
