"""The download list: a Qt face for ``models.downloads.DownloadQueue``.

``Downloads`` lives as long as the app (the main window owns it), so closing the library window does
not stop a download; ``DownloadsView`` shows its jobs with progress, speed, time left, pause/resume
and cancel. Failures are explained in the UI language from the job's ``reason``.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.catalog import CatalogEntry
from models.downloads import DownloadQueue, Job
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange


def reason_text(reason: str | None) -> str:
    """What a failed download's reason means for the user, and what to do, in the UI language."""
    texts = {
        "offline": QCoreApplication.translate("Library", "You are offline: the model hub cannot be reached. Check the internet connection and press Retry; the download continues where it stopped."),
        "gated": QCoreApplication.translate("Library", "The hub only gives this model to signed-in users who accepted its licence on the model's page. Accept it there, sign in with an access token, then press Retry."),
        "missing_repo": QCoreApplication.translate("Library", "This model is no longer on the hub (the repository was removed or renamed). Choose another model."),
        "missing_file": QCoreApplication.translate("Library", "The hub has no file of this model in the expected size. Choose another model, or pick a file in Search the hub."),
        "disk": QCoreApplication.translate("Library", "Not enough free disk space for this model. Delete models you no longer use (Installed), then press Retry."),
        "corrupt": QCoreApplication.translate("Library", "The downloaded file was damaged (its checksum did not match) and was deleted. Press Retry to download it again."),
        "interrupted": QCoreApplication.translate("Library", "The connection dropped several times. Press Retry: the download continues where it stopped."),
        "in_use": QCoreApplication.translate("Library", "The new version is downloaded and verified, but the old file is in use by the loaded model. Load another model, then press Retry to put the new one in place."),
    }  # fmt: skip
    return texts.get(
        reason or "",
        QCoreApplication.translate(
            "Library", "The download failed. Press Retry; if it fails again, try later."
        ),
    )


