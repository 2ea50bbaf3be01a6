"""Prompt sets for evaluation: JSON Lines, one prompt per line.

Each line: ``{"id": "...", "turns": ["first user message", "follow-up", ...], "checks": [...]}``.
Several turns make a multi-turn prompt (like MT-Bench's two-turn questions): each later turn is asked
after the model's own answer to the previous one. A check applies to the answer of turn ``turn``
(1-based, default the last turn); see ``checks.py`` for the kinds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .checks import CHECK_KINDS, Check


@dataclass(frozen=True)
class PromptItem:
    id: str
    turns: tuple[str, ...]
    checks: tuple[Check, ...] = ()
    lang: str = ""


@dataclass(frozen=True)
class PromptSet:
    name: str
    items: tuple[PromptItem, ...]
    sha256: str = ""  # of the file's bytes, so two runs can tell whether they asked the same things
    meta: dict[str, Any] = field(default_factory=dict)


DEFAULT_SET = "default"


def default_prompt_set_path() -> Path:
    """The small Japanese + English set that ships with Tomoshibi."""
    return Path(str(resources.files("models.evaluation").joinpath("prompts", "default.jsonl")))


def load_prompt_set(path: str | Path | None = None) -> PromptSet:
    """Read and check a prompt set; every mistake is a ConfigError naming the line."""
    path = Path(path) if path is not None else default_prompt_set_path()
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(
            f"Cannot read the prompt set {path}: {error.strerror}.", "Check the path."
        ) from None
    items: list[PromptItem] = []
    seen: set[str] = set()
    for number, line in enumerate(raw.decode("utf-8-sig").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{path.name} line {number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ConfigError(
                f"{where} is not JSON ({error.msg}).", "Write one JSON object per line."
            ) from None
        item = _item(data, where)
        if item.id in seen:
            raise ConfigError(f"{where}: the id '{item.id}' is used twice.", "Give every prompt its own id.")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise ConfigError(
            f"The prompt set {path} has no prompts.", 'Add lines like {"id": "q1", "turns": ["..."]}.'
        )
    return PromptSet(path.stem, tuple(items), hashlib.sha256(raw).hexdigest())


def _item(data: Any, where: str) -> PromptItem:
    fix = 'Each line needs "id" (text) and "turns" (a list of user messages).'
    if not isinstance(data, dict):
        raise ConfigError(f"{where} is not a JSON object.", fix)
    prompt_id, turns = data.get("id"), data.get("turns")
    if isinstance(turns, str):
        turns = [turns]
    if not isinstance(prompt_id, (str, int)) or not isinstance(turns, list) or not turns:
        raise ConfigError(f"{where} has no id or no turns.", fix)
    if not all(isinstance(t, str) and t.strip() for t in turns):
        raise ConfigError(f"{where}: every turn must be non-empty text.", fix)
    checks = []
    for raw in data.get("checks", []) or []:
        if not isinstance(raw, dict) or raw.get("type") not in CHECK_KINDS:
            raise ConfigError(
                f"{where}: a check has an unknown type {raw.get('type') if isinstance(raw, dict) else raw!r}.",
                f"Use one of: {', '.join(CHECK_KINDS)}.",
            )
        turn = int(raw.get("turn", len(turns)))
        if not 1 <= turn <= len(turns):
            raise ConfigError(
                f"{where}: a check refers to turn {turn}, but there are {len(turns)}.", "Fix 'turn'."
            )
        checks.append(Check(raw["type"], raw.get("value"), turn, bool(raw.get("ignore_case", False))))
        checks[-1].validate(where)
    return PromptItem(str(prompt_id), tuple(turns), tuple(checks), str(data.get("lang", "")))
