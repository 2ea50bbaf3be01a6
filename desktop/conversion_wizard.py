"""Convert a checkpoint into a GGUF the app can load: source → architecture → device profile and
quantization with the memory estimate → progress with ETA and cancel → validation report → load now.

All the work is ``converters.pipeline.convert``; this wizard only asks, shows progress and reports.
The conversion (and the download of a hub repo id) runs in ``conversion_job`` on a worker thread, its
heavy parts in child processes, so the window stays live; closing the wizard cancels it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from models.errors import TomoshibiError
from models.paths import models_dir
from models.units import format_bytes, format_count

from .conversion_job import ConversionJob, ConvertWorker


def detect(source: str) -> dict[str, Any]:
    """What the wizard shows about a local checkpoint folder (raises TomoshibiError if unusable)."""
    from converters.arch import architecture_for
    from converters.profiles import model_shape
    from converters.readers.checkpoint import read_config

    folder = Path(source).expanduser()
    config = read_config(folder)
    architecture_for(config)  # UnsupportedModelError names the supported ones
    shape = model_shape(config)
    names = config.get("architectures") or [config.get("model_type", "?")]
    return {"folder": folder, "architecture": str(names[0]), "shape": shape, "name": folder.name}


class SourcePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        row = QHBoxLayout()
        self.source = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.source, 1)
        row.addWidget(self.browse)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a33;")
        layout.addWidget(self.explain)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.source.textChanged.connect(self.completeChanged)
        self.registerField("source*", self.source)
        self.retranslate()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Checkpoint folder"))
        if folder:
            self.source.setText(folder)

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        wizard: ConversionWizard = self.wizard()  # type: ignore[assignment]
        text = self.source.text().strip()
        self.error.clear()
        if Path(text).expanduser().is_dir():
            try:
                wizard.detected = detect(text)
            except TomoshibiError as error:
                self.error.setText(str(error))
                return False
        elif text.count("/") == 1 and not text.startswith((".", "/", "~")):
            wizard.detected = {
                "folder": None,
                "architecture": None,
                "shape": None,
                "name": text.split("/")[1],
            }
        else:
            self.error.setText(
                self.tr("Choose a folder that holds config.json, or type a repo id such as owner/name.")
            )
            return False
        return True

    def retranslate(self) -> None:
        self.setTitle(self.tr("Checkpoint"))
        self.explain.setText(
            self.tr(
                "Choose a Hugging Face checkpoint folder (config.json and safetensors), or type a repo id to download it."
            )
        )
        self.source.setPlaceholderText(self.tr("Folder or owner/name"))
        self.browse.setText(self.tr("Browse…"))


class OptionsPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        from converters.profiles import PROFILES

        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.architecture = QLabel()
        self.parameters = QLabel()
        self.profile = QComboBox()
        for name, profile in PROFILES.items():
            self.profile.addItem(name, name)
            self.profile.setItemData(self.profile.count() - 1, profile.description, 3)  # tooltip role
        self.quant = QComboBox()
        self.estimate = QLabel()
        self.estimate.setWordWrap(True)
        self.output = QLineEdit()
        self.captions = [QLabel() for _ in range(6)]
        for caption, field in zip(
            self.captions,
            (self.architecture, self.parameters, self.profile, self.quant, self.estimate, self.output),
            strict=True,
        ):
            form.addRow(caption, field)
        layout.addLayout(form)
        layout.addStretch(1)
        self.profile.currentIndexChanged.connect(self._profile_changed)
        self.quant.currentIndexChanged.connect(self._quant_changed)
        self._recommendation: Any = None
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        detected = self.wizard().detected  # type: ignore[attr-defined]
        shape = detected["shape"]
        self.architecture.setText(detected["architecture"] or self.tr("known after the download"))
        self.parameters.setText(format_count(shape.n_params) if shape else "—")
        self._profile_changed()

    def _profile_changed(self, *_: object) -> None:
        from converters.profiles import get_profile, recommend

        profile = get_profile(str(self.profile.currentData()))
        shape = self.wizard().detected["shape"] if self.wizard() else None  # type: ignore[attr-defined]
        self._recommendation = recommend(shape, profile) if shape else None
        self.quant.blockSignals(True)
        self.quant.clear()
        for quant in profile.quants:
            self.quant.addItem(quant, quant)
        if self._recommendation is not None and self._recommendation.quant:
            self.quant.setCurrentIndex(max(0, self.quant.findData(self._recommendation.quant)))
        self.quant.blockSignals(False)
        self._quant_changed()

    def _quant_changed(self, *_: object) -> None:
        from converters.profiles import estimate_bytes

        quant = str(self.quant.currentData() or "")
        rec = self._recommendation
        if rec is None:
            self.estimate.setText(self.tr("The memory estimate is shown once the checkpoint is known."))
        else:
            option = next((o for o in rec.options if o.quant == quant), None)
            if option is None:
                size, n_ctx = estimate_bytes(rec.shape, quant, rec.n_ctx), rec.n_ctx
                fits = size <= rec.budget_bytes
            else:
                size, n_ctx, fits = option.bytes, option.n_ctx, option.fits
            verdict = self.tr("fits this device") if fits else self.tr("too big for this device")
            self.estimate.setText(
                self.tr("about %1 at a %2-token context: %3")
                .replace("%1", format_bytes(size))
                .replace("%2", f"{n_ctx:,}")
                .replace("%3", verdict)
            )
        name = self.wizard().detected["name"] if self.wizard() else "model"  # type: ignore[attr-defined]
        self.output.setText(f"{name}.{quant}.gguf")

    def retranslate(self) -> None:
        self.setTitle(self.tr("Device and quantization"))
        for caption, text in zip(
            self.captions,
            (
                self.tr("Architecture"),
                self.tr("Parameters"),
                self.tr("Device profile"),
                self.tr("Quantization"),
                self.tr("Memory"),
                self.tr("File name"),
            ),
            strict=True,
        ):
            caption.setText(text)


class ProgressPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.stage = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.eta = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a33;")
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel)
        layout.addWidget(self.stage)
        layout.addWidget(self.bar)
        layout.addWidget(self.eta)
        layout.addWidget(self.error)
        layout.addWidget(self.cancel_button)
        layout.addStretch(1)
        self.report: Any = None
        self._job: ConversionJob | None = None
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        wizard: ConversionWizard = self.wizard()  # type: ignore[assignment]
        options = wizard.options_page
        self.report = None
        self.error.clear()
        self.bar.setValue(0)
        self.eta.clear()
        self.stage.setText(self.tr("Starting…"))
        out = models_dir() / options.output.text().strip()
        worker = ConvertWorker(
            wizard.source_page.source.text().strip(),
            out,
            str(options.quant.currentData()),
            str(options.profile.currentData()),
        )
        self.cancel_button.setEnabled(True)
        self._job = ConversionJob(self, worker, done=self._done, failed=self._failed, progress=self._progress)

    def _progress(self, p: Any) -> None:
        stages = {
            "download": self.tr("Downloading the checkpoint…"),
            "convert": self.tr("Converting the weights…"),
            "quantize": self.tr("Quantizing…"),
            "validate": self.tr("Checking the result in llama.cpp…"),
            "done": self.tr("Done"),
        }
        self.stage.setText(stages.get(p.stage, p.stage))
        self.bar.setValue(int(p.fraction * 1000))
        if p.eta_seconds is not None:
            self.eta.setText(self.tr("About %1 s left").replace("%1", f"{p.eta_seconds:.0f}"))

    def _done(self, report: Any) -> None:
        self.report = report
        self.bar.setValue(1000)
        self.cancel_button.setEnabled(False)
        self.completeChanged.emit()
        self.wizard().next()

    def _failed(self, message: str) -> None:
        self.error.setText(message)
        self.stage.setText(self.tr("The conversion stopped."))
        self.cancel_button.setEnabled(False)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.stage.setText(self.tr("Cancelling…"))

    def wait(self) -> None:
        """Cancel and wait a bounded time (``conversion_job.CLOSE_WAIT_SECONDS``), never freezing."""
        if self._job is not None:
            self._job.stop()

    def isComplete(self) -> bool:  # noqa: N802
        return self.report is not None

    def retranslate(self) -> None:
        self.setTitle(self.tr("Converting"))
        self.cancel_button.setText(self.tr("Cancel conversion"))


class ReportPage(QWizardPage):
    load_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.load_button = QPushButton()
        self.load_button.clicked.connect(self._load)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.load_button)
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        report = self.wizard().progress_page.report  # type: ignore[attr-defined]
        self.text.setPlainText(report.text() if report is not None else "")
        self.load_button.setEnabled(report is not None and report.validation.loaded)

    def _load(self) -> None:
        report = self.wizard().progress_page.report  # type: ignore[attr-defined]
        self.load_requested.emit(str(report.output))
        self.wizard().accept()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Validation report"))
        self.load_button.setText(self.tr("Load now"))


class ConversionWizard(QWizard):
    load_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detected: dict[str, Any] = {}
        self.source_page = SourcePage()
        self.options_page = OptionsPage()
        self.progress_page = ProgressPage()
        self.report_page = ReportPage()
        for page in (self.source_page, self.options_page, self.progress_page, self.report_page):
            self.addPage(page)
        self.report_page.load_requested.connect(self.load_requested)
        self.resize(640, 440)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Close"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setWindowTitle(self.tr("Convert a model"))

    def reject(self) -> None:
        self.progress_page.cancel()  # closing mid-conversion cancels it; nothing half-written stays
        self.progress_page.wait()
        super().reject()
