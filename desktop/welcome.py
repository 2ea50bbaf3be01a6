"""The empty chat's welcome: what the built-in model is, a few prompts to try, and the one model to
download for the user's language and machine, one click away (it is loaded when the download ends)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
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

from models.catalog import CatalogEntry, memory_need
from models.downloads import Job
from models.fit import Fit, fit_report
from models.memory_budget import MemoryBudget
from models.recommend import model_speaks, recommend
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .library_downloads import Downloads, reason_text
from .library_state import Installed, ui_language


class Welcome(RetranslateOnLanguageChange, QFrame):
    prompt_chosen = Signal(str)
    load_requested = Signal(str)
    library_requested = Signal()

    def __init__(self, downloads: Downloads, installed: Installed, entries: Sequence[CatalogEntry],
                 budget: MemoryBudget | None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("welcome")
        self.downloads, self.installed, self.entries, self.budget = (
            downloads,
            installed,
            list(entries),
            budget,
        )
        self.model_path = ""
        self.recommended: CatalogEntry | None = None
        self._load_when_done: str | None = None
        # The content scrolls inside the welcome: in a narrow chat (900x600 with the Advanced sheet open)
        # its wrapped text is taller than the space, and squeezing it pushed the buttons out of the card.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("welcome_content")
        self.scroll.setWidget(content)
        self.scroll.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        outer.addWidget(self.scroll)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 20px; font-weight: 600")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.about)
        self.try_label = QLabel()
        self.try_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.try_label)
        self.prompt_buttons = [QPushButton() for _ in range(3)]
        for button in self.prompt_buttons:
            button.setFlat(True)
            button.setStyleSheet(
                "QPushButton { border: 1px solid #999999; border-radius: 10px; padding: 6px 12px; }"
            )
            button.clicked.connect(lambda _=False, b=button: self.prompt_chosen.emit(b.text()))
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        self.card = QFrame()
        self.card.setObjectName("welcome_card")
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        card = QVBoxLayout(self.card)
        self.pitch = QLabel()
        self.pitch.setWordWrap(True)
        self.pitch.setStyleSheet("font-weight: 600")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.hide()
        buttons = QVBoxLayout()  # one above the other: side by side they were cut off in a narrow chat
        self.get_button = QPushButton()
        self.get_button.clicked.connect(self._get)
        self.browse_button = QPushButton()
        self.browse_button.setFlat(True)
        self.browse_button.clicked.connect(self.library_requested)
        buttons.addWidget(self.get_button, 0, Qt.AlignmentFlag.AlignLeft)
        buttons.addWidget(self.browse_button, 0, Qt.AlignmentFlag.AlignLeft)
        for widget in (self.pitch, self.reason, self.bar):
            card.addWidget(widget)
        card.addLayout(buttons)
        layout.addSpacing(8)
        layout.addWidget(self.card)
        layout.addStretch(1)
        self.setMaximumWidth(720)
        downloads.changed.connect(self._job_changed)
        self.retranslate()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        """As tall as its content: a scroll area's own hint stops at 24 lines, which cut the welcome
        off above its download button in a tall chat; a short chat still squeezes it, and it scrolls."""
        content = self.scroll.widget()
        hint = content.sizeHint()
        width = self.scroll.viewport().width() if self.isVisible() else hint.width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        return QSize(hint.width(), max(hint.height(), height))

    # --- state ---------------------------------------------------------------------------------------
    def set_budget(self, budget: MemoryBudget) -> None:
        """The machine's memory is known: recommend a model for it."""
        self.budget = budget
        self.retranslate()

    def set_model(self, path: str) -> None:
        self.model_path = path
        self.retranslate()

    def _state(self) -> tuple[str, Job | None, str | None]:
        """(action, job, path) for the recommended model: download, downloading, use or loaded."""
        entry = self.recommended
        if entry is None:
            return "none", None, None
        path = self.installed.paths.get(entry.id)
        if path and path == self.model_path:
            return "loaded", None, path
        job = self.downloads.job_for(entry.id)
        if job is not None and job.state in ("queued", "running"):
            return "downloading", job, None
        if path:
            return "use", None, path
        return ("failed" if job is not None and job.state == "failed" else "download"), job, None

    def _get(self) -> None:
        action, _job, path = self._state()
        if action == "use" and path:
            self.load_requested.emit(path)
        elif action in ("download", "failed") and self.recommended is not None:
            if self.recommended.licence_acceptance:
                self.library_requested.emit()  # the library asks for the licence first
                return
            self._load_when_done = self.recommended.id
            self.downloads.queue.start_entry(self.recommended)

    def _job_changed(self, job: Job) -> None:
        if self.recommended is None or job.id != self.recommended.id:
            return
        if job.state == "done":
            self.installed.refresh()
            if self._load_when_done == job.id and job.path:
                self._load_when_done = None
                self.load_requested.emit(job.path)
        self._show_recommendation()

    # --- texts ---------------------------------------------------------------------------------------
    def _show_recommendation(self) -> None:
        entry = self.recommended
        lang = ui_language()
        self.card.setVisible(entry is not None)
        if entry is None:
            return
        need = memory_need(entry)
        fit = fit_report(need, self.budget).fit
        where = self.tr("runs on this computer") if fit is Fit.FITS else self.tr("close other apps first")
        if lang == "ja":
            self.pitch.setText(
                self.tr("For Japanese: %1 (%2, %3)")
                .replace("%1", entry.name)
                .replace("%2", format_bytes(entry.size_bytes))
                .replace("%3", where)
            )
        else:
            self.pitch.setText(
                self.tr("A better model: %1 (%2, %3)")
                .replace("%1", entry.name)
                .replace("%2", format_bytes(entry.size_bytes))
                .replace("%3", where)
            )
        self.reason.setText(entry.describe(lang))
        action, job, _path = self._state()
        self.bar.setVisible(action == "downloading")
        if job is not None and job.fraction is not None:
            self.bar.setValue(int(1000 * job.fraction))
        texts = {
            "download": self.tr("Download and use (%1)").replace("%1", format_bytes(entry.size_bytes)),
            "failed": self.tr("Try the download again"),
            "downloading": self.tr("Downloading %1 %").replace(
                "%1", str(round(100 * (job.fraction or 0)) if job else 0)
            ),
            "use": self.tr("Use %1").replace("%1", entry.name),
            "loaded": self.tr("In use"),
        }
        self.get_button.setText(texts.get(action, ""))
        self.get_button.setEnabled(action in ("download", "failed", "use"))
        if action == "failed" and job is not None:
            self.reason.setText(reason_text(job.reason))
        self.card.setVisible(action != "loaded")
        self.updateGeometry()  # new texts, new height (see sizeHint)

    def retranslate(self) -> None:
        lang = ui_language()
        # No recommendation until the machine's memory is known (measured off the GUI thread).
        self.recommended = recommend(lang, self.budget, self.entries) if self.budget is not None else None
        self.title.setText(self.tr("Welcome to Tomoshibi"))
        speaks = model_speaks(self.model_path, lang, self.entries) if self.model_path else None
        from models.model_names import catalog_entry_for

        entry = catalog_entry_for(self.model_path, self.entries) if self.model_path else None
        if entry is not None and entry.source == "bundled":
            self.about.setText(
                self.tr(
                    "The built-in model, SmolLM2 135M, is tiny: it answers fast on any computer, but only in English and often gets facts wrong. Everything stays on this computer."
                )
            )
        else:
            self.about.setText(
                self.tr("Ask anything. Everything stays on this computer: no network is used.")
            )
        self.try_label.setText(self.tr("Try:"))
        if speaks is not False and lang == "ja":
            prompts = [
                self.tr("Summarise this text in three lines:"),
                self.tr("Write a polite email declining a meeting."),
                self.tr("Explain what a GGUF file is, simply."),
            ]
        else:
            # The bundled model only speaks English: its examples are English whatever the UI language.
            prompts = [
                "Write a haiku about autumn.",
                "Give me three ideas for a rainy Sunday.",
                "Explain what a GGUF file is in two sentences.",
            ]
            if lang == "ja":
                self.try_label.setText(self.tr("Try (this model answers in English):"))
        for button, text in zip(self.prompt_buttons, prompts, strict=True):
            button.setText(text)
        self.browse_button.setText(self.tr("Browse all models…"))
        self._show_recommendation()
