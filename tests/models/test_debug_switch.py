"""Test hooks work only behind the one debug switch (models.debug, TOMOSHIBI_DEBUG)."""

from __future__ import annotations

import pytest

from models import debug
from models.engine import Engine


def test_the_crash_hook_needs_the_debug_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(debug.DEBUG_ENV, raising=False)
    assert not debug.enabled()
    with pytest.raises(RuntimeError, match="TOMOSHIBI_DEBUG"):
        Engine._debug_abort(object())  # type: ignore[arg-type] - refused before it touches the engine
    monkeypatch.setenv(debug.DEBUG_ENV, "1")
    assert debug.enabled()
