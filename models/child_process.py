"""Child processes: the cancel protocol, the error transport and the kill ladder every child shares, and
``run_in_child`` for one-shot llama.cpp jobs. The engine process (``models.engine`` / ``models.worker``),
the converters' quantizer, importance matrix and validation, and the evaluation's perplexity all use it,
so a child's failure reaches the user the same way from each.

llama.cpp aborts the whole process on some bad inputs and cannot be interrupted mid-call, so such work
runs in a child: cancel means terminate, a crash cannot take the caller down. A ``run_in_child`` child
reports over a queue: ``("progress", payload)`` any number of times, then exactly one
``("result", value)`` or ``("error", kind, problem, fix)``.

Errors cross the process boundary as ``(kind, problem, fix)``: the name of a ``models.errors`` class and
its two messages; anything else becomes the caller's fallback class with the exception's text.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue as queue_mod
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from . import errors
from .errors import Cancelled, ConversionError, TomoshibiError

log = logging.getLogger(__name__)

ErrorPayload = tuple[str, str, str]


class CancelEvent(Protocol):
    """Anything with ``is_set()`` (``threading.Event``, ``multiprocessing.Event``): the one cancel
    protocol long jobs (downloads, conversions, quantization, validation, indexing) accept. One engine
    request is stopped with its own ``models.cancel.CancelToken`` instead."""

    def is_set(self) -> bool: ...


def error_payload(error: BaseException, fallback: str, fix: str) -> ErrorPayload:
    """``error`` as ``(kind, problem, fix)`` to send to the parent; a non-Tomoshibi error becomes
    ``fallback`` (a ``models.errors`` class name) with its type and text as the problem."""
    if isinstance(error, TomoshibiError):
        return type(error).__name__, error.problem, error.fix
    return fallback, f"{type(error).__name__}: {error}", fix


def error_from_payload(kind: str, problem: str, fix: str, fallback: type[TomoshibiError]) -> TomoshibiError:
    """The exception a child reported. Unknown names and ``Cancelled`` (only the parent decides that a
    job was cancelled) become ``fallback``."""
    cls = getattr(errors, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, TomoshibiError)) or cls is Cancelled:
        cls = fallback
    return cls(problem, fix)


def stop_process(process: Any, ask: Callable[[], None] | None = None, grace: float = 3.0) -> None:
    """Stop ``process`` (a ``multiprocessing.Process``): ask politely when ``ask`` is given and wait
    ``grace`` seconds, then terminate, then kill. Returns once it has exited (or after the last wait)."""
    if process.is_alive() and ask is not None:
        try:
            ask()
        except (OSError, ValueError):
            pass  # the pipe is already closed: go on to terminate
        process.join(grace)
    if process.is_alive():
        process.terminate()
        process.join(grace)
    if process.is_alive():
        log.warning("%s did not stop; killing it", getattr(process, "name", "a child process"))
        process.kill()
        process.join(grace)
    else:
        process.join(1)


# --- one-shot jobs ---------------------------------------------------------------------------------

POLL_SECONDS = 0.2


def _entry(target: Callable[..., Any], out: Any, args: tuple[Any, ...]) -> None:
    from models.lifeline import die_with_parent

    die_with_parent()  # a converter or quantizer never keeps writing after its parent died (issue 20)

    def report(payload: Any) -> None:
        out.put(("progress", payload))

    try:
        value = target(report, *args)
        out.put(("result", value))
    except BaseException as error:  # anything not ours becomes the caller's ``failure`` with the cause
        if not isinstance(error, TomoshibiError):
            log.debug("child failed: %s", traceback.format_exc())
        out.put(("error", *error_payload(error, "", "")))


def run_in_child(
    target: Callable[..., Any],
    args: tuple[Any, ...],
    *,
    what: str,
    on_progress: Callable[[Any], None] | None = None,
    on_tick: Callable[[], None] | None = None,
    cancel: CancelEvent | None = None,
    failure: type[TomoshibiError] = ConversionError,
) -> Any:
    """Run ``target(report, *args)`` in a spawned process and return what it returns.

    ``what`` names the job in error messages ("Quantization"). ``on_tick`` is called about five
    times a second from the caller's thread (file-size watching). Raises :class:`Cancelled` when
    ``cancel`` is set (the child is terminated), ``failure`` (ConversionError) when the child dies
    or fails with an error that is not one of ``models.errors``.
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
                        raise failure(
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
            if not name:
                problem, fix = f"{what} failed: {problem}", "Run again with --verbose to see llama.cpp's log."
            raise error_from_payload(name, problem, fix, failure)
    finally:
        stop_process(proc, grace=5.0)
        out.close()
        out.join_thread()


_LOG_KEEP: list[Any] = []  # keeps the ctypes callback alive for the child's lifetime


def capture_llama_log(maxlen: int = 40) -> Any:
    """In a child: route llama.cpp's log into a bounded deque (shown in errors) and the ``llama.cpp``
    logger at debug level (seen with TOMOSHIBI_DEBUG) instead of stderr. llama-cpp-python's own
    callback maps ggml's newer log levels wrongly and prints warnings such as "decode: removing memory
    module entries" (after every Stop) into the user's terminal."""
    import collections
    import ctypes
    import logging

    import llama_cpp

    tail: collections.deque[str] = collections.deque(maxlen=maxlen)
    logger = logging.getLogger("llama.cpp")

    @llama_cpp.llama_log_callback
    def _callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        line = text.decode("utf-8", errors="replace").rstrip()
        if line:
            tail.append(line)
            logger.debug("%s", line)

    _LOG_KEEP.append(_callback)
    llama_cpp.llama_log_set(_callback, ctypes.c_void_p(0))
    return tail
