"""The first pages of the conversion wizard, for someone who has never heard of GGUF: what converting
is for, which device (cards in plain words), and which size (smallest / balanced / best quality, with
the size, the expected quality loss and whether it fits; the exact type under Details). Which model:
wizard_source.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from models.units import format_bytes, format_count

from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .theme import Space, set_role
from .wizard_choices import (
    DEFAULT_DEVICE,
    DEVICES,
    QUALITY_LOSS_PERCENT,
    TIERS,
    SizeChoice,
    all_options,
    default_tier,
    loss_level,
    size_choices,
)


def _paragraph(role: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    if role:
        set_role(label, role)
    return label


class Card(QToolButton):
    """A large checkable choice: an icon, a title line and a line or two of explanation."""

    def __init__(self, icon_name: str) -> None:
        super().__init__()
        set_role(self, "card")
        self.setCheckable(True)
        self.setIcon(icon(icon_name))
        self.setIconSize(QSize(28, 28))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(64)


class IntroPage(RetranslateOnLanguageChange, QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.M)
        self.what = _paragraph()
        self.needs_title = _paragraph("section")
        self.needs = _paragraph()
        layout.addWidget(self.what)
        layout.addWidget(self.needs_title)
        layout.addWidget(self.needs)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Make a model run on your device"))
        self.what.setText(
            self.tr(
                "Models published for research (for example on Hugging Face) come as a folder of large files that this app cannot run directly. Converting turns such a model into one file that runs here, and can make it smaller so that it fits the memory of your phone, Mac or PC."
            )
        )
        self.needs_title.setText(self.tr("What it needs"))
        self.needs.setText(
            self.tr(
                "<ul style='margin-left:-20px'><li><b>Disk space</b>: about three times the size of the finished file while it works (shown before you start).</li><li><b>Time</b>: a few minutes for a small model, up to an hour for a large one. You can keep chatting meanwhile.</li><li><b>Internet</b>: only if the model is downloaded first. A folder already on this computer converts offline.</li></ul>"
            )
        )


class DevicePage(RetranslateOnLanguageChange, QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.M)
        self.explain = _paragraph()
        self.model_line = _paragraph("muted")
        grid = QGridLayout()
        grid.setSpacing(Space.S)
        self.group = QButtonGroup(self)
        self.cards: dict[str, Card] = {}
        for i, (name, (icon_name, _gb)) in enumerate(DEVICES.items()):
            card = Card(icon_name)
            self.cards[name] = card
            self.group.addButton(card)
            grid.addWidget(card, i // 2, i % 2)
        self.cards[DEFAULT_DEVICE].setChecked(True)
        layout.addWidget(self.explain)
        layout.addWidget(self.model_line)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        detected = self.wizard().detected  # type: ignore[attr-defined]
        shape = detected.get("shape")
        arch = detected.get("architecture") or "?"
        params = format_count(shape.n_params) if shape else "?"
        self.model_line.setText(
            self.tr("%1: %2 parameters (%3)")
            .replace("%1", detected.get("name") or "")
            .replace("%2", params)
            .replace("%3", arch)
        )

    def device(self) -> str:
        return next((name for name, card in self.cards.items() if card.isChecked()), DEFAULT_DEVICE)

    def choose(self, name: str) -> None:
        self.cards[name].setChecked(True)

    def device_title(self, name: str) -> str:
        return {
            "phone-4gb": self.tr("Smartphone (4 GB)"),
            "mac-8gb": self.tr("Mac 8 GB"),
            "laptop-16gb": self.tr("Laptop PC 16 GB"),
            "desktop-24gb": self.tr("Desktop with a 24 GB GPU"),
        }[name]

    def retranslate(self) -> None:
        self.setTitle(self.tr("Where will it run?"))
        self.explain.setText(
            self.tr("Choose the device closest to yours; the size is chosen to fit its memory.")
        )
        notes = {
            "phone-4gb": self.tr("A phone lets one app use about 2.5 GB"),
            "mac-8gb": self.tr("Apple silicon; about 5 GB for the model"),
            "laptop-16gb": self.tr("With a browser and other apps still open"),
            "desktop-24gb": self.tr("Or a workstation with 24 GB of memory"),
        }
        for name, card in self.cards.items():
            card.setText(f"{self.device_title(name)}\n{notes[name]}")


class QualityPage(RetranslateOnLanguageChange, QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.S)
        self.explain = _paragraph()
        layout.addWidget(self.explain)
        self.group = QButtonGroup(self)
        self.cards: dict[str, Card] = {}
        for tier, icon_name in zip(TIERS, ("smartphone", "gauge", "sparkles"), strict=True):
            card = Card(icon_name)
            self.cards[tier] = card
            self.group.addButton(card)
            card.toggled.connect(lambda on, tier=tier: on and self._tier_chosen(tier))
            layout.addWidget(card)
        self.details_button = QToolButton()
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setIcon(icon("chevron-right"))
        self.details_button.toggled.connect(self._toggle_details)
        self.details = QWidget()
        row = QHBoxLayout(self.details)
        row.setContentsMargins(Space.L, 0, 0, 0)
        self.quant_caption = QLabel()
        self.quant = QComboBox()  # the exact type; the cards set it
        self.quant_note = set_role(QLabel(), "muted")
        row.addWidget(self.quant_caption)
        row.addWidget(self.quant)
        row.addWidget(self.quant_note, 1)
        self.details.hide()
        self.estimate = _paragraph("muted")
        layout.addWidget(self.details_button)
        layout.addWidget(self.details)
        layout.addWidget(self.estimate)
        layout.addStretch(1)
        self.quant.currentIndexChanged.connect(self._quant_changed)
        self.choices: dict[str, SizeChoice] = {}
        self.options: dict[str, SizeChoice] = {}
        self.retranslate()

    def initializePage(self) -> None:  # noqa: N802
        wizard: Any = self.wizard()
        shape = wizard.detected["shape"]
        device = wizard.device_page.device()
        self.choices = size_choices(shape, device)
        self.options = all_options(shape, device)
        self.quant.blockSignals(True)
        self.quant.clear()
        for quant in self.options:
            self.quant.addItem(quant, quant)
        self.quant.blockSignals(False)
        self.retranslate()
        self.cards[default_tier(self.choices)].setChecked(True)
        self._tier_chosen(default_tier(self.choices))

    def _tier_chosen(self, tier: str) -> None:
        choice = self.choices.get(tier)
        if choice is not None:
            self.quant.setCurrentIndex(max(0, self.quant.findData(choice.quant)))

    def _quant_changed(self, *_: object) -> None:
        quant = self.chosen_quant()
        match = next((t for t, c in self.choices.items() if c.quant == quant), None)
        if match is not None and not self.cards[match].isChecked():
            self.cards[match].blockSignals(True)
            self.cards[match].setChecked(True)
            self.cards[match].blockSignals(False)
        elif match is None:
            self.group.setExclusive(False)
            for card in self.cards.values():
                card.setChecked(False)
            self.group.setExclusive(True)
        option = self.options.get(quant)
        if option is not None:
            self.quant_note.setText(self._loss_text(quant))
            self.estimate.setText(
                self.tr("Estimated memory while chatting: about %1 with a %2-token conversation.")
                .replace("%1", format_bytes(option.bytes))
                .replace("%2", f"{option.n_ctx:,}")
            )

    def chosen_quant(self) -> str:
        return str(self.quant.currentData() or "")

    def chosen(self) -> SizeChoice | None:
        return self.options.get(self.chosen_quant())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setIcon(icon("chevron-down" if shown else "chevron-right"))

    def _loss_text(self, quant: str) -> str:
        level = loss_level(quant)
        words = {
            "none": self.tr("answers almost unchanged"),
            "slight": self.tr("answers slightly less precise"),
            "some": self.tr("answers noticeably less precise on hard questions"),
            "large": self.tr("answers clearly worse"),
        }[level]
        loss = QUALITY_LOSS_PERCENT.get(quant)
        return words if loss is None else f"{words} (≈{loss:g}%)"

    def retranslate(self) -> None:
        self.setTitle(self.tr("How small should it be?"))
        self.explain.setText(
            self.tr("Smaller files need less memory and answer faster, but answer a little less precisely.")
        )
        self.details_button.setText(self.tr("Details"))
        self.quant_caption.setText(self.tr("Exact type"))
        titles = {
            "smallest": self.tr("Smallest"),
            "balanced": self.tr("Balanced (recommended)"),
            "best": self.tr("Best quality"),
        }
        for tier, card in self.cards.items():
            choice = self.choices.get(tier)
            if choice is None:
                card.setText(titles[tier])
                continue
            fits = self.tr("✓ fits this device") if choice.fits else self.tr("✗ too big for this device")
            card.setText(
                f"{titles[tier]}\n"
                + self.tr("Needs about %1 of memory · %2 · %3")
                .replace("%1", format_bytes(choice.bytes))
                .replace("%2", self._loss_text(choice.quant))
                .replace("%3", fits)
            )
            card.setEnabled(True)
        self.quant_note.setText(self._loss_text(self.chosen_quant()) if self.chosen_quant() else "")
