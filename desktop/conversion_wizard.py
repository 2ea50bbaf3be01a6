"""Convert a checkpoint into a GGUF the app can load, for someone who has never heard of GGUF:
intro → which model → which device → which size (with the estimate, before any download) → summary
with Start → progress with the time left and Cancel → the result, and "use it now".

All the work is ``converters.pipeline.convert``; this wizard only asks, shows progress and reports.
The conversion (and the download of a hub repo id) runs in ``conversion_job`` on a worker thread, its
heavy parts in child processes, so the window stays live; closing the wizard cancels it.
The pages live in wizard_pages.py and wizard_source.py (asking) and wizard_run.py (running).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from .conversion_job import ConversionJob, ConvertWorker
from .i18n import RetranslateOnLanguageChange
from .wizard_pages import DevicePage, IntroPage, QualityPage
from .wizard_run import ProgressPage, ReportPage, SummaryPage
from .wizard_source import SourcePage


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


class ConversionWizard(RetranslateOnLanguageChange, QWizard):
    load_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detected: dict[str, Any] = {}
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.intro_page = IntroPage()
        self.source_page = SourcePage()
        self.device_page = DevicePage()
        self.quality_page = QualityPage()
        self.summary_page = SummaryPage()
        self.progress_page = ProgressPage()
        self.report_page = ReportPage()
        for page in self.pages():
            self.addPage(page)
        self.report_page.load_requested.connect(self.load_requested)
        self.resize(720, 560)
        self.setMinimumSize(600, 480)
        self.retranslate()

    def pages(self) -> tuple:
        return (
            self.intro_page,
            self.source_page,
            self.device_page,
            self.quality_page,
            self.summary_page,
            self.progress_page,
            self.report_page,
        )

    def start_conversion(self, out: Path, **slots: Any) -> ConversionJob:
        """Start converting into ``out`` with the choices made; ``slots``: done, failed, progress."""
        worker = ConvertWorker(
            self.source_page.source.text().strip(),
            out,
            self.quality_page.chosen_quant(),
            self.device_page.device(),
        )
        return ConversionJob(self, worker, **slots)

    def retranslate(self) -> None:
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Close"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setWindowTitle(self.tr("Convert a model"))

    def reject(self) -> None:
        self.progress_page.cancel()  # closing mid-conversion cancels it; nothing half-written stays
        self.progress_page.wait()
        self.source_page.wait()
        super().reject()
