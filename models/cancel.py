"""Stopping one request, from any thread, within milliseconds — even in the middle of a prompt.

``CancelToken`` belongs to one request: the caller creates it, passes it to ``Engine.chat`` /
``Engine.generate`` and calls ``cancel()`` from any thread. A token cancelled while its request still
waits for the engine (behind another caller's request) ends that request before it starts; a token
cancelled while its request runs raises the engine's shared ``CancelFlag`` — and only then, so Stop on
one answer never stops another caller's.

``CancelFlag`` is one byte in shared memory, written by the parent and read by the engine process
twice: by Python between tokens, and by llama.cpp itself between the operations of a graph (its
abort callback), so a long prompt stops within one operation, not one 512-token batch. The callback
is C's ``strlen`` on that byte (followed by a zero byte): it returns 1 when the flag is set, costs no
Python call per operation, and so leaves decode speed as it is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from collections.abc import Callable
from typing import Any


class CancelToken:
    """Cancel for one request. ``cancel()`` is safe from any thread, before or during the request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._hook: Callable[[], None] | None = None

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._hook is not None:
                self._hook()  # under the lock: after _unbind returns, no hook of ours runs any more

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def _bind(self, hook: Callable[[], None]) -> None:
        """The request is now the one running: cancel() from here on calls ``hook`` (at once if already cancelled)."""
        with self._lock:
            self._hook = hook
            if self._cancelled:
                hook()

    def _unbind(self) -> None:
        with self._lock:
            self._hook = None


class CancelFlag:
    """One shared byte: set by the parent, read by the engine process and by llama.cpp's abort callback."""

    def __init__(self, context: Any) -> None:
        # Byte 0 is the flag; byte 1 stays 0 so that strlen() of the buffer is 0 or 1.
        self._raw = context.RawArray(ctypes.c_char, 2)

    def set(self) -> None:
        self._raw[0] = b"\x01"

    def clear(self) -> None:
        self._raw[0] = b"\x00"

    def is_set(self) -> bool:
        return self._raw[0] != b"\x00"

    def install_abort_callback(self, llama_cpp: Any, ctx: Any) -> Any:
        """Make llama.cpp stop a running decode when the flag is set. Returns what must stay alive."""
        address = ctypes.addressof(self._raw)
        strlen = _libc_strlen()
        if strlen is not None:
            callback = llama_cpp.ggml_abort_callback(strlen)
        else:  # no C library found: a Python callback works too, at some cost per graph operation
            raw = self._raw
            callback = llama_cpp.ggml_abort_callback(lambda _data: raw[0] != b"\x00")
        llama_cpp.llama_set_abort_callback(ctx, callback, ctypes.c_void_p(address))
        return callback


def _libc_strlen() -> int | None:
    try:
        if sys.platform == "win32":
            lib = ctypes.cdll.msvcrt
        else:
            lib = ctypes.CDLL(ctypes.util.find_library("c") or None)
        return ctypes.cast(lib.strlen, ctypes.c_void_p).value
    except (OSError, AttributeError):
        return None
