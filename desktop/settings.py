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
}


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
        if isinstance(default, int) and not isinstance(value, int):
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

    def window_state(self) -> tuple[object, object]:
        return self._qs.value("window/geometry"), self._qs.value("window/splitter")

    def save_window_state(self, geometry: object, splitter: object) -> None:
        self._qs.setValue("window/geometry", geometry)
        self._qs.setValue("window/splitter", splitter)
        self._qs.sync()
