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
    return wizard


def test_rejects_a_folder_that_is_not_a_checkpoint(qtbot, tmp_path):
    wizard = _wizard(qtbot)
    wizard.source_page.source.setText(str(tmp_path))
    wizard.next()
    assert wizard.currentPage() is wizard.source_page
    assert "config.json" in wizard.source_page.error.text()
    assert "Traceback" not in wizard.source_page.error.text()


def test_converts_validates_and_offers_to_load(qtbot, tmp_path):
    folder = make_checkpoint(tmp_path, "llama", "spm-bpe", "safetensors")
    wizard = _wizard(qtbot)
    wizard.source_page.source.setText(str(folder))
    wizard.next()
    options = wizard.options_page
    assert wizard.currentPage() is options
    assert options.architecture.text() == "LlamaForCausalLM"
    options.profile.setCurrentIndex(options.profile.findData("phone-4gb"))
    options.quant.setCurrentIndex(options.quant.findData("Q4_0"))
    assert "fits this device" in options.estimate.text()
    options.output.setText("tiny-llama.Q4_0.gguf")
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
    wizard.options_page.quant.setCurrentIndex(wizard.options_page.quant.findData("Q4_K_M"))
    wizard.next()
    wizard.progress_page.cancel()
    qtbot.waitUntil(lambda: bool(wizard.progress_page.error.text()), timeout=120000)
    assert "cancelled" in wizard.progress_page.error.text()
    assert not list(models_dir().iterdir())
