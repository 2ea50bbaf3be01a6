"""Run llama.cpp work in a child process: cancel means terminate, a crash cannot take the caller down.

llama.cpp aborts the whole process on some bad inputs and cannot be interrupted mid-call, so the
quantizer, the importance-matrix pass and the validation loads all run through :func:`run_in_child`.
The child reports over a queue: ``("progress", payload)`` any number of times, then exactly one
``("result", value)`` or ``("error", kind, problem, fix)``.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue as queue_mod
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from models import errors
from models.errors import Cancelled, ConversionError, TomoshibiError

log = logging.getLogger(__name__)

POLL_SECONDS = 0.2


class CancelToken(Protocol):
    """Anything with ``is_set()`` (``threading.Event``, ``multiprocessing.Event``)."""

    def is_set(self) -> bool: ...


def _entry(target: Callable[..., Any], out: Any, args: tuple[Any, ...]) -> None:
    from models.lifeline import die_with_parent

    die_with_parent()  # a converter or quantizer never keeps writing after its parent died (issue 20)

    def report(payload: Any) -> None:
        out.put(("progress", payload))

    try:
        value = target(report, *args)
        out.put(("result", value))
    except TomoshibiError as error:
        out.put(("error", type(error).__name__, error.problem, error.fix))
    except BaseException as error:  # anything else becomes a ConversionError with the cause
        log.debug("child failed: %s", traceback.format_exc())
        out.put(("error", "ConversionError", f"{type(error).__name__}: {error}", ""))


def run_in_child(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    what: str,
    on_progress: Callable[[Any], None] | None = None,
    on_tick: Callable[[], None] | None = None,
    cancel: CancelToken | None = None,
) -> Any:
    """Run ``target(report, *args)`` in a spawned process and return what it returns.

    ``what`` names the job in error messages ("Quantization"). ``on_tick`` is called about five
    times a second from the caller's thread (file-size watching). Raises :class:`Cancelled` when
    ``cancel`` is set (the child is terminated), :class:`ConversionError` when the child dies.
    """
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(target=_entry, args=(target, out, args), daemon=True, name=f"tomoshibi-{what}")
    proc.start()
    try:
        while True:
            if cancel is not None and cancel.is_set():
                raise Cancelled(what)
            try:
                message = out.get(timeout=POLL_SECONDS)
            except queue_mod.Empty:
                if on_tick is not None:
                    on_tick()
                if not proc.is_alive():
                    # The result may have been queued just before the exit.
                    try:
                        message = out.get(timeout=1.0)
                    except queue_mod.Empty:
                        raise ConversionError(
                            f"{what} stopped unexpectedly: llama.cpp exited with code {proc.exitcode}.",
                            "The input file may be damaged or the machine ran out of memory; "
                            "run again with --verbose to see llama.cpp's log.",
                        ) from None
                else:
                    continue
            kind = message[0]
            if kind == "progress":
                if on_progress is not None:
                    on_progress(message[1])
                continue
            if kind == "result":
                return message[1]
            _, name, problem, fix = message
            cls = getattr(errors, name, ConversionError)
            if not (isinstance(cls, type) and issubclass(cls, TomoshibiError)) or cls is Cancelled:
                cls = ConversionError
            if name == "ConversionError" and not fix:
                problem, fix = f"{what} failed: {problem}", "Run again with --verbose to see llama.cpp's log."
            raise cls(problem, fix)
    finally:
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        else:
            proc.join(1)
        out.close()
        out.join_thread()


_LOG_KEEP: list[Any] = []  # keeps the ctypes callback alive for the child's lifetime


def capture_llama_log(maxlen: int = 40) -> Any:
    """In a child: route llama.cpp's log into a bounded deque (shown in errors) instead of stderr."""
    import collections
    import ctypes

    import llama_cpp

    tail: collections.deque[str] = collections.deque(maxlen=maxlen)

    @llama_cpp.llama_log_callback
    def _callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        line = text.decode("utf-8", errors="replace").rstrip()
        if line:
            tail.append(line)

    _LOG_KEEP.append(_callback)
    llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
    return tail
