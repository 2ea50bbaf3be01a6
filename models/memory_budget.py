"""How much memory this machine has free right now: RAM from psutil, GPU memory from llama.cpp's own
device list (any backend it was built with), else nvidia-smi; Apple Silicon GPUs share the RAM."""

from __future__ import annotations

import logging
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MemoryBudget:
    ram_total: int
    ram_available: int
    vram_total: int | None = None
    vram_free: int | None = None
    gpu_name: str | None = None
    unified: bool = False  # the GPU uses the same memory as the CPU (Apple Silicon)


def _ram() -> tuple[int, int]:
    import psutil

    vm = psutil.virtual_memory()
    return int(vm.total), int(vm.available)


def _gpu_from_llama_cpp(load: bool) -> tuple[int, int, str] | None:
    """Total/free bytes and name of the largest GPU ggml sees, or None (CPU-only build, no GPU).

    Unless ``load``, only asked when llama_cpp is already imported: importing it loads the llama.cpp
    libraries (and starts CUDA) in a process, like the window's, that may never run a model.
    """
    if load:
        import llama_cpp as _  # noqa: F401
    llama_cpp = sys.modules.get("llama_cpp")
    if llama_cpp is None or not hasattr(llama_cpp, "ggml_backend_dev_count"):
        return None
    import ctypes

    best: tuple[int, int, str] | None = None
    gpu_type = getattr(llama_cpp, "GGML_BACKEND_DEVICE_TYPE_GPU", 1)
    for i in range(int(llama_cpp.ggml_backend_dev_count())):
        dev = llama_cpp.ggml_backend_dev_get(i)
        if int(llama_cpp.ggml_backend_dev_type(dev)) != gpu_type:
            continue
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        llama_cpp.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        raw = llama_cpp.ggml_backend_dev_description(dev)
        name = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        if best is None or total.value > best[0]:
            best = (int(total.value), int(free.value), name)
    return best


def _gpu_from_nvidia_smi() -> tuple[int, int, str] | None:
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return None
    out = subprocess.run(
        [exe, "--query-gpu=memory.total,memory.free,name", "--format=csv,noheader,nounits"],
        capture_output=True, text=True, timeout=5, check=True,
    ).stdout  # fmt: skip
    best: tuple[int, int, str] | None = None
    for line in out.strip().splitlines():
        total_mib, free_mib, name = (part.strip() for part in line.split(",", 2))
        total, free = int(float(total_mib)) << 20, int(float(free_mib)) << 20
        if best is None or total > best[0]:
            best = (total, free, name)
    return best


def _is_apple_silicon() -> bool:
    return sys.platform == "darwin" and platform.machine() == "arm64"


def available_memory(load_llama_cpp: bool = False) -> MemoryBudget:
    """This machine's memory now. GPU fields are None when no GPU can be found; never raises for that.

    ``load_llama_cpp`` lets the probe import llama_cpp to ask ggml (CLI, engine process).
    """
    ram_total, ram_available = _ram()
    if _is_apple_silicon():
        # Metal shares the RAM: what is free for the GPU is what is free, period.
        return MemoryBudget(ram_total, ram_available, ram_total, ram_available, "Apple GPU (unified memory)",
                            unified=True)  # fmt: skip
    probes = (lambda: _gpu_from_llama_cpp(load_llama_cpp), _gpu_from_nvidia_smi)
    for probe in probes:
        try:
            gpu = probe()
        except Exception as error:  # a broken driver must not stop the app from starting
            log.info("GPU probe failed: %s", error)
            continue
        if gpu is not None:
            return MemoryBudget(ram_total, ram_available, gpu[0], gpu[1], gpu[2])
    return MemoryBudget(ram_total, ram_available)
