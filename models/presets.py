"""Prompt presets: a system prompt, template variables, sampling settings and JSON mode, as TOML files.

Each preset is one plain file ``presets_dir()/<name>.toml`` that a person can read, diff and edit.
The app keeps its change history: every saved version is also written to
``presets_dir()/.history/<name>/v<N>.toml`` (with its ``updated`` timestamp), and ``version`` goes up
by one on every change, so an evaluation can say which wording of a prompt it measured. A file edited
by hand is noticed on the next read and recorded as a new version too.

The API and evaluation use presets by name: ``resolve_preset(name).messages(text, variables)`` and
``.sampling()``; the chat (app and CLI) applies a conversation's preset through ``models.turn``.
Built-in presets ship as package data and are copied on first use; a built-in the user deleted is not
brought back.
"""

from __future__ import annotations

import difflib
import json
import re
import shutil
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from .errors import ConfigError
from .events import SamplingParams
from .paths import atomic_write_text, presets_dir

HISTORY = ".history"
_BUILTINS_MARKER = ".builtins-installed"
_NAME = re.compile(r"[^./\\:*?\"<>|\x00-\x1f][^/\\:*?\"<>|\x00-\x1f]{0,99}")
# {{name}} or {name}; a brace followed by anything else ("{" in JSON examples) is left alone.
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}|\{([A-Za-z_]\w*)\}")
SAMPLING_KEYS = tuple(f.name for f in fields(SamplingParams) if f.name != "grammar")
INPUT = "input"  # the variable that holds the user's text in ``user_template``
_INPUT_MARK = "\x00input\x00"


@dataclass(frozen=True)
class Preset:
    """One version of a prompt preset."""

    name: str
    system: str = ""
    description: str = ""
    user_template: str = "{{input}}"
    variables: dict[str, str] = field(default_factory=dict)  # name → default value
    sampling_options: dict[str, Any] = field(default_factory=dict)  # SamplingParams fields to override
    json_mode: bool = False
    json_schema: dict[str, Any] | None = None
    version: int = 1
    updated: str = ""

    def render(self, text: str, variables: dict[str, str] | None = None) -> str:
        """``text`` with every ``{{var}}``/``{var}`` replaced; a variable with no value is a ConfigError."""
        values = {**self.variables, **(variables or {})}

        def substitute(match: re.Match[str]) -> str:
            key = match.group(1) or match.group(2)
            if key not in values:
                known = ", ".join(sorted(values)) or "none"
                raise ConfigError(
                    f"The preset '{self.name}' uses the variable '{key}', which has no value.",
                    f"Give it a value (variables given: {known}) or add a default under [variables] in the preset.",
                )
            return str(values[key])

        return _PLACEHOLDER.sub(substitute, text)

    def placeholders(self) -> list[str]:
        """Every variable the system prompt and the user template use, in order of appearance."""
        seen: list[str] = []
        for match in _PLACEHOLDER.finditer(self.system + "\n" + self.user_template):
            key = match.group(1) or match.group(2)
            if key not in seen:
                seen.append(key)
        return seen

    def messages(
        self,
        user_text: str,
        variables: dict[str, str] | None = None,
        history: list[dict[str, str]] | None = None,
    ) -> list[dict[str, str]]:
        """The chat messages for ``user_text``: system prompt, earlier turns, then the user turn."""
        values = dict(variables or {})
        system = self.render(self.system, values).strip()
        if self.json_mode:
            from .structured import schema_instruction

            system = f"{system}\n\n{schema_instruction(self.json_schema)}".strip()
        out = [{"role": "system", "content": system}] if system else []
        out.extend(dict(m) for m in history or [])
        out.append({"role": "user", "content": self.user_content(user_text, values, strict=True)})
        return out

    def user_content(
        self, user_text: str, variables: dict[str, str] | None = None, strict: bool = False
    ) -> str:
        """``user_text`` put into the user template. A variable without a value is a ConfigError when
        ``strict``; otherwise the text goes as typed (a chat must still answer)."""
        values = dict(variables or {})
        # The user's own text is not searched for placeholders: braces in it are just text.
        template = self.user_template or "{{input}}"
        values[INPUT] = _INPUT_MARK
        try:
            rendered = self.render(template, values)
        except ConfigError:
            if strict:
                raise
            return user_text
        if _INPUT_MARK not in rendered:
            rendered = f"{rendered}\n\n{_INPUT_MARK}".strip()
        return rendered.replace(_INPUT_MARK, user_text)

    def sampling(self, **overrides: Any) -> SamplingParams:
        """SamplingParams from the preset (then ``overrides``), with the JSON grammar in JSON mode."""
        options = {**self.sampling_options, **overrides}
        if "stop" in options:
            options["stop"] = tuple(options["stop"])
        params = SamplingParams(**options)
        if self.json_mode:
            from .structured import json_params

            params = json_params(params, self.json_schema)
        return params

    def content(self) -> dict[str, Any]:
        """What the user wrote, without version and timestamp: two versions differ iff this does."""
        return {k: v for k, v in to_dict(self).items() if k not in ("version", "updated")}


