"""The look of the app in one place: spacing, type scale and colours as named values, light and dark.

``apply_theme(mode)`` sets Qt's Fusion style, a palette, the UI font (the system's, with a Japanese
fallback) and one application stylesheet. ``mode`` is the setting: ``system`` follows the system's
colour scheme (``QStyleHints.colorScheme()``, live), ``light`` or ``dark`` force one.

Widgets never write colours themselves: they name what a thing *is* with an object name or a dynamic
property (``set_role(label, "muted")``) and the stylesheet below says how that looks in each theme.
Code that must paint (HTML for a QTextBrowser, a custom ``paintEvent``) reads ``colors()``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QFormLayout, QWidget

log = logging.getLogger(__name__)

MODES = ("system", "light", "dark")


class Space:
    """Spacing in pixels: margins and gaps use these, so the app keeps one rhythm."""

    XS = 4
    S = 8
    M = 12
    L = 16
    XL = 24


RADIUS = 8  # cards, inputs, buttons
RADIUS_S = 6


class TypeScale:
    """Font sizes in points, relative to the system's body size (``BODY`` becomes that size)."""

    CAPTION = -2
    BODY = 0
    TITLE = 2
    HEADING = 6


@dataclass(frozen=True)
class Colors:
    name: str
    window: str  # the window background
    surface: str  # cards, inputs, the chat
    sidebar: str  # side panels
    border: str
    text: str
    muted: str  # secondary text
    accent: str  # the lamp: primary buttons, selection mark, links
    accent_hover: str
    on_accent: str  # text and icons on the accent
    selection: str  # selected row background
    hover: str  # hovered row background
    danger: str
    danger_bg: str
    danger_border: str
    warning_bg: str
    warning_border: str
    info_bg: str
    info_border: str
    success: str
    user_bubble: str
    code_bg: str
    code_head: str


LIGHT = Colors(
    name="light",
    window="#f7f5f1",
    surface="#ffffff",
    sidebar="#f0ede7",
    border="#ddd7cc",
    text="#1f1d1a",
    muted="#6b665d",
    accent="#b85c0f",
    accent_hover="#9c4d0b",
    on_accent="#ffffff",
    selection="#f3e2cd",
    hover="#e9e4da",
    danger="#b3261e",
    danger_bg="#fde8e4",
    danger_border="#e6a497",
    warning_bg="#fff4dc",
    warning_border="#e8c77a",
    info_bg="#eef4fb",
    info_border="#a9c4e4",
    success="#2e7d32",
    user_bubble="#fbf1e2",
    code_bg="#f4f2ee",
    code_head="#e7e2d8",
)

DARK = Colors(
    name="dark",
    window="#1b1a19",
    surface="#252422",
    sidebar="#201f1d",
    border="#3b3936",
    text="#ecebe7",
    muted="#a59f95",
    accent="#f0913a",
    accent_hover="#f6a75f",
    on_accent="#1b1a19",
    selection="#4a3522",
    hover="#302e2b",
    danger="#f2b8b5",
    danger_bg="#45221f",
    danger_border="#7a3a33",
    warning_bg="#3d321b",
    warning_border="#7a6330",
    info_bg="#1d2c3d",
    info_border="#35506e",
    success="#81c784",
    user_bubble="#332a20",
    code_bg="#2c2b29",
    code_head="#363431",
)

# A Japanese face after the system's UI font, so kana and kanji never fall back to a random font.
CJK_FALLBACKS = (
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Yu Gothic UI",
    "Meiryo UI",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "IPAexGothic",
)


class _Notifier(QObject):
    changed = Signal(str)  # "light" or "dark", after the new theme is in place


_state: dict[str, object] = {"mode": "system", "colors": LIGHT, "notifier": None, "following": False}


def notifier() -> _Notifier:
    """``notifier().changed`` fires after every theme change (icons re-tint on it)."""
    if _state["notifier"] is None:
        _state["notifier"] = _Notifier()
    return _state["notifier"]  # type: ignore[return-value]


def colors() -> Colors:
    """The colours of the theme in use."""
    return _state["colors"]  # type: ignore[return-value]


def is_dark() -> bool:
    return colors().name == "dark"


