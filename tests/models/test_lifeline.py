"""A spawned child (engine, converter, quantizer) dies with its parent, even when the parent is
killed with SIGKILL (issue 20)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT = r"""
import multiprocessing as mp, sys, time
from models.lifeline import die_with_parent

def child(path):
    die_with_parent()
    while True:  # like an engine busy in a loop, or a quantizer writing
        with open(path, "a") as f:
            f.write("x")
        time.sleep(0.05)

if __name__ == "__main__":
    p = mp.get_context("spawn").Process(target=child, args=(sys.argv[1],))
    p.start()
    print(p.pid, flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


@pytest.mark.skipif(sys.platform == "win32", reason="signals")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_child_dies_when_the_parent_is_killed(tmp_path: Path, sig: int) -> None:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    out = tmp_path / "written"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    parent = subprocess.Popen(
        [sys.executable, str(script), str(out)], stdout=subprocess.PIPE, env=env, text=True
    )
    try:
        child = int(parent.stdout.readline())  # type: ignore[union-attr]
        deadline = time.monotonic() + 60
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _alive(child)
        parent.send_signal(sig)
        parent.wait(30)
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(child), "the child outlived its parent"
        size = out.stat().st_size
        time.sleep(0.3)
        assert out.stat().st_size == size  # nothing written after death
    finally:
        parent.kill()
        parent.wait()