# ---- TOML form -------------------------------------------------------------------------------------
def to_dict(preset: Preset) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": preset.name,
        "description": preset.description,
        "version": preset.version,
        "updated": preset.updated,
        "system": preset.system,
        "user_template": preset.user_template,
        "variables": dict(preset.variables),
        "sampling": dict(preset.sampling_options),
    }
    if preset.json_mode or preset.json_schema:
        json_table: dict[str, Any] = {"enabled": preset.json_mode}
        if preset.json_schema:
            # Kept as JSON text: TOML has no null, and a schema reads best in its own syntax.
            json_table["schema"] = json.dumps(preset.json_schema, ensure_ascii=False, indent=2)
        data["json"] = json_table
    return data


def to_toml(preset: Preset) -> str:
    return tomli_w.dumps(to_dict(preset), multiline_strings=True)


def from_dict(data: dict[str, Any], source: str = "the preset") -> Preset:
    """Check and convert a parsed TOML table; every mistake is a ConfigError naming ``source``."""

    def bad(what: str) -> ConfigError:
        return ConfigError(
            f"{source} is not a valid preset: {what}.", "Fix the file in a text editor, or export it again."
        )

    name = data.get("name")
    if not isinstance(name, str):
        raise bad("it has no name")
    for key in ("system", "description", "user_template", "updated"):
        if not isinstance(data.get(key, ""), str):
            raise bad(f"'{key}' must be text")
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise bad('[variables] must be a table of name = "default"')
    sampling = data.get("sampling", {})
    if not isinstance(sampling, dict):
        raise bad("[sampling] must be a table")
    unknown = sorted(set(sampling) - set(SAMPLING_KEYS))
    if unknown:
        raise bad(f"unknown sampling setting(s) {', '.join(unknown)} (valid: {', '.join(SAMPLING_KEYS)})")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad("'version' must be a whole number from 1")
    json_table = data.get("json", {})
    if not isinstance(json_table, dict):
        raise bad("[json] must be a table")
    schema = json_table.get("schema")
    if isinstance(schema, str):
        try:
            schema = json.loads(schema) if schema.strip() else None
        except json.JSONDecodeError as error:
            raise bad(f"the JSON schema does not parse ({error.msg}, line {error.lineno})") from None
    if schema is not None:
        from .structured import check_schema

        if not isinstance(schema, dict):
            raise bad("the JSON schema must be an object")
        check_schema(schema)
    preset = Preset(
        name=check_name(name),
        system=data.get("system", ""),
        description=data.get("description", ""),
        user_template=data.get("user_template", "{{input}}") or "{{input}}",
        variables={str(k): str(v) for k, v in variables.items()},
        sampling_options=dict(sampling),
        json_mode=bool(json_table.get("enabled", False)),
        json_schema=schema,
        version=version,
        updated=data.get("updated", ""),
    )
    try:
        # The types only: JSON mode's grammar is built when the preset is used (building it needs
        # llama.cpp's converter, which listing presets in the window must not load).
        replace(preset, json_mode=False).sampling()
    except (TypeError, ValueError) as error:
        raise bad(f"a sampling setting has the wrong type ({error})") from None
    return preset


