"""The last pages of the conversion wizard: a summary with the Start button, progress with the time
left and Cancel, and the result in plain words (the technical report under Details)."""

from __future__ import annotations

import shutil
from typing import Any

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from models.paths import models_dir
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .theme import Space, form_layout, set_role
from .wizard_choices import disk_needed


def wait_for(thread: QThread | None) -> None:
    from PySide6.QtCore import QCoreApplication

    while thread is not None and thread.isRunning():
        QCoreApplication.processEvents()
        thread.wait(20)


def _label(role: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    if role:
        set_role(label, role)
    return label


class SummaryPage(RetranslateOnLanguageChange, QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.M)
        self.intro = _label()
        form = form_layout()
        form.setHorizontalSpacing(Space.L)
        self.values = {key: _label() for key in ("model", "device", "size", "memory", "disk")}
        self.output = QLineEdit()
        self.captions = {key: QLabel() for key in (*self.values, "output")}
        for key, value in self.values.items():
            form.addRow(self.captions[key], value)
        form.addRow(self.captions["output"], self.output)
        self.warning = _label("error")
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addStretch(1)
        self.output.textChanged.connect(self.completeChanged)
        self._needed = 0
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Start"))
        wizard: Any = self.wizard()
        detected = wizard.detected
        choice = wizard.quality_page.chosen()
        name = detected.get("name") or "model"
        quant = wizard.quality_page.chosen_quant()
        self.output.setText(f"{name}.{quant}.gguf")
        shape = detected.get("shape")
        out_bytes = choice.bytes if choice else 0
        self._needed = disk_needed(shape.n_params if shape else 0, out_bytes, detected.get("folder") is None)
        free = _free_disk()
        self.values["model"].setText(name)
        self.values["device"].setText(wizard.device_page.device_title(wizard.device_page.device()))
        tier = next((t for t, c in wizard.quality_page.cards.items() if c.isChecked()), "")
        tier_words = {
            "smallest": self.tr("Smallest"),
            "balanced": self.tr("Balanced"),
            "best": self.tr("Best quality"),
        }.get(tier, quant)
        self.values["size"].setText(f"{tier_words} ({quant})")
        self.values["memory"].setText(
            self.tr("about %1").replace("%1", format_bytes(out_bytes)) if choice else "—"
        )
        self.values["disk"].setText(
            self.tr("about %1 needed while converting, %2 free")
            .replace("%1", format_bytes(self._needed))
            .replace("%2", format_bytes(free) if free is not None else "?")
        )
        problems = []
        if choice is not None and not choice.fits:
            problems.append(self.tr("This size is too big for the chosen device; it may not load there."))
        if free is not None and free < self._needed:
            problems.append(self.tr("There is not enough free disk space. Free some space first."))
        if detected.get("folder") is None:
            problems.append(self.tr("The model is downloaded first; this needs an internet connection."))
        self.warning.setText("\n".join(problems))

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.output.text().strip())

    def retranslate(self) -> None:
        self.setTitle(self.tr("Ready to convert"))
        self.intro.setText(self.tr("Check the choices, then press Start. You can cancel at any time."))
        captions = {
            "model": self.tr("Model"),
            "device": self.tr("Device"),
            "size": self.tr("Size"),
            "memory": self.tr("Memory while chatting"),
            "disk": self.tr("Disk"),
            "output": self.tr("File name"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)


def _free_disk() -> int | None:
    folder = models_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return shutil.disk_usage(folder).free
    except OSError:
        return None


class ProgressPage(RetranslateOnLanguageChange, QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.M)
        self.stage = set_role(QLabel(), "title")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.eta = set_role(QLabel(), "muted")
        self.error = _label("error")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = QPushButton()
        self.cancel_button.setIcon(icon("close"))
        # Not the page's default button: Enter must not cancel a conversion (and it looked primary).
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.eta)
        layout.addWidget(self.error)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.report: Any = None
        self._job: Any = None  # conversion_job.ConversionJob
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        wizard: Any = self.wizard()
        self.report = None
        self.error.clear()
        self.setTitle(self.tr("Converting"))
        self.bar.setValue(0)
        self.bar.show()
        self.eta.clear()
        self.stage.setText(self.tr("Starting…"))
        self.cancel_button.show()
        out = models_dir() / wizard.summary_page.output.text().strip()
        self.cancel_button.setEnabled(True)
        self._job = wizard.start_conversion(
            out, done=self._done, failed=self._failed, progress=self._progress
        )
        # No Back while converting: the job would go on behind the earlier pages and Next would start
        # a second one. QWizard enables Back after this method returns, hence the deferred call;
        # a failure re-enables it (Back then changes the choices and tries again).
        QTimer.singleShot(0, lambda: self._back_enabled(False))

    def _back_enabled(self, enabled: bool) -> None:
        wizard = self.wizard()
        if wizard is not None and wizard.currentPage() is self:
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(enabled)

    def _progress(self, p: Any) -> None:
        stages = {
            "download": self.tr("Downloading the model…"),
            "convert": self.tr("Converting…"),
            "quantize": self.tr("Making it smaller…"),
            "validate": self.tr("Checking that it works…"),
            "done": self.tr("Done"),
        }
        self.stage.setText(stages.get(p.stage, self.tr("Working…")))
        self.bar.setValue(int(p.fraction * 1000))
        if p.eta_seconds is not None:
            self.eta.setText(self.tr("About %1 left").replace("%1", self.duration(p.eta_seconds)))

    def duration(self, seconds: float) -> str:
        if seconds < 60:
            return self.tr("%1 s").replace("%1", f"{max(1, round(seconds))}")
        if seconds < 3600:
            return self.tr("%1 min").replace("%1", f"{round(seconds / 60)}")
        return (
            self.tr("%1 h %2 min")
            .replace("%1", f"{int(seconds // 3600)}")
            .replace("%2", f"{round(seconds % 3600 / 60)}")
        )

    def _done(self, report: Any) -> None:
        self.report = report
        self.bar.setValue(1000)
        self.cancel_button.setEnabled(False)
        self.completeChanged.emit()
        self.wizard().next()

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.stage.setText(self.tr("The conversion stopped."))
        self.setTitle(self.tr("The conversion did not finish"))
        self.bar.hide()  # a bar stopped half-way looks like work still going on
        self.eta.clear()
        self.cancel_button.setEnabled(False)
        self.cancel_button.hide()  # nothing left to cancel; Back changes the choices and tries again
        self._back_enabled(True)

    def cancel(self) -> None:
        if self._job is not None and self.report is None:
            self._job.cancel()
            self.stage.setText(self.tr("Cancelling…"))

    def wait(self) -> None:
        """Cancel and wait a bounded time (``conversion_job.CLOSE_WAIT_SECONDS``), never freezing."""
        if self._job is not None:
            self._job.stop()

    def isComplete(self) -> bool:  # noqa: N802
        return self.report is not None

    def retranslate(self) -> None:
        failed = bool(self.error.text())
        self.setTitle(self.tr("The conversion did not finish") if failed else self.tr("Converting"))
        self.cancel_button.setText(self.tr("Cancel"))


