"""One name per model, used by the library, the side panel, the status bar and the chat's picker.

A file the catalog knows (by file name, or by the download record's repository and quantization)
takes the catalog's name ("Qwen3 1.7B (Q4_K_M)"); any other file its file name without ``.gguf``.
The GGUF's own ``general.name`` is not used: converters and uploaders fill it inconsistently
("Models", "llama", the base model's name), which is how one file came to have three names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .catalog import CatalogEntry, load_catalog
from .quant_names import quant_from_filename

SIDECAR_SUFFIX = ".tomoshibi.json"  # models.download's record next to a downloaded file (not imported:
# the status bar asks for names at start-up, before anything about downloads is needed)


def _record(path: Path) -> dict[str, object]:
    try:
        value = json.loads(path.with_name(path.name + SIDECAR_SUFFIX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def catalog_entry_for(path: str | Path, entries: Sequence[CatalogEntry] | None = None) -> CatalogEntry | None:
    """The catalog entry a local GGUF file is, or None for a file the catalog does not know."""
    path = Path(path)
    entries = load_catalog() if entries is None else entries
    record = _record(path)
    if record.get("catalog_id"):
        for entry in entries:
            if entry.id == record["catalog_id"]:
                return entry
    for entry in entries:
        if any(f.name == path.name for f in entry.files):
            return entry
    repo = str(record.get("repo") or "")
    quant = (quant_from_filename(path.name) or "").upper()
    for entry in entries:
        if repo and entry.repo and entry.repo.lower() == repo.lower() and entry.quantization.upper() == quant:
            return entry
    return None


def display_name(path: str | Path, entries: Sequence[CatalogEntry] | None = None) -> str:
    """The name people see for the model file at ``path`` (or a ``remote://`` model)."""
    if str(path).startswith("remote://"):
        from .remote_engine import parse_remote_path

        base_url, model_id = parse_remote_path(str(path))
        return f"{model_id} — {base_url}"
    path = Path(path)
    entry = catalog_entry_for(path, entries)
    if entry is not None:
        return entry.name
    name = path.name
    return name[: -len(".gguf")] if name.lower().endswith(".gguf") else name
