"""A model split across two `tomoshibi rpc-worker` processes vs the same model local, and the bytes the
RPC link carries per token.

Run by hand:  PYTHONPATH=$PWD .venv/bin/python bench/bench_rpc.py [--model FILE] [--repeat 3]
                  [--prompt 128] [--gen 64] [--threads N]

1. Starts two workers on this machine (loopback), each with the same thread count as the local run.
2. Local engine, then the split engine (every layer on the workers, shared by free memory): prompt
   tok/s (prompt tokens / time to the first token) and decode tok/s (first token excluded), medians
   of ``--repeat`` runs, reported as split/local ratios measured in this one run.
   Both workers share this machine's CPU with the engine, and the layers run one worker after the
   other, so the ratio shows the RPC overhead, not a speed-up: on two real computers the split is for
   models that do not fit in one, not for speed.
3. Loads the split engine again through a counting TCP relay in front of each worker and reports the
   bytes on the wire: for loading the model, per prompt token, and per generated token (the number to
   judge Wi-Fi vs Ethernet with). The relay is not in the speed runs.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.benchmark import prompt_ids  # noqa: E402
from models.engine import Engine  # noqa: E402
from models.events import Finished, LoadConfig, SamplingParams, Token  # noqa: E402
from models.rpc import reachable  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_worker(threads: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "cli", "rpc-worker", "--port", str(port), "--threads", str(threads)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    endpoint = f"127.0.0.1:{port}"
    while not reachable(endpoint, 0.5):
        if process.poll() is not None:
            raise SystemExit("a worker did not start")
        time.sleep(0.1)
    return process, endpoint


class Relay:
    """127.0.0.1:port → upstream, counting the bytes each way."""

    def __init__(self, upstream: str) -> None:
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.sent = self.received = 0  # engine → worker, worker → engine
        self.server = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"127.0.0.1:{self.server.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._pipe, args=(client, upstream, "sent"), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, "received"), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, counter: str) -> None:
        try:
            while data := src.recv(1 << 20):
                setattr(self, counter, getattr(self, counter) + len(data))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    @property
    def total(self) -> int:
        return self.sent + self.received


def run_once(engine: Engine, ids: list[int], n_gen: int) -> tuple[float, float]:
    """(prompt tok/s, decode tok/s) for one generation from ``ids``."""
    params = SamplingParams(temperature=0.0, max_tokens=n_gen, repeat_penalty=1.0)
    start, first = time.perf_counter(), None
    finished = None
    for event in engine.generate(ids, params):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter()
        elif isinstance(event, Finished):
            finished = event
    assert finished is not None and first is not None, finished
    return len(ids) / (first - start), finished.tokens_per_second


def measure(config: LoadConfig, repeat: int, n_prompt: int, n_gen: int) -> tuple[float, float]:
    with Engine.start(config) as engine:
        run_once(engine, prompt_ids(engine.tokenize, 99, n_prompt), 4)  # warm-up
        runs = []
        for i in range(repeat):
            runs.append(run_once(engine, prompt_ids(engine.tokenize, i, n_prompt), n_gen))
            print(
                f"    run {i + 1}: prompt {runs[-1][0]:.1f} tok/s, decode {runs[-1][1]:.1f} tok/s", flush=True
            )
        print(
            f"  {'split' if config.rpc_workers else 'local'}: {engine.info.layer_placement or 'all layers here'}"
        )
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def wire_bytes(config: LoadConfig, n_prompt: int, n_gen: int) -> dict[str, float]:
    relays = [Relay(w) for w in config.rpc_workers]
    total = lambda: sum(r.total for r in relays)  # noqa: E731
    with Engine.start(replace(config, rpc_workers=tuple(r.endpoint for r in relays))) as engine:
        loaded = total()
        ids = prompt_ids(engine.tokenize, 7, n_prompt)
        params = SamplingParams(temperature=0.0, max_tokens=1, repeat_penalty=1.0)
        before = total()
        list(engine.generate(ids, params))  # the prompt and one token
        prompt_only = total() - before
        ids = prompt_ids(engine.tokenize, 8, n_prompt)
        before = total()
        events = list(engine.generate(ids, replace(params, max_tokens=n_gen)))
        with_gen = total() - before
        generated = events[-1].completion_tokens  # type: ignore[union-attr]
    return {
        "load": loaded,
        "per_prompt_token": prompt_only / n_prompt,
        "per_generated_token": (with_gen - prompt_only) / max(1, generated - 1),
        "generated": generated,
    }


def main() -> None:
    from models.backends import physical_cores
    from models.bundled import default_model_path

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=str(default_model_path()))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--prompt", type=int, default=128)
    parser.add_argument("--gen", type=int, default=64)
    parser.add_argument("--threads", type=int, default=physical_cores())
    args = parser.parse_args()
    workers = [start_worker(args.threads), start_worker(args.threads)]
    try:
        local = LoadConfig(model_path=args.model, n_ctx=1024, n_threads=args.threads)
        split = replace(local, rpc_workers=tuple(endpoint for _, endpoint in workers))
        print(f"model {Path(args.model).name}, {args.threads} threads, prompt {args.prompt}, gen {args.gen}, "
              f"median of {args.repeat}")  # fmt: skip
        local_pp, local_tg = measure(local, args.repeat, args.prompt, args.gen)
        split_pp, split_tg = measure(split, args.repeat, args.prompt, args.gen)
        print(
            f"prompt  tok/s: local {local_pp:8.1f}   split {split_pp:8.1f}   split/local {split_pp / local_pp:.2f}"
        )
        print(
            f"decode  tok/s: local {local_tg:8.1f}   split {split_tg:8.1f}   split/local {split_tg / local_tg:.2f}"
        )
        print(
            "(two workers and the engine share this one machine's CPU: this is the RPC overhead, not a speed-up)"
        )
        wire = wire_bytes(split, args.prompt, args.gen)
        print(f"RPC bytes: loading the model {wire['load'] / 1e6:.1f} MB; "
              f"{wire['per_prompt_token'] / 1e3:.1f} KB per prompt token; "
              f"{wire['per_generated_token'] / 1e3:.1f} KB per generated token "
              f"(→ {wire['per_generated_token'] * 8 / 1e6:.2f} Mbit per token)")  # fmt: skip
    finally:
        for process, _ in workers:
            process.kill()
            process.wait()


if __name__ == "__main__":
    main()
