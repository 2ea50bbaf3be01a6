"""How much memory this machine has free right now: RAM from psutil, GPU memory from llama.cpp's own
device list (any backend it was built with), else nvidia-smi; Apple Silicon GPUs share the RAM."""

from __future__ import annotations

import logging
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


# ggml's enum ggml_backend_dev_type (ggml-backend.h).
_DEV_GPU = 1
# ggml backend libraries that drive a GPU (libggml-cuda.so, ggml-vulkan.dll ...).
_GPU_BACKENDS = ("cuda", "metal", "vulkan", "hip", "sycl", "opencl", "musa", "cann")


def _ggml_library() -> Any:
    """libggml from the llama_cpp package, which has already loaded it (and its DLL folder on Windows)."""
    import ctypes

    import llama_cpp

    lib_dir = Path(llama_cpp.__file__).parent / "lib"
    for name in ("libggml.so", "libggml.dylib", "ggml.dll", "libggml.dll"):
        if (lib_dir / name).exists():
            return ctypes.CDLL(str(lib_dir / name))
    return None


def gpu_backend_shipped() -> bool:
    """Whether the installed llama_cpp carries a GPU backend library (found without importing it)."""
    import importlib.util

    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or spec.origin is None:
        return False
    lib_dir = Path(spec.origin).parent / "lib"
    return any(any(lib_dir.glob(f"*ggml-{name}*")) for name in _GPU_BACKENDS)


def _gpu_from_llama_cpp(load: bool) -> tuple[int, int, str] | None:
    """Total/free bytes and name of the largest GPU ggml sees, or None (CPU-only build, no GPU).

    llama-cpp-python 0.3.36 does not bind ggml's device API, so it is called through ctypes on the
    libggml it ships. Unless ``load``, only asked when llama_cpp is already imported: importing it
    loads the llama.cpp libraries (and starts CUDA) in a process, like the window's, that may never
    run a model.
    """
    if not load and "llama_cpp" not in sys.modules:
        return None
    if "llama_cpp" not in sys.modules and not gpu_backend_shipped():
        return None  # a CPU-only build: not worth the import (~0.5 s)
    import ctypes

    ggml = _ggml_library()
    if ggml is None:
        return None
    ggml.ggml_backend_dev_count.restype = ctypes.c_size_t
    ggml.ggml_backend_dev_get.argtypes = [ctypes.c_size_t]
    ggml.ggml_backend_dev_get.restype = ctypes.c_void_p
    ggml.ggml_backend_dev_type.argtypes = [ctypes.c_void_p]
    ggml.ggml_backend_dev_type.restype = ctypes.c_int
    ggml.ggml_backend_dev_memory.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t),
                                             ctypes.POINTER(ctypes.c_size_t)]  # fmt: skip
    ggml.ggml_backend_dev_memory.restype = None
    ggml.ggml_backend_dev_description.argtypes = [ctypes.c_void_p]
    ggml.ggml_backend_dev_description.restype = ctypes.c_char_p
    best: tuple[int, int, str] | None = None
    for i in range(int(ggml.ggml_backend_dev_count())):
        dev = ggml.ggml_backend_dev_get(i)
        if not dev or ggml.ggml_backend_dev_type(dev) != _DEV_GPU:
            continue
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        ggml.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        name = (ggml.ggml_backend_dev_description(dev) or b"GPU").decode("utf-8", "replace")
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
