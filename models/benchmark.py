"""Speed of the engine next to a bare llama-cpp-python loop and llama.cpp's own ``llama-bench``.

Used by ``tomoshibi bench`` and ``bench/bench_engine.py``. The engine is measured from the caller's
side, so the child-process hop is included. The three are run interleaved, round by round, on the
same prompts (exactly the number of tokens asked for), so a machine that gets busier or quieter
during the run affects all of them alike; figures are medians. Each run starts from a different
prompt, so llama.cpp's prefix cache cannot make a later run look faster.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .events import Finished, LoadConfig, SamplingParams, Token

_TOPICS = [
    "rivers",
    "mountains",
    "cities",
    "stars",
    "forests",
    "oceans",
    "deserts",
    "islands",
    "winters",
    "bridges",
]
PP_SIZES = (64, 512)
# After a measurement, llama.cpp's OpenMP threads spin-wait for more work (libgomp: ~300,000 spins,
# some milliseconds) before they sleep; the engine's in its process, the raw loop's in this one. The
# next measurement waits that long, so it never shares the cores with the last one's spinning
# threads (the app never runs two models at once).
SETTLE = 0.05


@dataclass
class Run:
    ttft: float  # seconds from request to the first token
    tokens: int
    tokens_per_second: float  # decode speed, first token excluded


@dataclass
class Result:
    name: str
    runs: list[Run] = field(default_factory=list)
    pp: dict[int, list[float]] = field(default_factory=dict)  # prompt size → prompt tokens/s per round
    peak_rss: int = 0
    hop: list[float] = field(
        default_factory=list
    )  # engine only: its first token minus the raw loop's, 1-token prompt

    @property
    def median_tps(self) -> float:
        return statistics.median(r.tokens_per_second for r in self.runs) if self.runs else 0.0

    @property
    def median_ttft(self) -> float:
        return statistics.median(r.ttft for r in self.runs) if self.runs else 0.0

    def median_pp(self, size: int) -> float:
        values = self.pp.get(size) or []
        return statistics.median(values) if values else 0.0


def prompt_ids(tokenize: Any, index: int, n_tokens: int) -> list[int]:
    """A prompt of exactly ``n_tokens`` ids, different from run to run from its first word on."""
    topic = _TOPICS[index % len(_TOPICS)]
    sentence = f"{topic.capitalize()} {index}: write a long, detailed essay about {topic}, part {{}}. "
    ids: list[int] = []
    part = 0
    while len(ids) < n_tokens:
        chunk = list(tokenize("".join(sentence.format(part + k) for k in range(20))))
        if not chunk:
            raise ValueError("the tokenizer returned no tokens")
        ids += chunk
        part += 20
    return ids[:n_tokens]


def measure_engine(engine: Any, ids: list[int], n_gen: int) -> Run:
    time.sleep(SETTLE)
    params = SamplingParams(temperature=0.0, max_tokens=n_gen, repeat_penalty=1.0)
    start = time.perf_counter()
    first = None
    count = 0
    end = start
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
    time.sleep(SETTLE)
    start = time.perf_counter()
    first = None
    count = 0
    for token in llm.generate(ids, temp=0.0, repeat_penalty=1.0, reset=True):
        now = time.perf_counter()
        if first is None:
            first = now
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            break
        count += 1
        if count >= n_gen:
            break
    end = time.perf_counter()
    assert first is not None
    return Run(first - start, count, (count - 1) / (end - first) if count > 1 else 0.0)


def raw_llama(config: LoadConfig, n_threads: int, n_gpu_layers: int) -> Any:
    """A bare llama-cpp-python model with the engine's own settings (see models.worker.Runtime)."""
    import llama_cpp

    return llama_cpp.Llama(
        model_path=config.model_path,
        n_ctx=config.n_ctx,
        n_threads=n_threads,
        n_threads_batch=n_threads,
        n_batch=min(2048, config.n_ctx),
        n_ubatch=min(512, config.n_ctx),
        n_gpu_layers=n_gpu_layers,
        flash_attn=bool(config.extra.get("flash_attn", True)),
        verbose=False,
    )


def llama_bench(
    path: str, model: str, threads: int, n_prompt: int, n_gen: int, n_gpu_layers: int
) -> dict[str, float]:
    """One repetition of llama.cpp's ``llama-bench`` (its defaults otherwise): tokens/s by test name
    ("pp64", "pp512", "pp<n_prompt>", and "tg<n_gen>" after an ``n_prompt``-token prompt). ``path``
    may also be a JSON file of its output (``llama-bench -o json``), read instead of running it."""
    if path.endswith(".json"):
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    else:
        prompts = ",".join(str(n) for n in sorted({*PP_SIZES, n_prompt}))
        common = [path, "-m", model, "-t", str(threads), "-r", "1", "-ngl", str(n_gpu_layers), "-o", "json"]
        # Decoding is measured after the same prompt the engine answers (llama-bench's --n-depth), so
        # both attend over the same number of earlier tokens.
        records = []
        for test in (["-p", prompts, "-n", "0"], ["-p", "0", "-n", str(n_gen), "-d", str(n_prompt)]):
            done = subprocess.run(common + test, capture_output=True, text=True, timeout=600, check=True)
            records += json.loads(done.stdout)
    out: dict[str, float] = {}
    for record in records:
        name = f"pp{record['n_prompt']}" if record["n_prompt"] else f"tg{record['n_gen']}"
        out[name] = float(record["avg_ts"])
    return out


