"""Remember what was read from a file for as long as the file is unchanged (same path, size, mtime).

Only files left alone for ``SETTLED_SECONDS`` are remembered: a file rewritten in place within the
timestamp's granularity (a few ms on some file systems) could keep its size and mtime, so a fresh file is
always read again.

The GGUF header summary is asked for by the engine's pre-flight, the model panel, the library and the
converters' checks, often for the same file within seconds; reading it once is enough.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

SETTLED_SECONDS = 2.0


def cached_by_stat(maxsize: int = 64) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
    """Decorate ``fn(path)``: the result is reused while ``path``'s size and mtime are unchanged.
    Errors are never cached (a file being written is read again next time)."""

    def decorate(fn: Callable[[Any], T]) -> Callable[[Any], T]:
        cache: OrderedDict[tuple[str, int, int], T] = OrderedDict()
        lock = threading.Lock()

        @functools.wraps(fn)
        def wrapper(path: str | os.PathLike[str]) -> T:
            try:
                p = Path(path).resolve()
                st = p.stat()
            except OSError:
                return fn(path)  # the function says what is wrong with the path
            key = (str(p), st.st_size, st.st_mtime_ns)
            if time.time() - st.st_mtime < SETTLED_SECONDS:
                return fn(path)
            with lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            value = fn(path)
            with lock:
                cache[key] = value
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return value

        wrapper.cache_clear = cache.clear  # type: ignore[attr-defined]
        return wrapper

    return decorate