def system_is_dark() -> bool:
    """Whether the system asks for dark: its colour scheme, else the lightness of its own palette."""
    scheme = _system_scheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    app = QGuiApplication.instance()
    if app is None:
        return False
    # No scheme reported (older desktops): the platform theme's palette tells.
    platform = _state.get("system_palette")
    palette = platform if isinstance(platform, QPalette) else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _system_scheme() -> Qt.ColorScheme:
    """The colour scheme the platform reports (Unknown where it reports none, as under X11 or offscreen)."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() if hasattr(hints, "colorScheme") else Qt.ColorScheme.Unknown


def resolve(mode: str) -> Colors:
    if mode == "dark":
        return DARK
    if mode == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def ui_font(base: QFont | None = None) -> QFont:
    """The system's UI font at its size, with Japanese faces as fallbacks."""
    font = QFont(base) if base is not None else QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    installed = set(QFontDatabase.families())
    families = [font.family()] + [f for f in CJK_FALLBACKS if f in installed and f != font.family()]
    font.setFamilies(families)
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    return font


def font_of(size: int, bold: bool = False) -> QFont:
    """The UI font at a step of ``TypeScale`` (e.g. ``font_of(TypeScale.TITLE, bold=True)``)."""
    app = QApplication.instance()
    font = QFont(app.font()) if app is not None else ui_font()  # type: ignore[union-attr]
    font.setPointSizeF(max(8.0, font.pointSizeF() + size))
    font.setBold(bold)
    return font


def palette_for(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.surface),
        (role.AlternateBase, c.sidebar),
        (role.ToolTipBase, c.surface),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.muted),
        (role.Text, c.text),
        (role.Button, c.surface),
        (role.ButtonText, c.text),
        (role.BrightText, c.on_accent),
        (role.Highlight, c.accent),
        (role.HighlightedText, c.on_accent),
        (role.Link, c.accent),
        (role.LinkVisited, c.accent_hover),
        (role.Light, c.surface),
        (role.Midlight, c.border),
        (role.Mid, c.border),
        (role.Dark, c.muted),
        (role.Shadow, "#000000"),
    ):
        p.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(disabled, r, QColor(c.muted))
    p.setColor(disabled, role.Button, QColor(c.window))
    p.setColor(disabled, role.Highlight, QColor(c.border))
    return p


def apply_theme(mode: str = "system", app: QApplication | None = None) -> Colors:
    """Apply the theme for the setting ``mode`` to the whole application; returns its colours."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    mode = mode if mode in MODES else "system"
    _state["mode"] = mode
    if app is None:
        return resolve(mode)
    if "system_palette" not in _state:  # the platform's palette, before ours replaces it
        _state["system_palette"] = QPalette(app.palette())
        app.setStyle("Fusion")  # draws every platform alike and honours the palette fully
        app.setFont(ui_font(app.font()))
    c = resolve(mode)
    if _state.get("applied") == (id(app), c):
        return c  # unchanged: re-setting the app's style sheet re-polishes every widget there is
    _state["colors"] = c
    app.setPalette(palette_for(c))
    app.setStyleSheet(stylesheet(c))
    _state["applied"] = (id(app), c)
    _follow_system(app)
    notifier().changed.emit(c.name)
    return c


def _follow_system(app: QApplication) -> None:
    if _state["following"]:
        return
    hints = app.styleHints()
    if hasattr(hints, "colorSchemeChanged"):
        hints.colorSchemeChanged.connect(_system_scheme_changed)
        _state["following"] = True


def _system_scheme_changed(*_args: object) -> None:
    if _state["mode"] == "system" and resolve("system") is not colors():
        apply_theme("system")


def form_layout() -> QFormLayout:
    """A label/field form with room between the two columns (Qt's few pixels jam a long Japanese
    label such as コンテキスト長 against its field)."""
    form = QFormLayout()
    form.setHorizontalSpacing(Space.L)
    form.setVerticalSpacing(Space.S)
    return form


def set_role(widget: QWidget, role: str) -> QWidget:
    """Give a widget a look from the stylesheet: ``muted``, ``error``, ``heading``, ``title``,
    ``caption``, ``primary`` (a button), ``card`` (a frame), ``sidebar``. Returns the widget."""
    widget.setProperty("role", role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    return widget


def _check_image(color: str) -> str:
    """A tick in ``color`` as an SVG file for the check box indicator (a stylesheet needs a path)."""
    import tempfile
    from pathlib import Path

    svg = (Path(__file__).resolve().parent / "icons" / "check.svg").read_text(encoding="utf-8")
    folder = Path(tempfile.gettempdir()) / "tomoshibi-theme"
    path = folder / f"check-{color.lstrip('#')}.svg"
    try:
        if not path.is_file():
            folder.mkdir(exist_ok=True)
            path.write_text(
                svg.replace("currentColor", color).replace('stroke-width="2"', 'stroke-width="3"'),
                encoding="utf-8",
            )
    except OSError:  # no temp folder: the filled box alone still says "on"
        return ""
    return path.as_posix()


def stylesheet(c: Colors) -> str:
    """The application stylesheet for colours ``c``. Sizes are points relative to the body font."""
    app = QApplication.instance()
    body = app.font().pointSizeF() if app is not None else 10.0  # type: ignore[union-attr]

    def pt(step: int) -> str:
        return f"{max(8.0, body + step):.1f}pt"

    r, rs, s = RADIUS, RADIUS_S, Space
    return f"""