def compare(
    config: LoadConfig,
    runs: int = 7,
    n_prompt: int = 50,
    n_gen: int = 128,
    llama_bench_path: str | None = None,
    pp_sizes: tuple[int, ...] = PP_SIZES,
) -> tuple[Result, Result, Result | None]:
    """Engine, raw llama-cpp-python and (given its path) llama-bench, interleaved round by round."""
    from .engine import Engine

    engine = Engine.start(config)
    threads = engine.info.n_threads
    llm = raw_llama(config, threads, engine.info.n_gpu_layers)
    ours, raw = Result("engine"), Result("llama-cpp-python")
    bench = Result("llama-bench") if llama_bench_path else None
    sizes = sorted({*pp_sizes})

    def tokenize(text: str) -> list[int]:
        return engine.tokenize(text, add_special=False)

    try:
        # One warm-up for the raw loop (the engine warms itself up after loading, as llama-bench does).
        measure_raw(llm, prompt_ids(tokenize, 99, 8), 4)
        for index in range(runs):
            ids = prompt_ids(tokenize, index, n_prompt)
            ours.runs.append(measure_engine(engine, ids, n_gen))
            raw.runs.append(measure_raw(llm, ids, n_gen))
            for size in sizes:
                pp_ids = prompt_ids(tokenize, 1000 + index * 10 + size, size)
                ours.pp.setdefault(size, []).append(size / measure_engine(engine, pp_ids, 1).ttft)
                raw.pp.setdefault(size, []).append(size / measure_raw(llm, pp_ids, 1).ttft)
            one = prompt_ids(tokenize, 5000 + index, 1)
            ours.hop.append(measure_engine(engine, one, 1).ttft - measure_raw(llm, one, 1).ttft)
            if bench is not None and llama_bench_path:
                figures = llama_bench(llama_bench_path, config.model_path, threads, n_prompt, n_gen,
                                      engine.info.n_gpu_layers)  # fmt: skip
                # llama-bench has no first-token figure: its prompt time for the same prompt size.
                bench.runs.append(Run(n_prompt / figures[f"pp{n_prompt}"], n_gen, figures[f"tg{n_gen}"]))
                for size in sizes:
                    bench.pp.setdefault(size, []).append(figures[f"pp{size}"])
        ours.peak_rss = peak_rss(engine.pid)
        raw.peak_rss = peak_rss(None)
    finally:
        engine.close()
    return ours, raw, bench


def report(ours: Result, raw: Result, bench: Result | None, n_prompt: int, n_gen: int) -> str:
    """The comparison as a table with ratios (engine ÷ the others; for first token, time ratio)."""
    sizes = sorted(ours.pp) or sorted({*PP_SIZES})
    head = f"{'':18} {'decode tok/s':>13}" + "".join(f" {f'pp{s} tok/s':>12}" for s in sizes)
    head += f" {f'first token ({n_prompt} tok)':>24}"
    lines = [head]
    rows = [r for r in (ours, raw, bench) if r is not None]
    for result in rows:
        line = f"{result.name:18} {result.median_tps:13.1f}" + "".join(
            f" {result.median_pp(s):12.1f}" for s in sizes
        )
        lines.append(line + f" {result.median_ttft * 1000:21.1f} ms")
    for other in rows[1:]:
        # The median of each round's ratio: a machine that is busier in one round than the next then
        # moves both sides of that round's ratio alike.
        ratio = [
            _per_round(
                [
                    (a.tokens_per_second, b.tokens_per_second)
                    for a, b in zip(ours.runs, other.runs, strict=False)
                ]
            )
        ]
        ratio += [_per_round(list(zip(ours.pp.get(s, []), other.pp.get(s, []), strict=False))) for s in sizes]
        first = _per_round([(b.ttft, a.ttft) for a, b in zip(ours.runs, other.runs, strict=False)])
        lines.append(
            f"{'engine ÷ ' + other.name:27} " + " ".join(f"{r:12.3f}" for r in ratio) + f" {first:23.3f}"
        )
    lines.append(
        "(ratios: medians of each round's engine speed ÷ the other's; first token: the other's time ÷ the "
        "engine's, so ≥ 1 is as fast)"
    )
    if ours.hop:
        lines.append(
            f"engine process overhead per request (first token of a 1-token prompt, engine − raw loop): "
            f"{statistics.median(ours.hop) * 1000:.2f} ms"
        )
    return "\n".join(lines)


def _per_round(pairs: list[tuple[float, float]]) -> float:
    values = [a / b for a, b in pairs if b]
    return statistics.median(values) if values else 0.0


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
        history += [
            {"role": "assistant", "content": answer},
            {"role": "user", "content": f"And number {index}?"},
        ]
    return statistics.median(times)


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
