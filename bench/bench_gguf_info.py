"""GGUF inspection speed, and the memory estimate against llama.cpp's own buffer sizes.

Run by hand:  .venv/bin/python bench/bench_gguf_info.py [--model FILE.gguf] [--repeat 21]

1. ``validate_gguf`` and ``inspect_gguf`` on the model (default: the bundled SmolLM2-135M Q4_1), and
   ``gguf.GGUFReader`` on the same file for comparison: medians of ``--repeat`` runs in this process.
2. For n_ctx 512, 2048 and 8192, loads the model with llama-cpp-python in a fresh child process (the
   engine's settings: n_batch = min(512, n_ctx), flash attention off), reads the buffer sizes llama.cpp
   logs (model, KV cache, output, compute) and prints them next to ``estimate_gguf``'s, with the ratio.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = """
import sys, llama_cpp
ctx = int(sys.argv[2])
llama_cpp.Llama(sys.argv[1], n_ctx=ctx, n_batch=min(512, ctx), n_threads=1, verbose=True)
"""
BUFFER = re.compile(r"(model|KV|output|compute) buffer size =\s*([\d.]+) MiB")


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def llama_cpp_buffers(model: Path, n_ctx: int) -> dict[str, float]:
    """Bytes per buffer kind as llama.cpp reports them while loading (summed over devices)."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(model), str(n_ctx)],
                         capture_output=True, text=True, check=True)  # fmt: skip
    sizes: dict[str, float] = {}
    for line in out.stderr.splitlines():
        m = BUFFER.search(line)
        if m and not line.startswith("~"):
            sizes[m.group(1)] = sizes.get(m.group(1), 0.0) + float(m.group(2)) * 2**20
    return sizes


def main() -> int:
    from models.bundled import bundled_model_path
    from models.gguf_info import inspect_gguf, validate_gguf
    from models.memory import estimate_gguf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    model = args.model or bundled_model_path()
    print(f"model: {model.name} ({model.stat().st_size / 1e6:.1f} MB)")

    inspect_gguf(model)  # warm the page cache so every run reads from memory
    t_validate = median_seconds(lambda: validate_gguf(model), args.repeat)
    t_inspect = median_seconds(lambda: inspect_gguf(model), args.repeat)
    line = f"validate_gguf {t_validate * 1e3:.1f} ms, inspect_gguf {t_inspect * 1e3:.1f} ms (medians of {args.repeat})"
    try:
        import gguf

        t_reader = median_seconds(lambda: gguf.GGUFReader(model), max(3, args.repeat // 4))
        line += f"; gguf.GGUFReader {t_reader * 1e3:.1f} ms ({t_reader / t_inspect:.1f}× inspect_gguf)"
    except ImportError:
        pass
    print(line)

    info = inspect_gguf(model)
    print(f"{'n_ctx':>6} {'part':>8} {'llama.cpp':>11} {'estimate':>11} {'ratio':>6}")
    for n_ctx in (512, 2048, 8192):
        real = llama_cpp_buffers(model, n_ctx)
        est = estimate_gguf(info, n_ctx)
        mine = {"model": est.weights_bytes, "KV": est.kv_cache_bytes, "compute": est.compute_bytes}
        for part, value in mine.items():
            got = real.get(part, 0.0)
            ratio = f"{value / got:.3f}" if got else "-"
            print(f"{n_ctx:>6} {part:>8} {got / 1e6:>8.1f} MB {value / 1e6:>8.1f} MB {ratio:>6}")
        total_real = sum(real.values())
        total_mine = sum(mine.values())
        print(f"{n_ctx:>6} {'buffers':>8} {total_real / 1e6:>8.1f} MB {total_mine / 1e6:>8.1f} MB "
              f"{total_mine / total_real:>6.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