def from_toml(text: str, source: str = "the preset") -> Preset:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source} is not valid TOML: {error}.", "Fix the file in a text editor.") from None
    return from_dict(data, source)


def check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise ConfigError(
            f"'{name}' cannot be a preset name.",
            'Use up to 100 characters without / \\ : * ? " < > | and not starting with a dot.',
        )
    return name


# ---- files and history -----------------------------------------------------------------------------
def _file(name: str) -> Path:
    return presets_dir() / f"{check_name(name)}.toml"


def _history_dir(name: str) -> Path:
    return presets_dir() / HISTORY / check_name(name)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def install_builtins() -> list[str]:
    """Copy the built-in presets the user has not had yet; returns their names."""
    root = presets_dir()
    marker = root / _BUILTINS_MARKER
    done = set(marker.read_text(encoding="utf-8").split("\n")) if marker.exists() else set()
    added = []
    for entry in sorted(resources.files("models").joinpath("preset_files").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        preset = from_toml(entry.read_text(encoding="utf-8"), f"built-in preset {entry.name}")
        if preset.name in done:
            continue
        if not _file(preset.name).exists():
            _write(preset)
        added.append(preset.name)
    if added:
        atomic_write_text(marker, "\n".join(sorted(done | set(added))).strip() + "\n")
    return added


def list_presets() -> list[Preset]:
    """Every preset, by name. A file that does not parse is skipped (``get`` names the problem)."""
    install_builtins()
    out = []
    for path in sorted(presets_dir().glob("*.toml")):
        try:
            out.append(get_preset(path.stem))
        except ConfigError:
            continue
    return out


def get_preset(name: str) -> Preset:
    """The current version of ``name``; a hand edit since the last save becomes a new version."""
    path = _file(name)
    if not path.exists():
        raise ConfigError(f"There is no preset named '{name}'.", _available_hint())
    preset = from_toml(path.read_text(encoding="utf-8"), f"The preset file {path}")
    if preset.name != path.stem:
        preset = replace(preset, name=path.stem)  # the file name wins: that is how it is looked up
    recorded = _history_dir(preset.name) / f"v{preset.version}.toml"
    if not recorded.exists():
        atomic_write_text(recorded, to_toml(replace(preset, updated=preset.updated or _now())))
    else:
        previous = from_toml(recorded.read_text(encoding="utf-8"), str(recorded))
        if previous.content() != preset.content():
            preset = _write(replace(preset, version=latest_version(preset.name) + 1, updated=_now()))
    return preset


def resolve_preset(name: str) -> Preset:
    """The preset the app or the API asked for by name (ConfigError listing the names if unknown)."""
    install_builtins()
    return get_preset(name)


def _available_hint() -> str:
    names = [p.stem for p in sorted(presets_dir().glob("*.toml"))]
    return (
        f"Available presets: {', '.join(names)}."
        if names
        else "Create one in the app, or import a file: tomoshibi presets import FILE.toml"
    )


def latest_version(name: str) -> int:
    versions = [v for v, _ in _history_files(name)]
    return max(versions, default=0)


def _history_files(name: str) -> list[tuple[int, Path]]:
    folder = _history_dir(name)
    found = []
    for path in folder.glob("v*.toml") if folder.exists() else []:
        if path.stem[1:].isdigit():
            found.append((int(path.stem[1:]), path))
    return sorted(found)


def _write(preset: Preset) -> Preset:
    # History first: if we are interrupted between the two writes the version is still on record.
    atomic_write_text(_history_dir(preset.name) / f"v{preset.version}.toml", to_toml(preset))
    atomic_write_text(_file(preset.name), to_toml(preset))
    return preset


def save_preset(preset: Preset) -> Preset:
    """Save ``preset``; a change makes the next version (unchanged content is not a new version)."""
    name = check_name(preset.name)
    from_dict(to_dict(preset), f"The preset '{name}'")  # the same checks as a file read
    if _file(name).exists():
        current = get_preset(name)
        if current.content() == replace(preset, name=name).content():
            return current
        version = max(current.version, latest_version(name)) + 1
    else:
        version = latest_version(name) + 1  # a deleted-then-recreated name goes on counting
    return _write(replace(preset, name=name, version=version, updated=_now()))


def history(name: str) -> list[Preset]:
    """Every recorded version of ``name``, oldest first."""
    return [from_toml(path.read_text(encoding="utf-8"), str(path)) for _, path in _history_files(name)]


def get_version(name: str, version: int) -> Preset:
    path = _history_dir(name) / f"v{version}.toml"
    if not path.exists():
        have = ", ".join(str(v) for v, _ in _history_files(name)) or "none"
        raise ConfigError(f"The preset '{name}' has no version {version}.", f"Recorded versions: {have}.")
    return from_toml(path.read_text(encoding="utf-8"), str(path))


def diff(name: str, old: int, new: int) -> str:
    """A unified diff between two recorded versions' TOML text."""
    a, b = to_toml(get_version(name, old)), to_toml(get_version(name, new))
    return "".join(
        difflib.unified_diff(a.splitlines(True), b.splitlines(True), f"{name} v{old}", f"{name} v{new}")
    )


def rename_preset(old: str, new: str) -> Preset:
    """Rename, keeping the history; the renamed preset is a new version."""
    new = check_name(new)
    current = get_preset(old)
    if new == current.name:
        return current
    if _file(new).exists() or _history_dir(new).exists():
        raise ConfigError(
            f"A preset named '{new}' already exists.", "Choose another name, or delete that preset first."
        )
    shutil.move(str(_history_dir(current.name)), str(_history_dir(new)))
    renamed = _write(replace(current, name=new, version=current.version + 1, updated=_now()))
    _file(current.name).unlink()
    return renamed


def delete_preset(name: str) -> None:
    """Remove the preset and its history."""
    path = _file(name)
    if not path.exists():
        raise ConfigError(f"There is no preset named '{name}'.", _available_hint())
    path.unlink()
    shutil.rmtree(_history_dir(name), ignore_errors=True)


def export_preset(name: str, dest: str | Path) -> Path:
    """Write the current version of ``name`` to ``dest`` (a single TOML file)."""
    dest = Path(dest)
    atomic_write_text(dest, to_toml(get_preset(name)))
    return dest


def import_preset(source: str | Path, name: str | None = None) -> Preset:
    """Read a preset file; an existing preset of that name gets it as its next version."""
    source = Path(source)
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(
            f"Cannot read {source}: {error.strerror}.", "Check the path and try again."
        ) from None
    preset = from_toml(text, f"The file {source}")
    return save_preset(replace(preset, name=name or preset.name))


def import_conversation_presets() -> list[str]:
    """Copy the simple system-prompt presets the conversation store kept into preset files, once.

    The files are the source of truth; a name that already has a file is left alone.
    """
    import sqlite3

    from .paths import conversations_db

    db_path = conversations_db()
    if not db_path.exists():
        return []
    db = sqlite3.connect(str(db_path))
    try:
        rows = db.execute("SELECT name, prompt FROM system_prompt_presets ORDER BY name").fetchall()
    except sqlite3.Error:
        return []
    finally:
        db.close()
    added = []
    for name, prompt in rows:
        try:
            if not _file(name).exists():
                save_preset(Preset(name=name, system=prompt))
                added.append(name)
        except ConfigError:
            continue  # a name that cannot be a file name stays in the old table only
    return added
