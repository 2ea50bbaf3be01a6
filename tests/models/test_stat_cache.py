"""A GGUF header is read once per file version: the engine's pre-flight and the model panel (and the
library, the converters) share the summary of a settled file; a changed or fresh file is read again."""

from __future__ import annotations

import os
import time
from pathlib import Path

from models.gguf_info import inspect_gguf
from tests.models.tiny_gguf import write_tiny_gguf


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_a_settled_file_is_read_once_and_a_changed_one_again(tmp_path: Path) -> None:
    path = write_tiny_gguf(tmp_path / "tiny.gguf")
    assert inspect_gguf(path) is not inspect_gguf(path)  # just written: not trusted to be settled yet
    _age(path, 60)
    first = inspect_gguf(path)
    assert inspect_gguf(str(path)) is first  # the engine's pre-flight, then the panel: one read
    write_tiny_gguf(path, extra_kv={"tomoshibi.note": "a changed file"})
    _age(path, 30)
    again = inspect_gguf(path)
    assert again is not first and again.size_bytes > first.size_bytes
