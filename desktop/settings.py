"""The app's preferences, in an ini file inside the data folder (so TOMOSHIBI_HOME isolates tests)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from models.paths import data_dir

LANGUAGES = ("system", "ja", "en")
SEND_KEYS = ("enter", "ctrl_enter")  # Enter sends (Shift+Enter newline) / Enter is a newline
DEFAULTS: dict[str, object] = {
    "language": "system",
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

    @property
    def language(self) -> str:
        value = str(self._get("language"))
        return value if value in LANGUAGES else "system"

    @language.setter
    def language(self, value: str) -> None:
        self._set("language", value if value in LANGUAGES else "system")

    @property
    def send_key(self) -> str:
        value = str(self._get("send_key"))
        return value if value in SEND_KEYS else "enter"

    @send_key.setter
    def send_key(self, value: str) -> None:
        self._set("send_key", value if value in SEND_KEYS else "enter")

    @property
    def n_ctx(self) -> int:
        return max(256, int(self._get("n_ctx")))  # type: ignore[call-overload]

    @n_ctx.setter
    def n_ctx(self, value: int) -> None:
        self._set("n_ctx", int(value))

    @property
    def model_path(self) -> str:
        return str(self._get("model_path") or "")

    @model_path.setter
    def model_path(self, value: str) -> None:
        self._set("model_path", value)

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
    @property
    def voice_language(self) -> str:
        value = str(self._get("voice/language"))
        return value if value in VOICE_LANGUAGES else "auto"

    @voice_language.setter
    def voice_language(self, value: str) -> None:
        self._set("voice/language", value if value in VOICE_LANGUAGES else "auto")

    @property
    def voice_model(self) -> str:
        return str(self._get("voice/model") or "")

    @voice_model.setter
    def voice_model(self, value: str) -> None:
        self._set("voice/model", value)

    @property
    def voice_device(self) -> str:
        return str(self._get("voice/device") or "")

    @voice_device.setter
    def voice_device(self, value: str) -> None:
        self._set("voice/device", value)

    @property
    def voice_send_immediately(self) -> bool:
        return _bool(self._get("voice/send_immediately"))

    @voice_send_immediately.setter
    def voice_send_immediately(self, on: bool) -> None:
        self._set("voice/send_immediately", bool(on))

    @property
    def presets_imported(self) -> bool:
        return _bool(self._get("presets/imported"))

    @presets_imported.setter
    def presets_imported(self, on: bool) -> None:
        self._set("presets/imported", bool(on))

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
