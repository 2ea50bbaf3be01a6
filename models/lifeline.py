"""Child processes (the engine, converters, the quantizer) die with their parent, whatever kills it.

multiprocessing's spawn gives every child a sentinel of its parent: a pipe (Unix) or process handle
(Windows) that the operating system closes or signals when the parent dies, SIGKILL and crashes
included. A daemon thread in the child waits on it and ends the child at once; an engine that keeps
burning a core after ``serve`` got SIGTERM (issue 20) is what this prevents.

Linux's ``PR_SET_PDEATHSIG`` is not used: it fires when the *thread* that started the child ends, and
the app starts engines from worker threads that finish long before the engine should.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading

log = logging.getLogger(__name__)


def _watch(sentinel: int) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])  # returns when the parent is gone
    os._exit(70)  # no cleanup: the parent that would want it is dead, and a half-run finalizer could hang


def die_with_parent() -> bool:
    """Call first in a spawned child. True when a watchdog now ends this process with its parent."""
    parent = multiprocessing.parent_process()
    sentinel = getattr(parent, "sentinel", None)
    if parent is None or sentinel is None:
        return False  # not a multiprocessing child (tests call entry points directly)
    threading.Thread(target=_watch, args=(sentinel,), name="tomoshibi-lifeline", daemon=True).start()
    return True
