"""The main window's menu bar: File, Model, Tools, View and Help, with the shortcuts a Mac or Windows
user expects. The actions live on the window (``window.new_action`` …) so the header bar, tests and
other modules reach them there; their texts keep the "MainWindow" translation context they always had."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence

from .help_menu import HelpMenu

if TYPE_CHECKING:
    from .main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """Create the menus and their actions on ``window`` (texts come from ``retranslate_menus``)."""
    bar = window.menuBar()
    window.file_menu = bar.addMenu("")
    window.model_menu = bar.addMenu("")
    window.new_action = QAction(window)
    window.new_action.setShortcut(QKeySequence.StandardKey.New)
    window.new_action.triggered.connect(window.new_chat)
    window.settings_action = QAction(window)
    window.settings_action.setShortcut(QKeySequence("Ctrl+,"))  # Cmd+, on a Mac
    window.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    window.settings_action.triggered.connect(window.open_settings)
    window.quit_action = QAction(window)
    window.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    window.quit_action.triggered.connect(window.close)
    window.documents_action = QAction(window)
    window.documents_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
    window.documents_action.triggered.connect(window.open_documents)
    window.file_menu.addAction(window.new_action)
    window.file_menu.addAction(window.documents_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.settings_action)
    window.file_menu.addSeparator()
    window.file_menu.addAction(window.quit_action)
    window.models_action = QAction(window)
    window.models_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
    window.models_action.triggered.connect(lambda: window.library.open("catalog"))
    window.installed_action = QAction(window)
    window.installed_action.triggered.connect(window.open_model_manager)
    window.convert_action = QAction(window)
    window.convert_action.triggered.connect(window.open_conversion_wizard)
    window.reload_action = QAction(window)
    window.reload_action.triggered.connect(window.reload_model)
    window.stop_action = QAction(window)
    window.stop_action.triggered.connect(window.controller.stop)
    window.model_menu.addAction(window.models_action)
    window.model_menu.addAction(window.installed_action)
    window.model_menu.addAction(window.convert_action)
    window.model_menu.addAction(window.reload_action)
    window.model_menu.addAction(window.stop_action)
    from .remote_models_menu import RemoteModelsMenu  # models on other computers' servers

    window.remote_models_menu = RemoteModelsMenu(window)
    window.remote_models_menu.chosen.connect(window._load_chosen)
    window.model_menu.addMenu(window.remote_models_menu)
    window._offer_remote_models_in_picker()
    window.tools_menu = bar.addMenu("")
    window.presets_action = QAction(window)
    window.presets_action.triggered.connect(window.open_presets)
    window.evaluation_action = QAction(window)
    window.evaluation_action.triggered.connect(window.open_evaluation)
    window.api_action = QAction(window)
    window.api_action.setCheckable(True)
    window.api_action.triggered.connect(
        lambda: window.api_section.toggle.checkbox.setChecked(window.api_action.isChecked())
    )
    toggle = window.api_section.toggle
    toggle.checkbox.toggled.connect(window.api_action.setChecked)
    # A refused start unticks the box without a toggled signal: the menu follows the outcome too.
    for signal in (toggle.started, toggle.stopped, toggle.failed):
        signal.connect(lambda *_: window.api_action.setChecked(toggle.checkbox.isChecked()))
    window.tools_menu.addAction(window.presets_action)
    window.tools_menu.addAction(window.evaluation_action)
    window.tools_menu.addSeparator()
    window.tools_menu.addAction(window.api_action)
    window.view_menu = bar.addMenu("")
    window.sidebar_action = QAction(window)
    window.sidebar_action.setCheckable(True)
    window.sidebar_action.setChecked(True)
    window.sidebar_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
    window.sidebar_action.toggled.connect(window.header.sidebar_button.setChecked)
    window.header.sidebar_button.toggled.connect(window.sidebar_action.setChecked)
    window.advanced_action = QAction(window)
    window.advanced_action.setCheckable(True)
    window.advanced_action.setShortcut(QKeySequence("Ctrl+Shift+A"))
    window.advanced_action.toggled.connect(window.header.sheet_button.setChecked)
    window.header.sheet_button.toggled.connect(window.advanced_action.setChecked)
    window.view_menu.addAction(window.sidebar_action)
    window.view_menu.addAction(window.advanced_action)
    window.help_menu = HelpMenu(window)
    bar.addMenu(window.help_menu)


def retranslate_menus(window: MainWindow) -> None:
    """The menus' texts in the current language."""
    window.view_menu.setTitle(QCoreApplication.translate("MainWindow", "&View"))
    window.sidebar_action.setText(QCoreApplication.translate("MainWindow", "Conversation list"))
    window.advanced_action.setText(QCoreApplication.translate("MainWindow", "Advanced settings"))
    window.file_menu.setTitle(QCoreApplication.translate("MainWindow", "&File"))
    window.model_menu.setTitle(QCoreApplication.translate("MainWindow", "&Model"))
    window.new_action.setText(QCoreApplication.translate("MainWindow", "New chat"))
    window.documents_action.setText(QCoreApplication.translate("MainWindow", "Documents…"))
    window.settings_action.setText(QCoreApplication.translate("MainWindow", "Settings…"))
    window.quit_action.setText(QCoreApplication.translate("MainWindow", "Quit Tomoshibi"))
    window.models_action.setText(QCoreApplication.translate("MainWindow", "Model library…"))
    window.installed_action.setText(QCoreApplication.translate("MainWindow", "Installed models…"))
    window.convert_action.setText(QCoreApplication.translate("MainWindow", "Convert a model…"))
    window.reload_action.setText(QCoreApplication.translate("MainWindow", "Reload model"))
    window.stop_action.setText(QCoreApplication.translate("MainWindow", "Stop generating"))
    window.tools_menu.setTitle(QCoreApplication.translate("MainWindow", "&Tools"))
    window.presets_action.setText(QCoreApplication.translate("MainWindow", "Prompt presets…"))
    window.evaluation_action.setText(QCoreApplication.translate("MainWindow", "Evaluate models…"))
    window.api_action.setText(QCoreApplication.translate("MainWindow", "Local API server"))
