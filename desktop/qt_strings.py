"""Strings of Qt's own dialogs that Qt's Japanese translation (qtbase_ja.qm) lacks, so that they are
translated by ours: listed here for lupdate; i18n.apply_language installs our translator, which Qt
asks too. (The non-native file dialog showed "Look in" and "Files of type" in English.)"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

QT_STRINGS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of type:"),
)
