"""Icons: ``icon("send")`` is a QIcon drawn from a vendored Lucide SVG, tinted for the current theme.

The SVGs (``desktop/icons/``, ISC licence, version in its README) draw with ``currentColor``; each is
rendered at the usual icon sizes for 1x, 2x and 3x screens, so it stays sharp on HiDPI displays. When
the theme changes, buttons and actions showing one of these icons get it again in the new colours.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QAction, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication

from . import theme

log = logging.getLogger(__name__)

FOLDER = Path(__file__).resolve().parent / "icons"

# The app's names for its icons → the Lucide file. Several names may share one drawing.
NAMES: dict[str, str] = {
    "send": "send",
    "stop": "circle-stop",  # an outlined square alone reads as an empty check box
    "mic": "mic",
    "mic-off": "mic-off",
    "attach": "paperclip",
    "paperclip": "paperclip",
    "copy": "copy",
    "check": "check",
    "regenerate": "refresh-cw",
    "refresh": "refresh-cw",
    "edit": "pencil",
    "pencil": "pencil",
    "settings": "settings",
    "advanced": "sliders-horizontal",
    "trash": "trash-2",
    "delete": "trash-2",
    "folder": "folder",
    "folder-open": "folder-open",
    "download": "download",
    "plus": "plus",
    "new-chat": "message-square-plus",
    "panel-left-close": "panel-left-close",
    "panel-left-open": "panel-left-open",
    "panel-right-close": "panel-right-close",
    "panel-right-open": "panel-right-open",
    "chevron-down": "chevron-down",
    "chevron-up": "chevron-up",
    "chevron-left": "chevron-left",
    "chevron-right": "chevron-right",
    "help": "circle-help",
    "search": "search",
    "close": "x",
    "info": "info",
    "warning": "triangle-alert",
    "error": "circle-alert",
    "document": "file-text",
    "documents": "book-open",
    "sun": "sun",
    "moon": "moon",
    "monitor": "monitor",
    "smartphone": "smartphone",
    "laptop": "laptop",
    "cpu": "cpu",
    "sparkles": "sparkles",
    "gauge": "gauge",
    "more": "ellipsis",
    "disk": "hard-drive",
    "clock": "clock",
}

TONES = ("text", "muted", "accent", "on_accent", "danger")
# Rendered ahead for these sizes at 1x, 2x and the screen's own ratio; Qt scales the nearest one for
# any other size. Few sizes keep start-up cheap (a main window shows about ten icons).
_SIZES = (16, 20, 24)
_SCALES = (1.0, 2.0)
# cacheKey of every icon handed out → (name, tone), to hand the same icon again after a theme change
_issued: dict[int, tuple[str, str]] = {}


def icon(name: str, tone: str = "text") -> QIcon:
    """The icon ``name`` (see ``NAMES``) in the theme's ``tone``: text (default), muted, accent,
    on_accent (on a primary button) or danger. Disabled widgets show it in the muted colour."""
    if name not in NAMES:
        raise ValueError(f"no icon named {name!r}; known: {', '.join(sorted(NAMES))}")
    if tone not in TONES:
        raise ValueError(f"no icon tone {tone!r}; known: {', '.join(TONES)}")
    if not _issued:  # the first icon: from now on, theme changes re-tint them
        theme.notifier().changed.connect(_retint)
    c = theme.colors()
    made = _make(NAMES[name], getattr(c, tone), c.muted, _screen_scale())
    _issued[made.cacheKey()] = (name, tone)
    return made


def names() -> list[str]:
    return sorted(NAMES)


def _screen_scale() -> float:
    """The highest device pixel ratio of the screens now attached (1.5 on some Windows laptops)."""
    app = QGuiApplication.instance()
    if app is None:
        return 1.0
    return max((s.devicePixelRatio() for s in QGuiApplication.screens()), default=1.0)


@lru_cache(maxsize=512)
def _make(file_stem: str, color: str, disabled_color: str, screen_scale: float) -> QIcon:
    result = QIcon()
    scales = sorted({*_SCALES, screen_scale})
    normal = _renderer(file_stem, color)
    disabled = _renderer(file_stem, disabled_color)
    for size in _SIZES:
        for scale in scales:
            result.addPixmap(_render(normal, size, scale), QIcon.Mode.Normal, QIcon.State.Off)
            result.addPixmap(_render(disabled, size, scale), QIcon.Mode.Disabled, QIcon.State.Off)
    return result


@lru_cache(maxsize=512)
def _svg(file_stem: str) -> str:
    return (FOLDER / f"{file_stem}.svg").read_text(encoding="utf-8")


def _renderer(file_stem: str, color: str) -> QSvgRenderer:
    return QSvgRenderer(QByteArray(_svg(file_stem).replace("currentColor", color).encode("utf-8")))


def _render(renderer: QSvgRenderer, size: int, scale: float) -> QPixmap:
    pixels = max(1, round(size * scale))
    pixmap = QPixmap(pixels, pixels)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixels, pixels))
    painter.end()
    pixmap.setDevicePixelRatio(scale)
    return pixmap


def _retint(_theme_name: str) -> None:
    """After a theme change: every button and action showing one of our icons gets it re-tinted."""
    app = QApplication.instance()
    if app is None or not _issued:
        return
    for widget in app.allWidgets():  # type: ignore[union-attr]
        if isinstance(widget, QAbstractButton):
            _swap(widget)
        for action in widget.actions():
            _swap(action)
        for action in widget.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly):
            _swap(action)


def _swap(holder: QAbstractButton | QAction) -> None:
    found = _issued.get(holder.icon().cacheKey())
    if found is not None:
        holder.setIcon(icon(*found))