def format_eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 60:
        return QCoreApplication.translate("Library", "%1 s left").replace("%1", str(max(1, round(seconds))))
    if seconds < 3600:
        return QCoreApplication.translate("Library", "%1 min left").replace("%1", str(round(seconds / 60)))
    return (
        QCoreApplication.translate("Library", "%1 h %2 min left")
        .replace("%1", str(int(seconds // 3600)))
        .replace("%2", str(round(seconds % 3600 / 60)))
    )


def progress_text(job: Job) -> str:
    """ "43 % · 1.2 GB of 2.5 GB · 12 MB/s · 2 min left" (the parts that are known)."""
    parts = []
    if job.total:
        parts.append(f"{round(100 * job.downloaded / job.total)} %")
        parts.append(
            QCoreApplication.translate("Library", "%1 of %2")
            .replace("%1", format_bytes(job.downloaded))
            .replace("%2", format_bytes(job.total))
        )
    elif job.downloaded:
        parts.append(format_bytes(job.downloaded))
    if job.state == "running" and job.speed > 0:
        parts.append(f"{format_bytes(job.speed)}/s")
        if job.eta is not None:
            parts.append(format_eta(job.eta))
    return " · ".join(parts)


class Downloads(QObject):
    """The app's downloads. ``changed`` arrives on the GUI thread for every job update."""

    changed = Signal(object)  # Job
    finished = Signal(object)  # Job, state "done"

    def __init__(self, entries: Sequence[CatalogEntry] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue = DownloadQueue(entries, on_change=self._from_thread)
        self.shown: dict[str, Job] = {}  # each job as the GUI last heard of it
        self._relay.connect(self._on_change, Qt.ConnectionType.QueuedConnection)

    _relay = Signal(object)

    def _from_thread(self, job: Job) -> None:
        self._relay.emit(job)  # queued: the slot runs on the GUI thread

    def _on_change(self, job: Job) -> None:
        self.shown[job.id] = job
        self.changed.emit(job)
        if job.state == "done":
            self.finished.emit(job)

    def job_for(self, entry_id: str) -> Job | None:
        return self.queue.get(entry_id)

    def shutdown(self) -> None:
        self.queue.shutdown()


class JobRow(QFrame):
    removed = Signal(str)  # job id: the user took a finished or cancelled download off the list

    def __init__(self, job: Job, downloads: Downloads) -> None:
        super().__init__()
        self.job_id = job.id
        self.downloads = downloads
        self.setObjectName("download_row")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.name = QLabel()
        self.name.setStyleSheet("font-weight: 600")
        self.pause_button, self.cancel_button = QPushButton(), QPushButton()
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.cancel_button.clicked.connect(self._cancel)
        top.addWidget(self.name, 1)
        top.addWidget(self.pause_button)
        top.addWidget(self.cancel_button)
        layout.addLayout(top)
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        layout.addWidget(self.bar)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.update_job(job)

    def update_job(self, job: Job) -> None:
        self.job = job
        self.name.setText(
            QCoreApplication.translate("Library", "Update: %1").replace("%1", job.label)
            if job.replace
            else job.label
        )
        if job.fraction is not None:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * min(job.fraction, 1.0)))
        else:
            self.bar.setRange(0, 0 if job.state == "running" else 1)
        self.bar.setVisible(job.state not in ("done", "failed"))
        self.status.setToolTip(job.detail)
        if job.state == "failed":
            self.status.setText(reason_text(job.reason))
            self.status.setStyleSheet("color: #c0392b")
        else:
            self.status.setStyleSheet("")
            texts = {
                "queued": QCoreApplication.translate("Library", "Starting…"),
                "paused": QCoreApplication.translate("Library", "Paused")
                + ("  ·  " + progress_text(job) if job.downloaded else ""),
                "done": QCoreApplication.translate(
                    "Library", "Downloaded. It is in Installed and in the chat's model list."
                ),
                "cancelled": QCoreApplication.translate("Library", "Cancelled"),
            }
            if job.replace:  # an update: say what happened to the installed version
                texts["done"] = QCoreApplication.translate(
                    "Library",
                    "Updated: the new version replaced the old one after its checksum was verified.",
                )
                texts["cancelled"] = QCoreApplication.translate(
                    "Library", "Update cancelled: the installed version is unchanged."
                )
            self.status.setText(
                texts.get(
                    job.state, progress_text(job) or QCoreApplication.translate("Library", "Connecting…")
                )
            )
        active = job.state in ("queued", "running")
        self.pause_button.setText(
            QCoreApplication.translate("Library", "Pause")
            if active
            else (
                QCoreApplication.translate("Library", "Retry")
                if job.state == "failed"
                else QCoreApplication.translate("Library", "Resume")
            )
        )
        self.pause_button.setVisible(job.state not in ("done", "cancelled"))
        self.cancel_button.setText(
            QCoreApplication.translate("Library", "Cancel")
            if job.state not in ("done", "cancelled", "failed")
            else QCoreApplication.translate("Library", "Remove")
        )

    def _pause_or_resume(self) -> None:
        if self.job.state in ("queued", "running"):
            self.downloads.queue.pause(self.job_id)
        else:
            self.downloads.queue.resume(self.job_id)

    def _cancel(self) -> None:
        if self.job.state in ("done", "cancelled", "failed"):
            if self.job.state == "failed":
                self.downloads.queue.cancel(self.job_id)  # a failed download's partial file goes too
            self.downloads.queue.remove(self.job_id)
            self.removed.emit(self.job_id)
        else:
            self.downloads.queue.cancel(self.job_id)


class DownloadsView(RetranslateOnLanguageChange, QWidget):
    """Every download of this session and the unfinished ones of earlier sessions."""

    def __init__(self, downloads: Downloads, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.downloads = downloads
        self.rows: dict[str, JobRow] = {}
        outer = QVBoxLayout(self)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.list = QVBoxLayout(inner)
        self.list.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        for job in downloads.queue.jobs():
            self._show(job)
        downloads.changed.connect(self._show)
        self.retranslate()

    def _show(self, job: Job) -> None:
        row = self.rows.get(job.id)
        if row is None:
            if job.state == "cancelled":
                return
            row = JobRow(job, self.downloads)
            row.removed.connect(self._remove)
            self.rows[job.id] = row
            self.list.insertWidget(0, row)
        row.update_job(job)
        self._update_empty()

    def _remove(self, job_id: str) -> None:
        row = self.rows.pop(job_id, None)
        if row is not None:
            row.hide()
            row.deleteLater()
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self.rows)

    def retranslate(self) -> None:
        self.empty.setText(
            self.tr("No downloads. Models you download from the catalog or the hub appear here.")
        )
        for row in self.rows.values():
            row.update_job(row.job)
