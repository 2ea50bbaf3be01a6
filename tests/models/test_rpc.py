"""One model split across two `tomoshibi rpc-worker` processes on loopback (llama.cpp RPC).

Greedy tokens match a local run; the split follows the workers' memory; a worker killed mid-answer
ends that answer with an error naming it, the caller lives, and the next load goes on without it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from models.engine import Engine
from models.events import EngineCrashed, Finished, LoadConfig, SamplingParams, Token
from models.rpc import parse_endpoint, parse_endpoints, query_workers, reachable, rpc_library_path

ROOT = Path(__file__).resolve().parents[2]
GREEDY = SamplingParams(temperature=0.0, max_tokens=24, repeat_penalty=1.0)
PROMPT = "The three largest cities of Japan are"

pytestmark = pytest.mark.skipif(
    rpc_library_path() is None,
    reason="llama.cpp was built without -DGGML_RPC=on (scripts/tomoshibi.sh adds it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_worker(*extra: str) -> tuple[subprocess.Popen[str], str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "rpc-worker", "--port", str(port), "--threads", "1", *extra],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    endpoint = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not reachable(endpoint, timeout=0.5):
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the worker did not start listening"
        time.sleep(0.1)
    return process, endpoint


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(10)


@pytest.fixture
def workers():
    started = [start_worker("--mem", "1"), start_worker()]
    yield started
    for process, _ in started:
        stop(process)


def tokens_of(engine: Engine, params: SamplingParams = GREEDY) -> tuple[list[int], Finished]:
    ids: list[int] = []
    finished = None
    for event in engine.generate(PROMPT, params):
        if isinstance(event, Token):
            ids.extend(event.token_ids)
        else:
            finished = event
    assert isinstance(finished, Finished), finished
    return ids, finished


def test_endpoints_are_parsed_with_a_default_port() -> None:
    assert parse_endpoint("192.168.1.20") == "192.168.1.20:50052"
    assert parse_endpoint(" host:123 ") == "host:123"
    assert parse_endpoint("[::1]:9") == "[::1]:9"
    assert parse_endpoints("a:1, b:2,a:1,") == ("a:1", "b:2")
    for bad in ("host:0", "host:x", "a b:1", "http://x:1"):
        with pytest.raises(Exception, match="host:port"):
            parse_endpoint(bad)


def test_split_across_two_workers_matches_local_greedy_and_follows_memory(workers, bundled_model) -> None:
    import psutil

    (_, capped), (full_process, full) = workers
    devices = query_workers([capped, full])
    assert [d.endpoint for d in devices] == [capped, full]
    assert devices[0].total <= 1_000_000_000 < devices[1].total  # --mem 1 caps what the worker offers

    config = LoadConfig(model_path=str(bundled_model), n_ctx=256, n_threads=1)
    with Engine.start(config) as local:
        expected, _ = tokens_of(local)
    before = psutil.Process(full_process.pid).memory_info().rss
    with Engine.start(LoadConfig(**{**config.__dict__, "rpc_workers": (capped, full)})) as split:
        got, finished = tokens_of(split)
        placement = dict(split.info.layer_placement)
        # The weights really went there: most of the model's ~90 MB now lives in that worker.
        assert psutil.Process(full_process.pid).memory_info().rss - before > 40_000_000
    assert got == expected and len(got) >= 10
    assert finished.completion_tokens == len(expected)
    # 30 layers + the output layer, all on the workers, shared by free memory: the capped one holds fewer.
    assert sum(placement.values()) == 31 and placement["this computer"] == 0
    assert 0 < placement[capped] < placement[full]


def test_a_worker_killed_mid_answer_is_named_and_the_next_load_goes_on_without_it(
    workers, bundled_model
) -> None:
    (_, first), (victim_process, victim) = workers
    config = LoadConfig(model_path=str(bundled_model), n_ctx=512, n_threads=1, rpc_workers=(first, victim))
    engine = Engine.start(config)
    try:
        params = SamplingParams(temperature=0.0, max_tokens=400, repeat_penalty=1.0)
        events = []
        for event in engine.generate("Count from 1 to 300: 1, 2, 3, 4,", params):
            events.append(event)
            if len(events) == 1:
                os.kill(victim_process.pid, signal.SIGKILL)
        crash = events[-1]
        assert isinstance(crash, EngineCrashed), crash
        assert victim in crash.message and "conversation is kept" in crash.message
        assert not engine.alive
    finally:
        engine.close()
    victim_process.wait(10)
    with Engine.start(config) as again:  # the dead worker is skipped
        assert again.info.rpc_workers == (first,)
        ids, finished = tokens_of(again)
        assert finished.completion_tokens == len(ids) > 0
        assert dict(again.info.layer_placement)[first] > 0


def test_the_worker_refuses_a_public_address_without_the_flag(capsys) -> None:
    from cli.main import main

    assert main(["rpc-worker", "--host", "0.0.0.0", "--port", "50999"]) == 2
    err = capsys.readouterr().err
    assert "no authentication" in err and "ssh -N -L 50999:127.0.0.1:50999" in err
    assert "--i-understand-no-auth" in err
    assert not reachable("127.0.0.1:50999", timeout=0.5)


def test_the_memory_check_counts_the_workers(workers, bundled_model, monkeypatch) -> None:
    from models import memory, memory_budget
    from models.engine import check_model
    from models.errors import InsufficientMemoryError
    from models.gguf_info import inspect_gguf
    from models.memory import estimate_gguf

    info = inspect_gguf(bundled_model)
    alone, split = estimate_gguf(info, 2048), estimate_gguf(info, 2048, n_gpu_layers=31)
    ram = (alone.total_bytes + split.ram_bytes) // 2  # enough for this computer's share, not for all
    small = memory_budget.MemoryBudget(ram_total=ram, ram_available=ram)
    monkeypatch.setattr(memory, "available_memory", lambda *a, **k: small)
    monkeypatch.setattr(memory_budget, "available_memory", lambda *a, **k: small)
    config = LoadConfig(model_path=str(bundled_model), n_ctx=2048, backend="cpu")
    with pytest.raises(InsufficientMemoryError):
        check_model(config)
    endpoints = tuple(endpoint for _, endpoint in workers)
    checked = check_model(LoadConfig(**{**config.__dict__, "rpc_workers": endpoints}))
    plan = checked.extra["rpc_plan"]
    assert plan["n_gpu_layers"] == 31 and sum(n for _, n in plan["placement"]) == 31
