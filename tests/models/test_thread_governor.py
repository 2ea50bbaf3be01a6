"""llama.cpp gets the cores other programs leave free (models.thread_governor)."""

from __future__ import annotations

from models.thread_governor import MIN_WINDOW, ThreadGovernor, cpu_seconds


class Machine:
    """A clock and CPU counters that a test moves: ``run(seconds, ours, others)`` in cores."""

    def __init__(self) -> None:
        self.now, self.busy, self.own = 100.0, 0.0, 0.0

    def run(self, seconds: float, ours: float, others: float) -> None:
        self.now += seconds
        self.own += ours * seconds
        self.busy += (ours + others) * seconds

    def cpu(self) -> tuple[float, float]:
        return self.busy, self.own


def governor(machine: Machine, full: int = 2, cores: int = 2) -> tuple[ThreadGovernor, list[int]]:
    applied: list[int] = []
    gov = ThreadGovernor(applied.append, full, cores=cores, clock=lambda: machine.now, cpu=machine.cpu)
    gov.look()  # the first look only starts the window
    return gov, applied


def test_an_idle_machine_keeps_every_thread() -> None:
    machine = Machine()
    gov, applied = governor(machine)
    machine.run(1.0, ours=1.95, others=0.05)
    assert gov.look() == 2 and applied == []


def test_a_busy_core_takes_a_thread_away_and_gives_it_back_when_free() -> None:
    machine = Machine()
    gov, applied = governor(machine)
    machine.run(1.0, ours=1.0, others=1.0)  # another program holds a core
    assert gov.look() == 1
    machine.run(1.0, ours=1.0, others=0.9)
    assert gov.look() == 1
    machine.run(1.0, ours=1.0, others=0.1)  # it ended
    assert gov.look() == 2
    assert applied == [1, 2] and gov.changes == 2


def test_always_at_least_one_thread_and_never_more_than_given() -> None:
    machine = Machine()
    gov, applied = governor(machine, full=4, cores=8)
    machine.run(1.0, ours=0.5, others=7.8)
    assert gov.look() == 1
    machine.run(1.0, ours=1.0, others=0.0)
    assert gov.look() == 4  # 8 cores free, but the engine was given 4


def test_a_short_window_changes_nothing() -> None:
    machine = Machine()
    gov, applied = governor(machine)
    machine.run(MIN_WINDOW / 4, ours=0.0, others=2.0)
    assert gov.look() == 2 and applied == []


def test_the_real_counters_move() -> None:
    busy, own = cpu_seconds()
    sum(i * i for i in range(200_000))
    busy2, own2 = cpu_seconds()
    assert busy2 >= busy and own2 > own
