"""The conversion wizard over converters.pipeline: a real tiny checkpoint to a loadable GGUF."""

from __future__ import annotations

from PySide6.QtWidgets import QWizard

from desktop.conversion_wizard import ConversionWizard
from models.paths import models_dir
from tests.converters.tiny import make_checkpoint


def _wizard(qtbot) -> ConversionWizard:
    wizard = ConversionWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentPage() is wizard.intro_page  # what converting is for, what it needs
    wizard.next()
    return wizard


def _to_summary(wizard: ConversionWizard, device: str, quant: str) -> None:
    """From the device page: choose the device card and the exact type, stop at the summary."""
    assert wizard.currentPage() is wizard.device_page
    wizard.device_page.choose(device)
    wizard.next()
    quality = wizard.quality_page
    assert wizard.currentPage() is quality
    quality.quant.setCurrentIndex(quality.quant.findData(quant))
    assert quality.chosen_quant() == quant
    wizard.next()
    assert wizard.currentPage() is wizard.summary_page


def test_rejects_a_folder_that_is_not_a_checkpoint(qtbot, tmp_path):
    wizard = _wizard(qtbot)
    wizard.source_page.source.setText(str(tmp_path))
    wizard.next()
    assert wizard.currentPage() is wizard.source_page
    assert "config.json" in wizard.source_page.error.text()
    assert "Traceback" not in wizard.source_page.error.text()


def test_offline_download_says_so_in_japanese(qtbot):
    """HF_HUB_OFFLINE is set for every test: a hub model name meets the offline path."""
    from desktop import i18n

    i18n.apply_language("ja")
    try:
        wizard = ConversionWizard()
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        wizard.source_page.source.setText("HuggingFaceTB/SmolLM2-360M-Instruct")
        wizard.next()
        qtbot.waitUntil(lambda: bool(wizard.source_page.error.text()), timeout=20000)
        assert wizard.currentPage() is wizard.source_page
        message = wizard.source_page.error.text()
        assert (
            message
            == "オフラインです。インターネットに接続するか、ダウンロード済みのフォルダーを選んでください。"
        )
        assert "HF_HUB_OFFLINE" not in message
        wizard.source_page.wait()
    finally:
        i18n.apply_language("en")


def test_the_estimate_comes_before_any_download(qtbot, tmp_path):
    """Sizes, the quality loss and the fit are on the size cards; the summary shows the disk needed."""
    folder = make_checkpoint(tmp_path, "llama", "spm-bpe", "safetensors")
    wizard = _wizard(qtbot)
    wizard.source_page.source.setText(str(folder))
    wizard.next()
    assert wizard.device_page.cards["laptop-16gb"].isChecked()  # a sensible default
    wizard.next()
    cards = wizard.quality_page.cards
    assert set(cards) == {"smallest", "balanced", "best"}
    assert all("fits this device" in card.text() for card in cards.values())
    assert cards["balanced"].isChecked() and wizard.quality_page.chosen_quant() == "Q4_K_M"
    assert not wizard.quality_page.details.isVisibleTo(
        wizard.quality_page
    )  # the exact type waits under Details
    wizard.next()
    summary = wizard.summary_page
    assert "needed while converting" in summary.values["disk"].text()
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Start"
    assert not list(models_dir().glob("*.gguf"))


def test_converts_validates_and_offers_to_load(qtbot, tmp_path):
    folder = make_checkpoint(tmp_path, "llama", "spm-bpe", "safetensors")
    wizard = _wizard(qtbot)
    wizard.source_page.source.setText(str(folder))
    wizard.next()
    options = wizard.device_page
    assert wizard.currentPage() is options
    assert "LlamaForCausalLM" in options.model_line.text()
    _to_summary(wizard, "phone-4gb", "Q4_0")
    assert "Q4_0" in wizard.summary_page.values["size"].text()
    assert wizard.summary_page.warning.text() == ""  # fits, enough disk, nothing to download
    wizard.summary_page.output.setText("tiny-llama.Q4_0.gguf")
    fractions: list[int] = []
    wizard.progress_page.bar.valueChanged.connect(fractions.append)
    wizard.next()
    qtbot.waitUntil(
        lambda: wizard.currentPage() is wizard.report_page or bool(wizard.progress_page.error.text()),
        timeout=180000,
    )
    assert wizard.progress_page.error.text() == ""
    assert len(fractions) > 2 and fractions[-1] == 1000  # progress was shown
    report = wizard.report_page.text.toPlainText()
    assert "loads in llama.cpp" in report
    assert "loads in this app" in wizard.report_page.summary.text()
    out = models_dir() / "tiny-llama.Q4_0.gguf"
    assert out.is_file()
    assert not [p for p in models_dir().iterdir() if p.name.startswith(".")]  # no temporary left
    with qtbot.waitSignal(wizard.load_requested) as blocker:
        wizard.report_page.load_button.click()
    assert blocker.args == [str(out)]
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_cancel_leaves_nothing(qtbot, tmp_path):
    folder = make_checkpoint(tmp_path, "llama", "spm-bpe", "safetensors")
    wizard = _wizard(qtbot)
    wizard.source_page.source.setText(str(folder))
    wizard.next()
    _to_summary(wizard, "laptop-16gb", "Q4_K_M")
    wizard.next()
    back = wizard.button(QWizard.WizardButton.BackButton)
    # While converting: no Back (the job would go on behind the earlier pages), and Enter does not
    # press Cancel.
    qtbot.waitUntil(lambda: not back.isEnabled(), timeout=5000)
    assert not wizard.progress_page.cancel_button.autoDefault()
    wizard.progress_page.cancel()
    qtbot.waitUntil(lambda: bool(wizard.progress_page.error.text()), timeout=120000)
    assert "Cancelled" in wizard.progress_page.error.text()
    assert back.isEnabled()  # after a failure Back changes the choices and tries again
    assert not list(models_dir().iterdir())