class ReportPage(RetranslateOnLanguageChange, QWizardPage):
    load_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.M)
        self.summary = _label()
        self.details_button = QToolButton()
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setIcon(icon("chevron-right"))
        self.text = QPlainTextEdit()  # the technical report (English, like the CLI's)
        self.text.setReadOnly(True)
        self.text.hide()
        self.details_button.toggled.connect(self._toggle)
        self.load_button = QPushButton()
        set_role(self.load_button, "primary")
        self.load_button.clicked.connect(self._load)
        layout.addWidget(self.summary)
        layout.addWidget(self.load_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details_button)
        layout.addWidget(self.text, 1)
        layout.addStretch(0)
        self.retranslate()

    def _toggle(self, shown: bool) -> None:
        self.text.setVisible(shown)
        self.details_button.setIcon(icon("chevron-down" if shown else "chevron-right"))

    def initializePage(self) -> None:  # noqa: N802
        report = self.wizard().progress_page.report  # type: ignore[attr-defined]
        self.text.setPlainText(report.text() if report is not None else "")
        ok = report is not None and report.validation.loaded
        self.load_button.setEnabled(ok)
        if report is None:
            self.summary.clear()
            return
        size = report.output.stat().st_size if report.output.is_file() else 0
        lines = [
            self.tr("Finished: %1 (%2).").replace("%1", report.output.name).replace("%2", format_bytes(size)),
            self.tr("✓ Checked: it loads in this app.")
            if ok
            else self.tr("✗ It did not load in this app. See the details below."),
        ]
        self.summary.setText("\n".join(lines))

    def _load(self) -> None:
        report = self.wizard().progress_page.report  # type: ignore[attr-defined]
        self.load_requested.emit(str(report.output))
        self.wizard().accept()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Done"))
        self.load_button.setText(self.tr("Use this model now"))
        self.details_button.setText(self.tr("Details (technical report)"))