QToolTip {{ background: {c.surface}; color: {c.text}; border: 1px solid {c.border}; padding: 4px 6px; }}
QMainWindow::separator, QSplitter::handle {{ background: {c.border}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QStatusBar {{ color: {c.muted}; }}
QStatusBar::item {{ border: none; }}
QMenuBar {{ background: {c.window}; }}
QMenu {{ background: {c.surface}; border: 1px solid {c.border}; padding: 4px; }}
QMenu::item {{ padding: 5px 22px 5px 22px; border-radius: {rs - 2}px; }}
QMenu::item:selected {{ background: {c.selection}; color: {c.text}; }}
QMenu::separator {{ height: 1px; background: {c.border}; margin: 4px 8px; }}

QLabel[role="muted"], QCheckBox[role="muted"] {{ color: {c.muted}; }}
QLabel[role="caption"] {{ color: {c.muted}; font-size: {pt(TypeScale.CAPTION)}; }}
QLabel[role="error"] {{ color: {c.danger}; }}
QLabel[role="title"] {{ font-size: {pt(TypeScale.TITLE)}; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: {pt(TypeScale.HEADING)}; font-weight: 600; }}
QLabel[role="section"] {{ color: {c.muted}; font-size: {pt(TypeScale.CAPTION)}; font-weight: 600;
    padding-top: {s.S}px; }}

QPushButton {{ background: {c.surface}; color: {c.text}; border: 1px solid {c.border};
    border-radius: {rs}px; padding: 5px 12px; min-height: 18px; }}
QPushButton:hover {{ background: {c.hover}; }}
QPushButton:pressed {{ background: {c.selection}; }}
QPushButton:disabled {{ color: {c.muted}; background: {c.window}; }}
QPushButton:default, QPushButton[role="primary"] {{ background: {c.accent}; color: {c.on_accent};
    border: 1px solid {c.accent}; }}
QPushButton:default:hover, QPushButton[role="primary"]:hover {{ background: {c.accent_hover}; }}
QPushButton:default:disabled, QPushButton[role="primary"]:disabled {{ background: {c.border};
    border-color: {c.border}; color: {c.muted}; }}
QPushButton[role="danger"] {{ color: {c.danger}; }}
QPushButton::menu-indicator {{ subcontrol-position: right center; right: 6px; }}
QToolButton {{ border: 1px solid transparent; border-radius: {rs}px; padding: 3px; }}
QToolButton:hover {{ background: {c.hover}; }}
QToolButton:checked {{ background: {c.selection}; }}
QToolButton:disabled {{ color: {c.muted}; }}

QLineEdit, QPlainTextEdit, QTextEdit {{ background: {c.surface}; color: {c.text};
    border: 1px solid {c.border}; border-radius: {rs}px;
    selection-background-color: {c.accent}; selection-color: {c.on_accent}; }}
QLineEdit {{ padding: 4px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus {{ border: 1px solid {c.accent}; }}
QFrame#message_user QTextBrowser, QFrame#message_assistant QTextBrowser {{ border: none;
    background: transparent; padding: 0; }}
QCheckBox::indicator, QRadioButton::indicator {{ width: 14px; height: 14px; background: {c.surface};
    border: 1px solid {c.muted}; border-radius: 3px; }}
QRadioButton::indicator {{ border-radius: 8px; }}
QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background: {c.accent};
    border: 1px solid {c.accent}; }}
