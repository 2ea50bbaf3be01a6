"""The app's preferences, in an ini file inside the data folder (so TOMOSHIBI_HOME isolates tests)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from models.paths import data_dir

LANGUAGES = ("system", "ja", "en")
THEMES = ("system", "light", "dark")  # desktop/theme.py: system follows the system's colour scheme
SEND_KEYS = ("enter", "ctrl_enter")  # Enter sends (Shift+Enter newline) / Enter is a newline
DEFAULTS: dict[str, object] = {
    "language": "system",
    "theme": "system",
    "send_key": "enter",
    "n_ctx": 4096,
    "model_path": "",  # empty: the bundled model
    # Local API server (the toggle in the model panel); 127.0.0.1 only, see desktop/api_section.py.
    "api/port": 8080,
    "api/key": "",  # empty: no key (allowed on loopback only)
    "api/cors": "",  # comma-separated browser origins; empty: CORS off
    # Voice input
    "voice/language": "auto",
    "voice/model": "",  # empty: the bundled Whisper base; else a catalog id of kind "speech"
    "voice/device": "",  # empty: the system's default input; else the device's name
    "voice/send_immediately": False,
    "presets/imported": False,  # the old system-prompt presets were copied to preset files once
}
VOICE_LANGUAGES = ("auto", "ja", "en")


class _Choice:
    """A setting that is one of ``choices``; anything else (a hand-edited ini) reads and writes as the
    default."""

    def __init__(self, key: str, choices: tuple[str, ...]) -> None:
        self.key, self.choices, self.fallback = key, choices, str(DEFAULTS[key])

    def __get__(self, settings: AppSettings, owner: object = None) -> str:
        value = str(settings._get(self.key))
        return value if value in self.choices else self.fallback

    def __set__(self, settings: AppSettings, value: str) -> None:
        settings._set(self.key, value if value in self.choices else self.fallback)


class _Text:
    """A free-text setting; empty when unset."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, settings: AppSettings, owner: object = None) -> str:
        return str(settings._get(self.key) or "")

    def __set__(self, settings: AppSettings, value: str) -> None:
        settings._set(self.key, value)


class _Flag:
    """An on/off setting."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, settings: AppSettings, owner: object = None) -> bool:
        return _bool(settings._get(self.key))

    def __set__(self, settings: AppSettings, on: bool) -> None:
        settings._set(self.key, bool(on))


class AppSettings:
    """Typed access to QSettings; every write is flushed at once so a crash loses nothing."""

    def __init__(self) -> None:
        self._qs = QSettings(str(data_dir() / "desktop.ini"), QSettings.Format.IniFormat)

    @property
    def path(self) -> str:
        return self._qs.fileName()

    def _get(self, key: str) -> object:
        default = DEFAULTS[key]
        value = self._qs.value(key, default)
        if isinstance(default, int) and not isinstance(default, bool) and not isinstance(value, int):
            try:
                return int(str(value))
            except ValueError:
                return default
        return value

    def _set(self, key: str, value: object) -> None:
        self._qs.setValue(key, value)
        self._qs.sync()

    language = _Choice("language", LANGUAGES)
    theme = _Choice("theme", THEMES)
    send_key = _Choice("send_key", SEND_KEYS)

    @property
    def n_ctx(self) -> int:
        return max(256, int(self._get("n_ctx")))  # type: ignore[call-overload]

    @n_ctx.setter
    def n_ctx(self, value: int) -> None:
        self._set("n_ctx", int(value))

    model_path = _Text("model_path")

    # --- local API server ----------------------------------------------------------------------------
    @property
    def api_port(self) -> int:
        port = int(self._get("api/port"))  # type: ignore[call-overload]
        return port if 0 <= port <= 65535 else 8080  # 0: any free port

    @api_port.setter
    def api_port(self, value: int) -> None:
        self._set("api/port", int(value))

    @property
    def api_key(self) -> str:
        return str(self._get("api/key") or "")

    @api_key.setter
    def api_key(self, value: str) -> None:
        self._set("api/key", value.strip())

    @property
    def api_cors(self) -> tuple[str, ...]:
        return tuple(o.strip() for o in str(self._get("api/cors") or "").split(",") if o.strip())

    @api_cors.setter
    def api_cors(self, origins: tuple[str, ...] | list[str]) -> None:
        self._set("api/cors", ",".join(o.strip() for o in origins if o.strip()))

    # --- voice input ---------------------------------------------------------------------------------
    voice_language = _Choice("voice/language", VOICE_LANGUAGES)
    voice_model = _Text("voice/model")
    voice_device = _Text("voice/device")
    voice_send_immediately = _Flag("voice/send_immediately")
    presets_imported = _Flag("presets/imported")

    def window_state(self) -> tuple[object, object]:
        return self._qs.value("window/geometry"), self._qs.value("window/splitter")

    def save_window_state(self, geometry: object, splitter: object) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/splitter", splitter)
        self._qs.sync()


def _bool(value: object) -> bool:
    """QSettings' ini format gives booleans back as the strings "true"/"false"."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)
