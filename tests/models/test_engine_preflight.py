"""The GPU-aware memory pre-flight runs inside the engine process: on a build with a GPU backend the
caller (the window) checks the file only and never loads llama.cpp."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from models import engine, memory_budget
from models.events import LoadConfig

memory_budget.gpu_backend_shipped = lambda: True  # as on a CUDA or Metal build
config = LoadConfig(model_path=sys.argv[1], n_ctx=64_000_000)  # would never fit: the check is deferred
assert engine.check_model(config) is config
assert "llama_cpp" not in sys.modules, "the caller loaded llama.cpp"
try:
    engine.check_model(LoadConfig(model_path=sys.argv[1] + ".missing"))
except Exception as error:  # the file itself is still checked in the caller
    assert type(error).__name__ == "ModelFileError", error
else:
    raise AssertionError("a missing file passed")
print("ok")
"""


def test_a_gpu_build_leaves_the_memory_check_to_the_engine_process(bundled_model: Path) -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(bundled_model)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-3000:]


def test_on_a_cpu_build_the_caller_checks_and_the_engine_does_not_again(bundled_model: Path) -> None:
    import pytest

    from models.engine import check_model, preflight_in_engine
    from models.errors import InsufficientMemoryError
    from models.events import LoadConfig

    config = LoadConfig(model_path=str(bundled_model), backend="cpu", n_ctx=512)
    assert check_model(config).n_gpu_layers == 0
    assert preflight_in_engine(config) is config  # nothing left to check in the engine process
    with pytest.raises(InsufficientMemoryError):
        check_model(LoadConfig(model_path=str(bundled_model), backend="cpu", n_ctx=64_000_000))
