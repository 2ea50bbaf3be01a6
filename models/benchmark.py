"""Throughput and latency of the engine, and of a raw llama-cpp-python loop for comparison.

Used by ``tomoshibi bench`` and ``bench/bench_engine.py``. The engine is measured from the caller's
side, so the child-process hop is included. Each run starts from a different prompt, so llama.cpp's
prefix cache cannot make a later run look faster.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

from .events import Finished, LoadConfig, SamplingParams, Token

_TOPICS = ["rivers", "mountains", "cities", "stars", "forests", "oceans", "deserts", "islands", "winters", "bridges"]


@dataclass
class Run:
    ttft: float  # seconds from request to the first token
    tokens: int
    tokens_per_second: float  # decode speed, first token excluded


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)
    peak_rss: int = 0

    @property
    def median_tps(self) -> float:
        return statistics.median(r.tokens_per_second for r in self.runs)

    @property
    def median_ttft(self) -> float:
        return statistics.median(r.ttft for r in self.runs)


def prompt_ids(tokenize: Any, index: int, n_tokens: int) -> list[int]:
    """A prompt of exactly ``n_tokens`` ids, different from run to run from its first word on."""
    topic = _TOPICS[index % len(_TOPICS)]
    text = f"{topic.capitalize()} {index}: write a long, detailed essay about {topic}. " * 20
    ids = list(tokenize(text))
    return ids[:n_tokens]


def measure_engine(engine: Any, ids: list[int], n_gen: int) -> Run:
    params = SamplingParams(temperature=0.0, max_tokens=n_gen, repeat_penalty=1.0)
    start = time.perf_counter()
    first = None
    count = 0
    for event in engine.generate(ids, params):
        if isinstance(event, Token) and first is None:
            first = time.perf_counter()
        elif isinstance(event, Finished):
            end = time.perf_counter()
            count = event.completion_tokens
    assert first is not None
    return Run(first - start, count, (count - 1) / (end - first) if count > 1 else 0.0)


def measure_raw(llm: Any, ids: list[int], n_gen: int) -> Run:
    import llama_cpp

    vocab = llm._model.vocab
    llm.reset()
    start = time.perf_counter()
    first = None
    count = 0
    for token in llm.generate(ids, temp=0.0, repeat_penalty=1.0, reset=True):
        now = time.perf_counter()
        if first is None:
            first = now
        if llama_cpp.llama_token_is_eog(vocab, token):
            break
        count += 1
        if count >= n_gen:
            break
    end = time.perf_counter()
    assert first is not None
    return Run(first - start, count, (count - 1) / (end - first) if count > 1 else 0.0)


def follow_up_ttft(engine: Any, runs: int = 5) -> float:
    """Median time to first token of a short new question in an ongoing chat.

    The conversation so far is already in llama.cpp's KV cache (the engine reuses the longest common
    prefix), so only the new turn is evaluated: the latency a user feels on every turn but the first.
    """
    history = [
        {"role": "system", "content": "You are Tomoshibi, a concise and friendly assistant."},
        {"role": "user", "content": "What is the capital of Japan?"},
    ]
    params = SamplingParams(temperature=0.0, max_tokens=16, repeat_penalty=1.0)
    times = []
    for index in range(runs + 1):
        start = time.perf_counter()
        first = None
        answer = ""
        for event in engine.chat(history, params):
            if isinstance(event, Token) and first is None:
                first = time.perf_counter()
            elif isinstance(event, Finished):
                answer = event.text
        if index:  # the first turn fills the cache
            times.append((first or time.perf_counter()) - start)
        history += [{"role": "assistant", "content": answer}, {"role": "user", "content": f"And number {index}?"}]
    return statistics.median(times)


def compare(config: LoadConfig, runs: int = 7, n_prompt: int = 50, n_gen: int = 128) -> tuple[Result, Result]:
    """Engine vs raw llama-cpp-python, interleaved run by run on the same prompts."""
    import llama_cpp

    from .engine import Engine
    from .worker import _physical_cores

    threads = config.n_threads or _physical_cores()
    engine = Engine.start(config)
    llm = llama_cpp.Llama(
        model_path=config.model_path, n_ctx=config.n_ctx, n_threads=threads, n_threads_batch=threads,
        n_batch=min(512, config.n_ctx), n_gpu_layers=engine.info.n_gpu_layers, verbose=False,
    )
    ours, raw = Result("engine"), Result("raw llama-cpp-python")
    try:
        # One warm-up each: first-call allocations are not what a user waits for on every turn.
        warm = prompt_ids(engine.tokenize, 99, n_prompt)
        measure_engine(engine, warm, 8)
        measure_raw(llm, warm, 8)
        for index in range(runs):
            ids = prompt_ids(engine.tokenize, index, n_prompt)
            ours.runs.append(measure_engine(engine, ids, n_gen))
            raw.runs.append(measure_raw(llm, ids, n_gen))
        ours.peak_rss = peak_rss(engine.pid)
        raw.peak_rss = peak_rss(None)
    finally:
        engine.close()
    return ours, raw


def peak_rss(pid: int | None) -> int:
    """Peak resident memory of a process (Linux: VmHWM), else its current RSS."""
    import os

    import psutil

    pid = os.getpid() if pid is None else pid
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int(psutil.Process(pid).memory_info().rss)
