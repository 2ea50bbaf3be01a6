"""How many threads llama.cpp should use right now: every core it was given while the machine is
otherwise idle, fewer while other programs keep cores busy.

llama.cpp's CPU threads meet at a barrier after every operation and spin while they wait (OpenMP's
default, the fastest on an idle machine). When another program holds one of the cores, the thread
that lost it arrives late at every barrier and decoding collapses: SmolLM2 on this 2-core machine
went from 88 to 3 tokens/s with one core busy, while one thread made 35 (bench/bench_threads.py).
Sleeping instead of spinning ("passive") survives a busy machine but costs a third on an idle one.
So the engine keeps spinning threads and looks, at the start of each request and every few tokens,
at how much CPU time other processes used since it last looked; llama.cpp gets the cores that are
free (at least one). A thread count the user gives (``LoadConfig.n_threads``) is kept as it is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

MIN_WINDOW = 0.2  # seconds: shorter windows say more about the scheduler's timing than about load
TOKENS_PER_LOOK = 16  # during an answer, look again after this many tokens


_own_process: Any = None  # psutil.Process of this process, made once: looked at during answers


def cpu_seconds() -> tuple[float, float]:
    """(CPU-seconds all processes have used, CPU-seconds this process has used), since boot/start."""
    global _own_process
    import psutil

    if _own_process is None:
        _own_process = psutil.Process()
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    busy = sum(times) - idle - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    own = _own_process.cpu_times()
    return busy, own.user + own.system


class ThreadGovernor:
    """Chooses llama.cpp's thread count from the cores other processes leave free."""

    def __init__(
        self,
        apply: Callable[[int], None],
        full: int,
        cores: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        cpu: Callable[[], tuple[float, float]] = cpu_seconds,
    ) -> None:
        self.full = max(1, full)
        self.cores = cores or os.cpu_count() or self.full
        self.current = self.full
        self._apply, self._clock, self._cpu = apply, clock, cpu
        self._last: tuple[float, float, float] | None = None
        self.changes = 0  # how often the count changed: for tests and debugging

    def look(self) -> int:
        """Measure the other processes' CPU use since the last look and set the thread count."""
        wall = self._clock()
        busy, own = self._cpu()
        if self._last is None:
            self._last = (wall, busy, own)
            return self.current
        seconds = wall - self._last[0]
        if seconds < MIN_WINDOW:
            return self.current
        others = max(0.0, (busy - self._last[1]) - (own - self._last[2])) / seconds
        self._last = (wall, busy, own)
        free = self.cores - others
        wanted = max(1, min(self.full, int(free + 0.5)))
        if wanted != self.current:
            self.current = wanted
            self.changes += 1
            self._apply(wanted)
        return self.current