QCheckBox::indicator:checked {{ image: url({_check_image(c.on_accent)}); }}
QCheckBox::indicator:disabled, QRadioButton::indicator:disabled {{ border-color: {c.border}; }}
QStatusBar QLabel {{ padding-left: 6px; }}
QDialogButtonBox {{ dialogbuttonbox-buttons-have-icons: 0; }}

QListView, QTreeView, QTableView, QListWidget, QTreeWidget, QTableWidget {{ background: {c.surface};
    border: 1px solid {c.border}; border-radius: {rs}px; outline: none; }}
QListView::item, QTreeView::item {{ padding: 4px 6px; border-radius: {rs - 2}px; }}
QListView::item:hover, QTreeView::item:hover {{ background: {c.hover}; }}
QListView::item:selected, QTreeView::item:selected {{ background: {c.selection}; color: {c.text}; }}
QHeaderView::section {{ background: {c.window}; color: {c.muted}; border: none;
    border-bottom: 1px solid {c.border}; padding: 4px 6px; }}

QGroupBox {{ border: 1px solid {c.border}; border-radius: {r}px; margin-top: 14px; padding-top: 6px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {c.muted}; }}
QTabWidget::pane {{ border: 1px solid {c.border}; border-radius: {rs}px; top: -1px; }}
QTabBar::tab {{ padding: 6px 14px; border: none; color: {c.muted}; }}
QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}
QProgressBar {{ border: 1px solid {c.border}; border-radius: {rs}px; background: {c.window};
    text-align: center; min-height: 14px; }}
QProgressBar::chunk {{ background: {c.accent}; border-radius: {rs - 1}px; }}

QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle {{ background: {c.border}; border-radius: 4px; min-height: 24px; min-width: 24px;
    margin: 2px; }}
QScrollBar::handle:hover {{ background: {c.muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}

QWidget#sidebar, QWidget#advanced_sheet {{ background: {c.sidebar}; }}
QFrame#header_bar {{ background: {c.window}; border-bottom: 1px solid {c.border}; }}
QWidget#advanced_sheet QGroupBox {{ background: {c.surface}; }}
QWidget#sidebar QListView {{ background: transparent; border: none; }}
QFrame[role="card"] {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: {r}px; }}
QToolButton[role="card"] {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: {r}px;
    padding: {s.M}px; text-align: left; }}
QToolButton[role="card"]:hover {{ border-color: {c.accent}; }}
QToolButton[role="card"]:checked {{ background: {c.selection}; border: 2px solid {c.accent}; }}
QToolButton[role="card"]:disabled {{ color: {c.muted}; background: {c.window}; }}

QFrame#banner {{ border-radius: {rs}px; }}
QFrame#banner[kind="crash"] {{ background: {c.danger_bg}; border: 1px solid {c.danger_border}; }}
QFrame#banner[kind="error"] {{ background: {c.warning_bg}; border: 1px solid {c.warning_border}; }}
QFrame#banner[kind="info"] {{ background: {c.info_bg}; border: 1px solid {c.info_border}; }}

QFrame#message_user {{ background: {c.user_bubble}; border: 1px solid {c.border}; border-radius: {r}px; }}
QFrame#message_assistant {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: {r}px; }}
QLabel#role {{ font-weight: 600; color: {c.accent}; }}
QLabel#stats {{ color: {c.muted}; font-size: {pt(TypeScale.CAPTION)}; }}
QLabel#empty {{ color: {c.muted}; font-size: {pt(TypeScale.TITLE)}; padding: 40px; }}
QLabel#sources_summary {{ color: {c.accent}; font-size: {pt(TypeScale.CAPTION)}; }}
QLabel#sources_list {{ font-size: {pt(TypeScale.CAPTION)}; }}
QLabel#passage {{ background: {c.code_bg}; border-left: 3px solid {c.border}; padding: 6px;
    font-size: {pt(TypeScale.CAPTION)}; }}
"""
