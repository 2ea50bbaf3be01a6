"""The app as a separate process: start-up time, no network, kill -9 mid-answer, real-X screenshots."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.conversations import ConversationStore
from models.paths import conversations_db

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("app_driver.py")
STARTUP_LIMIT_S = 1.5
WALL_LIMIT_S = 5.0

# Runs the app with an audit hook that reports any attempt to reach the network.
NO_NETWORK = """
import sys, runpy
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        if event != "socket.connect" or not isinstance(args[1], str):  # AF_UNIX paths are local
            print("NETWORK", event, args, file=sys.stderr, flush=True)
sys.addaudithook(hook)
sys.argv = ["desktop"]
runpy.run_module("desktop", run_name="__main__")
"""


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def test_first_launch_is_fast_and_offline(artifacts_dir):
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", NO_NETWORK],
        env=_env(TOMOSHIBI_STARTUP_PROBE="quit", QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("tomoshibi-startup-ready"))
    _, ready_at, since_process_start, gui_cpu = line.split()
    from_spawn = float(ready_at) - started
    report = (
        f"window shown and event loop idle: {float(since_process_start):.3f} s after process start "
        f"({from_spawn:.3f} s after the test spawned it); the GUI thread used {float(gui_cpu):.3f} s of CPU "
        f"to get there; load average {os.getloadavg()[0]:.1f}\n"
    )
    (artifacts_dir / "desktop_startup.txt").write_text(report)
    print(report)
    # The work the app does before it is interactive must fit in the limit; wall-clock time also
    # counts other processes on a shared test machine, so it is held to a looser bound (and reported).
    assert float(gui_cpu) < STARTUP_LIMIT_S
    assert float(since_process_start) < WALL_LIMIT_S
    assert "NETWORK" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr


def test_conversations_survive_kill_9_during_generation(tomoshibi_home):
    with ConversationStore() as store:
        old = store.new_conversation("Earlier")
        store.add_message(old.id, "user", "Hello")
        store.add_message(
            old.id, "assistant", "Hi! How can I help?", tokens_per_second=50.0, finish_reason="stop"
        )
    proc = subprocess.Popen(
        [sys.executable, str(DRIVER), "generate"],
        env=_env(QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,  # its own process group: the engine process dies with it
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "TOKEN", proc.stderr.read()
        # Kill once the partial answer has reached the database (checkpointed about once a second).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            watcher = sqlite3.connect(conversations_db())
            partial = watcher.execute(
                "SELECT content FROM messages WHERE role = 'assistant' AND finish_reason IS NULL"
            ).fetchall()
            watcher.close()
            if partial and partial[0][0]:
                break
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    db = sqlite3.connect(conversations_db())
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with ConversationStore() as store:
        convs = store.list_conversations()
        assert [c.title for c in convs][1:] == ["Earlier"]
        assert [(m.role, m.content) for m in store.messages(old.id)] == [
            ("user", "Hello"),
            ("assistant", "Hi! How can I help?"),
        ]
        new = store.messages(convs[0].id)
        assert [m.role for m in new] == ["user", "assistant"]
        assert new[0].content.startswith("Write a very long story")
        assert new[1].finish_reason is None  # cut off, shown as "interrupted"
        assert len(new[1].content) > 0  # the partial answer was checkpointed


def _xvfb_prefix() -> list[str]:
    if os.environ.get("DISPLAY"):
        return []
    xvfb = shutil.which("xvfb-run")
    assert xvfb, "Screenshots need an X display: run under xvfb-run (scripts/tomoshibi.sh test does)"
    return [xvfb, "-a", "-s", "-screen 0 1600x1000x24"]


SAMPLES = {
    "ja": (
        "京都旅行の相談",
        "京都で一日過ごすなら、どこへ行けばいいですか？",
        "おすすめは次のとおりです:\n\n1. **清水寺** — 朝早くが空いています\n2. 錦市場で食べ歩き\n\n"
        '予定表を作るなら:\n\n```python\nplan = ["清水寺", "錦市場", "嵐山"]\nprint(" → ".join(plan))\n```',
    ),
    "en": (
        "Reverse a list in Python",
        "How do I reverse a list in Python?",
        "Use slicing or `reversed()`:\n\n```python\nitems = [1, 2, 3]\nprint(items[::-1])\n```\n\n"
        "- **Slicing** makes a copy\n- `list.reverse()` works in place",
    ),
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_screenshot_on_a_real_x_display(lang, artifacts_dir, tomoshibi_home):
    title, question, answer = SAMPLES[lang]
    with ConversationStore() as store:
        other = store.new_conversation("Recipes" if lang == "en" else "料理のレシピ")
        store.add_message(other.id, "user", "…")
        conv = store.new_conversation(
            title, system_prompt="Be concise." if lang == "en" else "簡潔に答えてください。"
        )
        store.add_message(conv.id, "user", question)
        store.add_message(conv.id, "assistant", answer, tokens_per_second=96.4, finish_reason="stop")
    out = artifacts_dir / f"desktop_main_window_{lang}.png"
    out.unlink(missing_ok=True)
    proc = subprocess.run(
        [*_xvfb_prefix(), sys.executable, str(DRIVER), "screenshot", lang, str(out)],
        env=_env(QT_QPA_PLATFORM="xcb"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "SAVED" in proc.stdout and " xcb" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert out.stat().st_size > 20_000
