"""What this machine offers llama.cpp: GPU backends in this build, and CPU cores.

Asked by the engine process before it loads a model, and by the parent for its memory pre-flight.
"""

from __future__ import annotations

import os

from .errors import ConfigError, EngineError


def detect_backends() -> dict[str, bool]:
    """Which GPU backends this llama.cpp build has (from its own system report)."""
    import llama_cpp

    report = llama_cpp.llama_print_system_info().decode("utf-8", errors="replace").upper()
    gpu = bool(llama_cpp.llama_supports_gpu_offload())
    return {"cuda": gpu and "CUDA" in report, "metal": gpu and "METAL" in report, "gpu": gpu}


def resolve_backend(requested: str, n_gpu_layers: int) -> tuple[str, int]:
    """(backend actually used, GPU layers) for a request; an unavailable backend is a clear error."""
    available = detect_backends()
    if requested == "cpu":
        return "cpu", 0
    if requested in ("cuda", "metal"):
        if not available[requested]:
            how = (
                'reinstall llama-cpp-python with CMAKE_ARGS="-DGGML_CUDA=on"'
                if requested == "cuda"
                else "on an Apple Silicon Mac reinstall llama-cpp-python (Metal is the default there)"
            )
            raise EngineError(
                f"This llama.cpp build has no {requested.upper()} support.", f"Use the CPU, or {how}."
            )
        return requested, n_gpu_layers
    if requested != "auto":
        raise ConfigError(f"Unknown backend '{requested}'.", "Use auto, cpu, metal or cuda.")
    for name in ("cuda", "metal"):
        if available[name] and n_gpu_layers != 0:
            return name, n_gpu_layers
    return "cpu", 0


def physical_cores() -> int:
    """Physical CPU cores (llama.cpp's threads gain nothing from a core's second hardware thread)."""
    try:
        import psutil

        return psutil.cpu_count(logical=False) or os.cpu_count() or 1
    except Exception:
        return os.cpu_count() or 1
