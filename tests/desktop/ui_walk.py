"""Walking a window's widgets for the look tests: the texts a person sees, and widgets that stick out of
their parents (clipped or overlapping)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

# Words that stay in English in a Japanese UI: names of models, formats, products, units, keys.
ALLOWED = (
    "Hugging Face",
    "HuggingFaceTB/SmolLM2-360M-Instruct",
    "SmolLM2-135M-Instruct",
    "Apache License 2.0",
    "MIT License",
    "Whisper base",
    "Apple",
    "OpenAI",
    "Top P",
    "Top K",
    "Shift+Enter",
    "Ctrl+Shift",
)
_TAGS = re.compile(r"<[^>]+>")
# Three or more English words in a row is a sentence (or a phrase) someone forgot to translate.
_ENGLISH = re.compile(r"[A-Za-z][a-z']+(?:[ ,][A-Za-z][a-z']+){2,}")


def english_sentences(text: str) -> list[str]:
    plain = _TAGS.sub(" ", text).replace("&", "")
    for allowed in ALLOWED:
        plain = plain.replace(allowed, " ")
    return _ENGLISH.findall(plain)


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def visible_texts(root: QWidget) -> Iterator[tuple[QWidget, str]]:
    """(widget, text) for every text a person can see in ``root`` now (titles, labels, buttons,
    placeholders, tabs, combo items, tree headers, menu entries)."""
    yield root, root.windowTitle()
    for widget in [root, *root.findChildren(QWidget)]:
        if not shown(widget):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            yield widget, widget.text()
        if isinstance(widget, QGroupBox):
            yield widget, widget.title()
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield widget, widget.placeholderText()
        if isinstance(widget, QLineEdit) and widget.isReadOnly():
            yield widget, widget.text()
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield widget, widget.tabText(i)
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield widget, widget.itemText(i)
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            for i in range(header.columnCount()):
                yield widget, header.text(i)
        if isinstance(widget, QMenu):
            for action in widget.actions():
                yield widget, action.text()
    menu_bar = getattr(root, "menuBar", None)
    if callable(menu_bar) and root.findChildren(QMenu):
        for action in root.menuBar().actions():  # type: ignore[attr-defined]
            yield root, action.text()
            if action.menu() is not None:
                for sub in action.menu().actions():
                    yield action.menu(), sub.text()


def example_prompt(widget: QWidget) -> bool:
    """The welcome's example prompts are English on purpose when the model only speaks English (a
    label above them says so): they are text for the model, not the UI's words."""
    parent = widget.parentWidget()
    while parent is not None:
        if widget in getattr(parent, "prompt_buttons", ()):
            return True
        parent = parent.parentWidget()
    return False


def english_in(root: QWidget) -> list[str]:
    found = []
    for widget, text in visible_texts(root):
        if example_prompt(widget):
            continue
        for sentence in english_sentences(text or ""):
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {sentence!r} in {text!r}")
    return found


def sticking_out(root: QWidget) -> list[str]:
    """Visible widgets whose rectangle leaves their parent's (a scroll area's content may be larger
    than its viewport; that is scrolling, not clipping)."""
    problems = []
    for widget in root.findChildren(QWidget):
        parent = widget.parentWidget()
        if not shown(widget) or parent is None or widget.isWindow():
            continue
        if (
            isinstance(parent.parentWidget(), QAbstractScrollArea)
            and parent is parent.parentWidget().viewport()
        ):  # type: ignore[union-attr]
            continue
        inside = QRect(0, 0, parent.width(), parent.height())
        if not inside.contains(widget.geometry()):
            problems.append(
                f"{type(widget).__name__} {widget.objectName()!r} {widget.geometry().getRect()} "
                f"outside {type(parent).__name__} {parent.objectName()!r} {inside.getRect()}"
            )
    return problems


def squeezed(root: QWidget) -> list[str]:
    """Visible labels and buttons smaller than their minimum size hint: their text is cut off."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not shown(widget) or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
            continue
        hint = widget.minimumSizeHint()
        if widget.width() + 1 < hint.width():
            problems.append(
                f"{type(widget).__name__} {widget.text()!r}: {widget.width()} < {hint.width()} px"
            )
    return problems
