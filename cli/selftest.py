"""``tomoshibi --self-test``: check an installation (or a frozen build) end to end and print one JSON line.

Loads the bundled model in the engine process, asks it a question with greedy decoding, loads the
Japanese UI translation, checks the voice model's parts and libraries, then prints
``{"ok": true, "version": ..., "backend": ..., "tokens_per_second": ..., "startup_seconds": ...}`` and
exits 0. On any failure it prints the same line with ``"ok": false`` and ``"error"`` (the problem and
the fix) and exits 1. ``startup_seconds`` runs from the start of this process to the model being ready.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

QUESTION = "What is the capital of Japan? Answer with the city name only."
EXPECTED = "tokyo"
N_CTX = 1024


def _process_start() -> float:
    try:
        import psutil

        return float(psutil.Process().create_time())
    except Exception:  # no psutil or no /proc: measure from here instead
        return time.time()


class SelfTestFailure(Exception):
    """A check that did not pass; the message says which and why."""


def check_engine(report: dict[str, Any], started: float) -> None:
    """Bundled model → engine process → a greedy answer that names Tokyo."""
    import psutil

    from models.bundled import BUNDLED_ID, bundled_model_path
    from models.engine import Engine
    from models.events import EngineCrashed, ErrorEvent, Finished, LoadConfig, SamplingParams

    path = bundled_model_path()
    report["model"] = BUNDLED_ID
    report["model_file"] = str(path)
    with Engine.start(LoadConfig(model_path=str(path), n_ctx=N_CTX)) as engine:
        report["startup_seconds"] = round(time.time() - started, 3)
        report["backend"] = engine.info.backend
        report["load_seconds"] = round(engine.info.load_seconds, 3)
        child = psutil.Process(engine.pid)
        # The model runs in a child process of this one (in a frozen app: this executable again).
        report["engine_pid"] = engine.pid
        report["engine_executable"] = child.exe()
        report["engine_is_child"] = child.ppid() == os.getpid()
        if not report["engine_is_child"]:
            raise SelfTestFailure(f"the engine process {engine.pid} is not a child of this process")
        finished: Finished | None = None
        for event in engine.chat(
            [{"role": "user", "content": QUESTION}], SamplingParams(temperature=0, max_tokens=24)
        ):
            if isinstance(event, Finished):
                finished = event
            elif isinstance(event, (ErrorEvent, EngineCrashed)):
                raise SelfTestFailure(f"generation failed: {event.message}")
    if finished is None:
        raise SelfTestFailure("generation ended without a result")
    answer = finished.text.strip()
    report["answer"] = answer
    report["tokens_per_second"] = round(finished.tokens_per_second, 1)
    if not answer:
        raise SelfTestFailure("the model gave an empty answer")
    if EXPECTED not in answer.lower():
        raise SelfTestFailure(f"the model answered {answer!r} to {QUESTION!r}; expected it to name Tokyo")


def check_translations(report: dict[str, Any]) -> None:
    """The Japanese UI translation and Qt's own Japanese strings load where the app looks for them."""
    from PySide6.QtCore import QLibraryInfo, QTranslator

    from desktop import i18n

    ours = QTranslator()
    path = i18n.qm_path("ja")
    if not ours.load(str(path)) or ours.isEmpty():
        raise SelfTestFailure(f"the Japanese translation {path} does not load")
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator()
    if not qtbase.load("qtbase_ja", qt_dir):
        raise SelfTestFailure(f"Qt's Japanese translation (qtbase_ja.qm) is not in {qt_dir}")
    report["translations"] = ["ja", "qtbase_ja"]


def check_voice(report: dict[str, Any]) -> None:
    """The bundled Whisper parts are found (when carried) and the speech libraries import."""
    from models.voice.bundled import bundled_voice_available

    report["voice_model"] = "bundled" if bundled_voice_available() else "absent"
    try:
        import ctranslate2  # noqa: F401
        import faster_whisper  # noqa: F401
    except ImportError as error:
        raise SelfTestFailure(f"the speech recognizer does not import: {error}") from error


def run_self_test() -> int:
    """Run every check, print one JSON line, return 0 when all passed (1 otherwise)."""
    from models import __version__
    from models.errors import TomoshibiError

    started = _process_start()
    report: dict[str, Any] = {
        "ok": False,
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": str(Path(sys.executable)),
    }
    code = 1
    try:
        check_engine(report, started)
        check_translations(report)
        check_voice(report)
        report["ok"] = True
        code = 0
    except TomoshibiError as error:
        report["error"] = str(error)
    except SelfTestFailure as error:
        report["error"] = str(error)
    except Exception as error:  # a self-test reports whatever broke instead of a traceback
        report["error"] = f"{type(error).__name__}: {error}"
    report["total_seconds"] = round(time.time() - started, 3)
    print(json.dumps(report, ensure_ascii=False), flush=True)
    return code
