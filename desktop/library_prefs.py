"""Small remembered choices of the model library: licences accepted, notices dismissed.

Kept in ``library.json`` in the data folder (not in the app's settings file, which other parts own).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from models.paths import atomic_write_text, data_dir

log = logging.getLogger(__name__)


def _file():  # type: ignore[no-untyped-def]
    return data_dir() / "library.json"


def _load() -> dict[str, Any]:
    try:
        value = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _save(data: dict[str, Any]) -> None:
    try:
        atomic_write_text(_file(), json.dumps(data, indent=1))
    except OSError as error:
        log.warning("Cannot save the library's preferences: %s", error)


def licence_accepted(entry_id: str) -> bool:
    return entry_id in _load().get("accepted_licences", [])


def accept_licence(entry_id: str) -> None:
    data = _load()
    accepted = set(data.get("accepted_licences", []))
    accepted.add(entry_id)
    data["accepted_licences"] = sorted(accepted)
    _save(data)


def value(name: str) -> Any:
    """A remembered value (None when there is none): the last update check, for one."""
    return _load().get(name)


def set_value(name: str, data: Any) -> None:
    stored = _load()
    stored[name] = data
    _save(stored)


def flag(name: str) -> bool:
    return bool(_load().get("flags", {}).get(name))


def set_flag(name: str, on: bool = True) -> None:
    data = _load()
    data.setdefault("flags", {})[name] = on
    _save(data)
