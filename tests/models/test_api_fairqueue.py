"""The API's fair queue: round-robin between clients, FIFO within one, a limit, and leaving when gone."""

from __future__ import annotations

import threading
import time

import pytest

from models.api.fairqueue import Abandoned, FairQueue, QueueFull


def _wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_round_robin_between_clients_fifo_within_one() -> None:
    queue = FairQueue(limit=16, poll_seconds=0.01)
    order: list[str] = []
    release_first = threading.Event()
    threads: list[threading.Thread] = []

    def job(client: str, label: str, hold: threading.Event | None = None) -> None:
        with queue.turn(client):
            order.append(label)
            if hold is not None:
                hold.wait(5)

    first = threading.Thread(target=job, args=("a", "a0", release_first))
    first.start()
    _wait_for(lambda: queue.busy)
    # Client a queues three more before b and c queue one each: b and c must not wait behind all of a's.
    for client, label in [("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1"), ("c", "c1")]:
        t = threading.Thread(target=job, args=(client, label))
        t.start()
        threads.append(t)
        count = len(threads)
        _wait_for(lambda count=count: queue.waiting == count)
    release_first.set()
    for t in [first, *threads]:
        t.join(5)
    assert order == ["a0", "a1", "b1", "c1", "a2", "a3"]
    assert not queue.busy and queue.waiting == 0


def test_full_queue_refuses_at_once_with_retry_after() -> None:
    queue = FairQueue(limit=1, poll_seconds=0.01)
    hold = threading.Event()

    def holder() -> None:
        with queue.turn("a"):
            hold.wait(5)

    def waiter() -> None:
        with queue.turn("b"):
            pass

    threads = [threading.Thread(target=holder), threading.Thread(target=waiter)]
    threads[0].start()
    _wait_for(lambda: queue.busy)
    threads[1].start()
    _wait_for(lambda: queue.waiting == 1)
    started = time.monotonic()
    with pytest.raises(QueueFull) as info:
        with queue.turn("c"):
            pass
    assert time.monotonic() - started < 0.5
    assert info.value.retry_after >= 1 and info.value.waiting == 1
    hold.set()
    for t in threads:
        t.join(5)
    assert not queue.busy


def test_waiter_that_goes_away_leaves_the_queue() -> None:
    queue = FairQueue(limit=4, poll_seconds=0.01)
    hold = threading.Event()
    gone = threading.Event()
    outcome: list[str] = []

    def holder() -> None:
        with queue.turn("a"):
            hold.wait(5)

    def waiter() -> None:
        try:
            with queue.turn("b", gone.is_set):
                outcome.append("ran")
        except Abandoned:
            outcome.append("abandoned")

    t1, t2 = threading.Thread(target=holder), threading.Thread(target=waiter)
    t1.start()
    _wait_for(lambda: queue.busy)
    t2.start()
    _wait_for(lambda: queue.waiting == 1)
    gone.set()
    t2.join(5)
    assert outcome == ["abandoned"] and queue.waiting == 0
    hold.set()
    t1.join(5)
    assert not queue.busy
