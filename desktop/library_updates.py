"""Updates in the model library: a quiet background check, and the status line under the catalog.

When the library opens, installed catalog models that were downloaded from the hub are checked on a
thread (``models.updates``), at most once a day unless the user presses "Check for updates"; the
result is kept in ``library.json`` (``library_prefs``) so the cards say Update without asking the hub again that day.
Nothing is checked when nothing was downloaded, and nothing at first run or from the welcome (only the
library window starts a check). Offline or a hub error: no Update, no dialog, one line saying so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, QLocale, QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from models.catalog import CatalogEntry
from models.updates import Update, UpdateCheck, check_updates, installed_sha256

from .i18n import RetranslateOnLanguageChange
from .library_prefs import set_value, value
from .library_state import Installed
from .threads import run_call

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(days=1)


def _saved() -> UpdateCheck | None:
    raw = value("updates")
    return UpdateCheck.from_json(raw) if isinstance(raw, dict) and raw.get("checked_at") else None


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp)
    except ValueError:
        return None


class UpdateChecker(QObject):
    """Which installed catalog models have a newer file on the hub. ``changed`` after every change."""

    changed = Signal()

    def __init__(
        self, entries: Sequence[CatalogEntry], installed: Installed, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.entries = tuple(entries)
        self.installed = installed
        saved = _saved()
        self.updates: dict[str, Update] = dict(saved.updates) if saved else {}
        self.checked_at: datetime | None = _parse(saved.checked_at) if saved else None
        self.checking = False
        self.unreachable = False  # the last check could not ask the hub

    def _candidates(self) -> dict[str, str]:
        """Installed catalog models that we downloaded (they have a sidecar with their sha256)."""
        by_id = {e.id: e for e in self.entries}
        return {
            entry_id: path
            for entry_id, path in self.installed.paths.items()
            if entry_id in by_id
            and by_id[entry_id].downloadable
            and by_id[entry_id].kind in ("chat", "embedding")
            and installed_sha256(self.installed.path_of(entry_id)) is not None  # type: ignore[arg-type]
        }

    def due(self) -> bool:
        return self.checked_at is None or datetime.now(UTC) - self.checked_at >= CHECK_EVERY

    def check(self, force: bool = False) -> bool:
        """Start a check on a thread (when due, or ``force``); False when none was started."""
        if self.checking or not (force or self.due()):
            return False
        paths = self._candidates()
        if not paths:
            return False
        self.checking = True
        self.changed.emit()
        run_call(lambda: check_updates(self.entries, paths), done=self._done, failed=self._failed,
                 name="tomoshibi-update-check")  # fmt: skip
        return True

    def _done(self, result: UpdateCheck) -> None:
        self.checking = False
        self.unreachable = not result.reached
        if result.reached:
            self.updates = dict(result.updates)
            self.checked_at = _parse(result.checked_at)
            self._save(result)
        self._emit()

    def _failed(self, message: str) -> None:
        log.info("Update check failed: %s", message)  # a bug in the check must not bother the user
        self.checking = False
        self.unreachable = True
        self._emit()

    def _emit(self) -> None:
        try:
            self.changed.emit()
        except RuntimeError:  # the library window was closed and deleted meanwhile
            pass

    def _save(self, result: UpdateCheck) -> None:
        set_value("updates", result.to_json())

    def has_update(self, entry_id: str) -> bool:
        update = self.updates.get(entry_id)
        path = self.installed.paths.get(entry_id)
        return update is not None and path == update.path

    def forget(self, entry_id: str) -> None:
        """The update was installed."""
        if self.updates.pop(entry_id, None) is not None:
            self._save(
                UpdateCheck(self.updates, True, self.checked_at.isoformat() if self.checked_at else "")
            )
            self.changed.emit()


class UpdateBar(RetranslateOnLanguageChange, QWidget):
    """The catalog's footer: when updates were last checked, and a button to check now."""

    def __init__(self, checker: UpdateChecker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checker = checker
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setObjectName("update_status")
        self.button = QPushButton()
        self.button.clicked.connect(self._check)
        layout.addWidget(self.status, 1)
        layout.addWidget(self.button)
        checker.changed.connect(self.retranslate)
        self.retranslate()

    def _check(self) -> None:
        if not self.checker.check(force=True) and not self.checker.checking:
            self.status.setText(self.tr("No downloaded models to check for updates."))

    def retranslate(self) -> None:
        c = self.checker
        self.button.setText(self.tr("Check for updates"))
        self.button.setEnabled(not c.checking)
        when = ""
        if c.checked_at is not None:
            local = QDateTime.fromSecsSinceEpoch(int(c.checked_at.timestamp()))
            when = QLocale().toString(local, QLocale.FormatType.ShortFormat)
        # Whole sentences per case: Japanese joins sentences without the space English puts between.
        if c.checking:
            text = self.tr("Checking for updates…")
        elif c.unreachable and when:
            text = self.tr("Could not reach the model hub to check for updates (last checked: %1).").replace(
                "%1", when
            )
        elif c.unreachable:
            text = self.tr("Could not reach the model hub to check for updates.")
        elif when and c.updates:
            text = self.tr("Checked for updates on %1: %n update(s) available.", "", len(c.updates)).replace(
                "%1", when
            )
        elif when:
            text = self.tr("Checked for updates on %1: your downloaded models are current.").replace(
                "%1", when
            )
        else:
            text = ""
        self.status.setText(text)
        self.status.setToolTip(
            self.tr(
                "Downloaded models are compared with the model hub at most once a day, when the library opens."
            )
        )
