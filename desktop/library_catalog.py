"""The catalog view of the model library: one card per known model, filters, one button per card.

A card says what the model is in the UI language, which languages it speaks, how big it is, how much
memory it needs on this machine and whether that fits, under which licence, and offers the one next
step: Download, Downloading 43 %, Resume, Retry, Use, Update or Convert. The embedding model
``models.recommend.recommend_embedding`` picks for this machine wears a "Recommended for this computer"
badge; a model with a newer file on the hub (``library_updates``) says so in a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.catalog import CatalogEntry, memory_need
from models.downloads import Job
from models.fit import Fit, fit_report
from models.memory_budget import MemoryBudget
from models.recommend import recommend_embedding
from models.units import format_bytes

from .i18n import RetranslateOnLanguageChange
from .library_downloads import Downloads
from .library_licence import LicenceDialog
from .library_prefs import accept_licence, licence_accepted
from .library_state import Installed, ui_language
from .library_updates import UpdateBar, UpdateChecker

GIB = 1 << 30


def gib(n: int) -> str:
    """Memory the way machines are sold: "16 GB" for 16 GiB, one decimal below 10."""
    value = n / GIB
    return f"{value:.1f} GB" if value < 10 else f"{value:.0f} GB"


def fit_text(need: int, budget: MemoryBudget) -> tuple[str, Fit]:
    report = fit_report(need, budget)
    line = (
        QCoreApplication.translate("Library", "needs %1 of your %2")
        .replace("%1", gib(need))
        .replace("%2", gib(budget.ram_total))
    )
    return line, report.fit


def fit_badge(fit: Fit) -> tuple[str, str]:
    """(text, colour) of the fit badge."""
    if fit is Fit.FITS:
        return QCoreApplication.translate("Library", "fits"), "#2e7d32"
    if fit is Fit.TIGHT:
        return QCoreApplication.translate("Library", "tight: close other apps"), "#b26a00"
    return QCoreApplication.translate("Library", "does not fit"), "#c62828"


def language_badges(languages: Sequence[str]) -> list[str]:
    badges = []
    if "ja" in languages:
        badges.append("日本語")
    if "en" in languages:
        badges.append("English")
    if "multilingual" in languages:
        badges.append(QCoreApplication.translate("Library", "+ more"))
    return badges


def _badge(text: str, colour: str = "#546e7a") -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(
        f"QLabel {{ border: 1px solid {colour}; color: {colour}; border-radius: 8px; padding: 1px 7px; }}"
    )
    return label


@dataclass(frozen=True)
class CardState:
    """What a card offers: ``action`` is download, downloading, paused, failed, use, loaded, installed,
    convert, pypi or update."""

    action: str
    percent: int | None = None
    path: str | None = None
    in_use: bool = False  # update: the model is the one loaded now
    updating: bool = False  # downloading, paused or failed: an update, the installed model stays


def _percent(job: Job) -> int | None:
    return round(100 * job.fraction) if job.fraction is not None else None


def card_state(entry: CatalogEntry, installed: Installed, job: Job | None, loaded: str = "",
               update: bool = False) -> CardState:  # fmt: skip
    path = installed.paths.get(entry.id)
    if path and (update or (job is not None and job.replace == path)) and entry.source == "hub":
        in_use = bool(loaded) and path == loaded
        if job is not None and job.replace == path and job.state in ("queued", "running", "paused", "failed"):
            action = {"queued": "downloading", "running": "downloading"}.get(job.state, job.state)
            return CardState(action, _percent(job), path, in_use, updating=True)
        if update:
            return CardState("update", path=path, in_use=in_use)
    if path and loaded and path == loaded:
        return CardState("loaded", path=path)
    if entry.source == "bundled":
        return CardState("use", path=path)
    if entry.source == "pypi":
        return CardState("pypi")
    if job is not None and job.state in ("queued", "running"):
        return CardState("downloading", _percent(job))
    if path:
        if entry.kind == "checkpoint":
            return CardState("convert", path=path)
        return CardState("use" if entry.kind == "chat" else "installed", path=path)
    if job is not None and job.state == "paused":
        return CardState("paused", _percent(job))
    if job is not None and job.state == "failed":
        return CardState("failed")
    return CardState("download")


class ModelCard(QFrame):
    action_requested = Signal(object, object)  # CatalogEntry, CardState

    def __init__(self, entry: CatalogEntry, budget: MemoryBudget) -> None:
        super().__init__()
        self.entry = entry
        self.budget = budget
        self.state = CardState("download")
        self.updated_in_use = False  # updated while loaded: the old version runs until the next load
        self.setObjectName("model_card")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.name = QLabel(entry.name)
        self.name.setStyleSheet("font-weight: 600; font-size: 14px")
        top.addWidget(self.name)
        self.badges = [_badge(b, "#1565c0") for b in language_badges(entry.languages)]
        for badge in self.badges:
            top.addWidget(badge)
        top.addStretch(1)
        self.button = QPushButton()
        self.button.setMinimumWidth(150)
        self.button.clicked.connect(lambda: self.action_requested.emit(self.entry, self.state))
        top.addWidget(self.button)
        layout.addLayout(top)
        self.description = QLabel()
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        self.why = QLabel()  # why the button says Update, or what an update in progress means
        self.why.setObjectName("update_note")
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color: #1565c0")
        self.why.hide()
        layout.addWidget(self.why)
        facts = QHBoxLayout()
        self.facts = QLabel()
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setOpenExternalLinks(True)
        self.facts.setWordWrap(True)
        facts.addWidget(self.facts, 1)
        # Beside the fit badge, not among the language badges: a long name plus four badges would
        # make the card wider than a 900-pixel window.
        self.recommended = _badge("", "#2e7d32")
        self.recommended.setObjectName("recommended_badge")
        self.recommended.hide()
        facts.addWidget(self.recommended)
        self.fit = _badge("")
        facts.addWidget(self.fit)
        layout.addLayout(facts)
        self.need = memory_need(entry)
        self.retranslate()

    def set_state(self, state: CardState) -> None:
        self.state = state
        texts = {
            "download": self.tr("Download"),
            "downloading": self.tr("Downloading %1 %").replace("%1", str(state.percent))
            if state.percent is not None
            else self.tr("Downloading…"),
            "paused": self.tr("Resume (%1 %)").replace("%1", str(state.percent or 0)),
            "failed": self.tr("Retry download"),
            "use": self.tr("Use"),
            "loaded": self.tr("In use"),
            "installed": self.tr("Installed"),
            "convert": self.tr("Convert…"),
            "pypi": self.tr("Built in"),
            "update": self.tr("Update"),
        }
        self.button.setText(texts[state.action])
        self.button.setEnabled(state.action not in ("downloading", "installed", "pypi", "loaded"))
        self.why.setText(self._why(state))
        self.why.setVisible(bool(self.why.text()))

    def _why(self, state: CardState) -> str:
        # Whole sentences per case: Japanese joins sentences without the space English puts between.
        if state.action == "update" and state.in_use:
            return self.tr(
                "A newer version is on the hub. You are using this model now: the new version is used the next time it is loaded."
            )
        if state.action == "update":
            return self.tr("A newer version is on the hub.")
        if state.updating and state.in_use:
            return self.tr(
                "Updating: you keep using the installed version; the new one is used the next time the model is loaded."
            )
        if state.updating:
            return self.tr("Updating: the installed version keeps working until the new one is verified.")
        if state.action == "loaded" and self.updated_in_use:
            return self.tr("Updated. The new version is used the next time this model is loaded.")
        return ""

    def set_recommended(self, on: bool) -> None:
        self.recommended.setVisible(on)

    def retranslate(self) -> None:
        lang = ui_language()
        self.description.setText(self.entry.describe(lang))
        size = self.entry.size_bytes
        line, fit = fit_text(self.need, self.budget)
        # Sizes on disk in decimal units, as file managers and the download list show them.
        what = self.tr("%1 download").replace("%1", format_bytes(size) if size else "?")
        if self.entry.source == "bundled":
            what = self.tr("built in, %1").replace("%1", format_bytes(size))
        if self.entry.needs_conversion:
            what += " · " + self.tr("converted after download")
        url = self.entry.licence_url or self.entry.hub_url
        licence = f"<a href='{url}'>{self.entry.licence}</a>" if url else self.entry.licence
        facts = self.tr("%1 · %2 · licence: %3").replace("%1", what).replace("%2", line)
        self.facts.setText(facts.replace("%3", licence))
        badge, colour = fit_badge(fit)
        self.fit.setText(badge)
        self.fit.setStyleSheet(
            f"QLabel {{ border: 1px solid {colour}; color: {colour}; border-radius: 8px; padding: 1px 7px; }}"
        )
        self.fit_level = fit
        self.recommended.setText(self.tr("Recommended for this computer"))
        self.set_state(self.state)


KIND_FILTERS = ("all", "chat", "embedding", "speech")


class CatalogView(RetranslateOnLanguageChange, QWidget):
    """Every catalog entry as a card; filters by kind, language and fit."""

    use_requested = Signal(str)  # a chat model's path
    convert_requested = Signal(str)  # a downloaded checkpoint's folder

    def __init__(self, entries: Sequence[CatalogEntry], downloads: Downloads, installed: Installed,
                 budget: MemoryBudget, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.entries = list(entries)
        self.downloads = downloads
        self.installed = installed
        self.budget = budget
        self.licence_dialog: LicenceDialog | None = None
        self.loaded_path = ""
        outer = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.kind = QComboBox()
        self.language = QComboBox()
        self.fits_only = QCheckBox()
        self.summary = QLabel()
        for widget in (self.kind, self.language, self.fits_only):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.summary)
        outer.addLayout(filters)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.list = QVBoxLayout(inner)
        self.list.setSpacing(8)
        self.cards: list[ModelCard] = []
        for entry in self.entries:
            card = ModelCard(entry, budget)
            card.action_requested.connect(self._act)
            self.cards.append(card)
            self.list.addWidget(card)
        self.list.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        self.updates = UpdateChecker(self.entries, installed, self)
        self.updates.changed.connect(self.refresh_states)
        self.update_bar = UpdateBar(self.updates)
        outer.addWidget(self.update_bar)
        embedding = recommend_embedding(budget, language=ui_language(), entries=self.entries)
        for card in self.cards:
            card.set_recommended(embedding is not None and card.entry.id == embedding.id)
        self.retranslate()
        self.kind.currentIndexChanged.connect(self.apply_filters)
        self.language.currentIndexChanged.connect(self.apply_filters)
        self.fits_only.toggled.connect(self.apply_filters)
        downloads.changed.connect(self._job_changed)
        self.refresh_states()

    # --- state ---------------------------------------------------------------------------------------
    def refresh_states(self) -> None:
        for card in self.cards:
            card.set_state(
                card_state(
                    card.entry,
                    self.installed,
                    self.downloads.job_for(card.entry.id),
                    self.loaded_path,
                    self.updates.has_update(card.entry.id),
                )
            )

    def _job_changed(self, job: Job) -> None:
        if job.state == "done":
            if job.replace:
                card = next((c for c in self.cards if c.entry.id == job.id), None)
                if card is not None and job.replace == self.loaded_path:
                    card.updated_in_use = True
                self.updates.forget(job.id)
            self.installed.refresh()
            self.refresh_states()
            return
        for card in self.cards:
            if card.entry.id == job.id:
                update = self.updates.has_update(job.id)
                card.set_state(card_state(card.entry, self.installed, job, self.loaded_path, update))

    def card(self, entry_id: str) -> ModelCard:
        return next(c for c in self.cards if c.entry.id == entry_id)

    def visible_cards(self) -> list[ModelCard]:
        return [c for c in self.cards if not c.isHidden()]

    # --- filters -------------------------------------------------------------------------------------
    def apply_filters(self) -> None:
        kind = KIND_FILTERS[max(self.kind.currentIndex(), 0)]
        language = ("", "ja", "en")[max(self.language.currentIndex(), 0)]
        shown = 0
        for card in self.cards:
            e = card.entry
            ok = kind == "all" or e.kind == kind or (kind == "chat" and e.kind == "checkpoint")
            ok = ok and (not language or e.speaks(language))
            ok = ok and (not self.fits_only.isChecked() or card.fit_level is Fit.FITS)
            card.setVisible(ok)
            shown += ok
        self.summary.setText(
            self.tr("%1 of %2 models").replace("%1", str(shown)).replace("%2", str(len(self.cards)))
        )

    # --- actions -------------------------------------------------------------------------------------
    def _act(self, entry: CatalogEntry, state: CardState) -> None:
        if state.action == "use" and state.path:
            self.use_requested.emit(state.path)
        elif state.action == "convert" and state.path:
            self.convert_requested.emit(state.path)
        elif state.action == "update" and state.path:
            self.downloads.queue.start_update(entry, state.path)
        elif state.updating and state.action in ("paused", "failed"):
            self.downloads.queue.resume(entry.id)  # the update again, never a second copy
        elif state.action in ("download", "paused", "failed"):
            self.download(entry)

    def download(self, entry: CatalogEntry) -> None:
        """Start (or resume) the download, after the licence is accepted where one must be."""
        if (entry.licence_acceptance or entry.gated) and not licence_accepted(entry.id):
            dialog = LicenceDialog(entry, self)
            dialog.accepted.connect(lambda: (accept_licence(entry.id), self._start(entry)))
            self.licence_dialog = dialog
            dialog.open()
            return
        self._start(entry)

    def _start(self, entry: CatalogEntry) -> None:
        self.downloads.queue.start_entry(entry)

    def retranslate(self) -> None:
        kind, language = self.kind.currentIndex(), self.language.currentIndex()
        self.kind.blockSignals(True)
        self.language.blockSignals(True)
        self.kind.clear()
        self.kind.addItems(
            [self.tr("All kinds"), self.tr("Chat"), self.tr("Embedding (documents)"), self.tr("Speech")]
        )
        self.language.clear()
        self.language.addItems([self.tr("Any language"), "日本語", "English"])
        self.kind.setCurrentIndex(max(kind, 0))
        self.language.setCurrentIndex(max(language, 0))
        self.kind.blockSignals(False)
        self.language.blockSignals(False)
        self.fits_only.setText(self.tr("Fits this computer"))
        for card in self.cards:
            card.retranslate()
        self.apply_filters()
