"""A fair queue in front of one model: round-robin between clients, first come first served within one.

The model answers one request at a time. A client that sends ten requests must not make a client that
sends one wait behind all ten, so waiting requests are grouped by client (the request's ``user`` field,
else the caller's address): each turn goes to the next client in rotation, and within one client to its
oldest request. A full queue refuses at once (``QueueFull`` with a Retry-After estimate) instead of
letting callers hang, and a waiter whose client went away leaves the queue without ever using the model.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class QueueFull(Exception):
    def __init__(self, waiting: int, retry_after: int) -> None:
        super().__init__(f"{waiting} requests are already waiting")
        self.waiting = waiting
        self.retry_after = retry_after


class Abandoned(Exception):
    """The client went away while its request was waiting."""


class _Ticket:
    __slots__ = ("granted", "client")

    def __init__(self, client: str) -> None:
        self.client = client
        self.granted = False


class FairQueue:
    """Grants the model to one request at a time, round-robin over clients."""

    def __init__(self, limit: int = 16, poll_seconds: float = 0.1) -> None:
        self.limit = limit
        self.poll_seconds = poll_seconds
        self._cond = threading.Condition()
        self._busy = False
        self._waiting: dict[str, deque[_Ticket]] = {}
        self._ring: deque[str] = deque()  # clients with waiting requests, next turn first
        self._mean_seconds = 2.0  # running estimate of one request's duration, for Retry-After

    @property
    def waiting(self) -> int:
        with self._cond:
            return sum(len(q) for q in self._waiting.values())

    @property
    def busy(self) -> bool:
        with self._cond:
            return self._busy

    def retry_after(self) -> int:
        with self._cond:
            return self._retry_after_locked()

    def _retry_after_locked(self) -> int:
        waiting = sum(len(q) for q in self._waiting.values())
        return max(1, min(120, round(self._mean_seconds * (waiting + 1))))

    @contextmanager
    def turn(self, client: str, gone: Callable[[], bool] | None = None) -> Iterator[None]:
        """Hold the model for one request. Raises QueueFull, or Abandoned when ``gone()`` turns true."""
        self._acquire(client, gone)
        started = time.monotonic()
        try:
            yield
        finally:
            self._release(time.monotonic() - started)

    def _acquire(self, client: str, gone: Callable[[], bool] | None) -> None:
        with self._cond:
            if not self._busy and not self._ring:
                self._busy = True
                return
            waiting = sum(len(q) for q in self._waiting.values())
            if waiting >= self.limit:
                raise QueueFull(waiting, self._retry_after_locked())
            ticket = _Ticket(client)
            self._waiting.setdefault(client, deque()).append(ticket)
            if client not in self._ring:
                self._ring.append(client)
            while not ticket.granted:
                self._cond.wait(self.poll_seconds)
                if ticket.granted:
                    break
                if gone is not None and gone():
                    self._remove(ticket)
                    raise Abandoned()

    def _remove(self, ticket: _Ticket) -> None:
        queue = self._waiting.get(ticket.client)
        if queue is None:
            return
        queue.remove(ticket)
        if not queue:
            del self._waiting[ticket.client]
            self._ring.remove(ticket.client)

    def _release(self, seconds: float) -> None:
        with self._cond:
            self._mean_seconds = 0.8 * self._mean_seconds + 0.2 * seconds
            if not self._ring:
                self._busy = False
                return
            client = self._ring.popleft()
            queue = self._waiting[client]
            ticket = queue.popleft()
            if queue:
                self._ring.append(client)  # its next request waits for everyone else's turn
            else:
                del self._waiting[client]
            ticket.granted = True  # the model passes straight to the next request: _busy stays True
            self._cond.notify_all()
