"""UI translations: Qt .ts sources compiled to .qm (ja, en), chosen from the system locale or settings.

Switching language installs another QTranslator; Qt then sends every widget a LanguageChange event
and each widget re-applies its texts in ``retranslate()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

HERE = Path(__file__).resolve().parent
LANGUAGES = ("ja", "en")
_installed: list[QTranslator] = []


class RetranslateOnLanguageChange:
    """Mixin for a widget with a ``retranslate()`` method: Qt's LanguageChange event re-applies its
    texts. List it before the Qt base class (``class Panel(RetranslateOnLanguageChange, QWidget)``)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()  # type: ignore[attr-defined]
        super().changeEvent(event)  # type: ignore[misc]


def resolve(language: str) -> str:
    """``system`` becomes ``ja`` or ``en`` from the system locale; anything else falls back to English."""
    if language in LANGUAGES:
        return language
    names = [QLocale.system().name(), *QLocale.system().uiLanguages()]
    return "ja" if any(n.lower().startswith("ja") for n in names) else "en"


def qm_path(language: str) -> Path:
    return HERE / f"tomoshibi_{language}.qm"


def apply_language(language: str) -> str:
    """Install the translators for ``language`` (``system``, ``ja`` or ``en``); returns the one used."""
    app = QCoreApplication.instance()
    chosen = resolve(language)
    if app is None:
        return chosen
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    ours = QTranslator(app)
    if ours.load(str(qm_path(chosen))):
        _installed.append(ours)
    # Qt's own strings (standard dialog buttons, context menus of text fields).
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if chosen != "en" and qtbase.load(f"qtbase_{chosen}", qt_dir):
        _installed.append(qtbase)
    for translator in _installed:
        app.installTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if chosen == "ja" else QLocale.Language.English))
    return chosen
