"""The user's other computers: RPC workers that take part of a model, and OpenAI-compatible servers
whose models can be chatted with (another Tomoshibi's ``tomoshibi serve``, llama-server, Ollama, LM
Studio, vLLM).

Kept in ``other_computers.json`` in the data folder; API keys never go there but into the operating
system's keychain through ``keyring``. Where no keychain exists (a headless Linux box, CI) the key is
kept in memory until the program ends and ``key_storage()`` says so, so the UI can tell the user.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError
from .paths import atomic_write_bytes, data_dir
from .rpc import parse_endpoints

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Tomoshibi remote server"
_session_keys: dict[str, str] = {}  # the fallback when there is no keychain


@dataclass(frozen=True)
class RemoteServer:
    """An OpenAI-compatible server: ``base_url`` ends in /v1 (or whatever prefix serves /models)."""

    name: str
    base_url: str


@dataclass(frozen=True)
class OtherComputers:
    rpc_workers: tuple[str, ...] = ()
    servers: tuple[RemoteServer, ...] = ()


def config_path() -> Path:
    return data_dir() / "other_computers.json"


def normalize_base_url(text: str) -> str:
    """``host:port`` or a URL → ``http(s)://host:port/v1`` (the OpenAI prefix when no path is given)."""
    raw = text.strip()
    if raw and "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"'{text}' is not the address of an OpenAI-compatible server.",
            "Write it like http://192.168.1.20:8080/v1 (the address that serves /v1/models).",
        )
    path = parts.path.rstrip("/") or "/v1"
    return f"{parts.scheme}://{parts.netloc}{path}"


def load() -> OtherComputers:
    """The saved settings; a missing or damaged file reads as none (and is logged)."""
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
        workers = parse_endpoints([str(w) for w in data.get("rpc_workers", [])])
        servers = tuple(
            RemoteServer(str(s.get("name") or s["base_url"]), normalize_base_url(str(s["base_url"])))
            for s in data.get("servers", [])
        )
        return OtherComputers(workers, servers)
    except FileNotFoundError:
        return OtherComputers()
    except (ValueError, KeyError, TypeError, AttributeError, ConfigError) as error:
        log.warning("ignoring %s: %s", config_path(), error)
        return OtherComputers()


def save(settings: OtherComputers) -> None:
    data = {
        "rpc_workers": list(settings.rpc_workers),
        "servers": [{"name": s.name, "base_url": s.base_url} for s in settings.servers],
    }
    atomic_write_bytes(config_path(), json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


# ---- keys -----------------------------------------------------------------------------------
def _keyring() -> Any | None:
    """The keyring backend when a real keychain is there, else None."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
            return None
        return backend
    except Exception as error:  # noqa: BLE001 - no keyring at all is the same as no keychain
        log.info("no keychain: %s", error)
        return None


def key_storage() -> str:
    """``"keychain"`` or ``"session"`` (no keychain: keys are forgotten when Tomoshibi closes)."""
    return "keychain" if _keyring() is not None else "session"


def set_key(base_url: str, key: str) -> str:
    """Keep ``key`` for ``base_url`` (empty removes it). Returns where it went (see key_storage)."""
    ring = _keyring()
    if ring is None:
        if key:
            _session_keys[base_url] = key
        else:
            _session_keys.pop(base_url, None)
        return "session"
    try:
        if key:
            ring.set_password(KEYRING_SERVICE, base_url, key)
        else:
            try:
                ring.delete_password(KEYRING_SERVICE, base_url)
            except Exception:  # noqa: BLE001 - nothing to delete
                pass
        return "keychain"
    except Exception as error:  # noqa: BLE001 - a locked or broken keychain: keep it for the session
        log.warning("the keychain refused the key: %s", error)
        _session_keys[base_url] = key
        return "session"


def get_key(base_url: str) -> str | None:
    if base_url in _session_keys:
        return _session_keys[base_url]
    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(KEYRING_SERVICE, base_url) or None
    except Exception as error:  # noqa: BLE001
        log.warning("reading the keychain failed: %s", error)
        return None


def remote_models(timeout: float = 3.0) -> tuple[list[Any], list[str]]:
    """The models of every configured server (for the model picker), and one message per server that
    did not answer. Blocking (network): call it off the GUI thread."""
    from .errors import TomoshibiError
    from .remote_engine import RemoteModel, list_models

    found: list[RemoteModel] = []
    problems: list[str] = []
    for server in load().servers:
        try:
            ids = list_models(server.base_url, get_key(server.base_url), timeout)
        except TomoshibiError as error:
            problems.append(f"{server.name}: {error.problem}")
            continue
        found.extend(RemoteModel(server.name, server.base_url, model_id) for model_id in ids)
    return found, problems


def workers_for(model_path: str) -> tuple[str, ...]:
    """The RPC workers a local model loads with (none for a remote model: its server runs it)."""
    from .remote_engine import is_remote

    return () if is_remote(model_path) else load().rpc_workers
