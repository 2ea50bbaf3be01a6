"""What the library needs to know about this computer: which catalog models are installed where, and
the UI language. Shared by the catalog view, the welcome and the chat's model picker."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QLocale

from models.catalog import CatalogEntry
from models.fetch import SOURCE_RECORD, entry_destination
from models.library import LocalModel, list_models
from models.model_names import catalog_entry_for


def ui_language() -> str:
    """``ja`` or ``en``: the language the UI is shown in now (``i18n.apply_language`` sets the locale)."""
    return "ja" if QLocale().language() == QLocale.Language.Japanese else "en"


class Installed:
    """The local models, and for each catalog entry the path it is installed at (if it is)."""

    def __init__(self, entries: Sequence[CatalogEntry], scan: bool = True) -> None:
        self.entries = list(entries)
        self.models: list[LocalModel] = []
        self.paths: dict[str, str] = {}
        if scan:
            self.refresh()

    def refresh(self) -> None:
        self.models = list_models()
        paths: dict[str, str] = {}
        for model in self.models:
            entry = catalog_entry_for(model.path, self.entries)
            if entry is not None:
                paths.setdefault(entry.id, str(model.path))
        for entry in self.entries:
            # Speech models and checkpoints are folders; a finished download leaves its record there.
            if entry.kind in ("speech", "checkpoint") and entry.downloadable:
                folder = entry_destination(entry)
                if (folder / SOURCE_RECORD).is_file():
                    paths[entry.id] = str(folder)
        self.paths = paths

    def chat_models(self) -> list[LocalModel]:
        return [m for m in self.models if m.kind == "chat" and not m.problem]

    def path_of(self, entry_id: str) -> Path | None:
        value = self.paths.get(entry_id)
        return Path(value) if value else None
