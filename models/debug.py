"""The one switch for test and diagnostic hooks: ``TOMOSHIBI_DEBUG=1``.

Hooks that exist only so tests can provoke what users meet by accident (a real llama.cpp abort inside
the engine process) work only when it is on; the test suite turns it on in ``tests/conftest.py``, and
child processes inherit it. Production code never takes a test-only parameter for such a hook.
"""

from __future__ import annotations

import os

DEBUG_ENV = "TOMOSHIBI_DEBUG"


def enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def require(what: str) -> None:
    """RuntimeError unless the debug switch is on (a hook called by mistake in production)."""
    if not enabled():
        raise RuntimeError(f"{what} is a test hook; set {DEBUG_ENV}=1 to use it.")
