"""Model › Other computers' models: the models of the servers set in Settings › Other computers.

Listed each time the menu opens, off the GUI thread (each server is asked over the network); choosing
one loads it like a local model (a ``remote://`` path). The same list feeds the chat header's model
picker through ``RemotePickerModels``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QMenu, QWidget

from .i18n import RetranslateOnLanguageChange
from .threads import start_worker


class _Lister(QObject):
    done = Signal(object, object)  # list[RemoteModel], list[str]
    failed = Signal(str)

    @Slot()
    def run(self) -> None:
        try:
            from models.other_computers import remote_models

            self.done.emit(*remote_models())
        except Exception as error:  # noqa: BLE001 - shown in the menu, never a traceback
            self.failed.emit(str(error))


class RemotePickerModels:
    """The picker's provider of other computers' models: the last list the menu's lister brought back
    (the picker is filled on the GUI thread and must never wait on the network)."""

    def __init__(self) -> None:
        self.models: list[Any] = []

    def entries(self) -> list[Any]:
        from .model_picker import PickerEntry

        return [PickerEntry(m.path, m.label, "remote") for m in self.models]


class RemoteModelsMenu(RetranslateOnLanguageChange, QMenu):
    chosen = Signal(str)  # the remote:// path to load
    listed = Signal(list)  # list[RemoteModel], each time the servers have been asked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thread: Any = None
        self._worker: _Lister | None = None
        self._models: list[Any] = []
        self._problems: list[str] = []
        self._listing = False
        self.aboutToShow.connect(self.refresh)
        self.retranslate()

    def refresh(self) -> None:
        if self._listing:
            return
        self._listing = True
        self._fill()
        self._worker = _Lister()
        self._thread = start_worker(
            self, self._worker, done=self._listed, failed=lambda m: self._listed([], [m])
        )

    def _listed(self, models: list[Any], problems: list[str]) -> None:
        self._models, self._problems, self._listing = list(models), list(problems), False
        self._fill()
        self.listed.emit(self._models)

    def _fill(self) -> None:
        self.clear()
        if self._listing:
            self.addAction(self.tr("Looking for models…")).setEnabled(False)
        for model in self._models:
            action = self.addAction(model.label)
            action.triggered.connect(lambda _=False, path=model.path: self.chosen.emit(path))
        for problem in self._problems:
            self.addAction(self.tr("Not answering: %1").replace("%1", problem.split(":")[0])).setEnabled(
                False
            )
        if not self._listing and not self._models and not self._problems:
            self.addAction(self.tr("None yet: add a server in Settings › Other computers")).setEnabled(False)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Other computers' models"))
        self._fill()
