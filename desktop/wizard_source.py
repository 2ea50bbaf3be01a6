"""The conversion wizard's "which model?" page: a checkpoint folder on this computer, or a hub model
whose config.json (a few kB) is read first, so the estimate comes before any large download."""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from models.errors import Code, TomoshibiError

from .error_text import user_message
from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .theme import Space, set_role
from .threads import start_worker
from .wizard_pages import _paragraph
from .wizard_run import wait_for

log = logging.getLogger(__name__)


class _ConfigFetch(QObject):
    """Reads a hub model's config.json (a few kB) so the size estimate comes before any big download."""

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, repo: str) -> None:
        super().__init__()
        self.repo = repo

    def run(self) -> None:
        from converters.arch import architecture_for
        from converters.profiles import shape_from_config
        from models.download import download_file

        try:
            with tempfile.TemporaryDirectory(prefix="tomoshibi-config-") as folder:
                path = download_file(self.repo, "config.json", dest_dir=Path(folder), retries=0)
                config = json.loads(path.read_text(encoding="utf-8"))
            architecture_for(config)
            names = config.get("architectures") or [config.get("model_type", "?")]
            shape = shape_from_config(config, self.repo.split("/")[-1])
        except TomoshibiError as error:
            self.failed.emit(user_message(error))
            return
        except Exception as error:  # a malformed config: said in the UI language, detail in the log
            log.warning("config.json of %s: %s", self.repo, error)
            self.failed.emit(user_message(TomoshibiError("", code=Code.UNSUPPORTED)))
            return
        self.done.emit({"folder": None, "architecture": str(names[0]), "shape": shape, "name": shape.name})


class SourcePage(RetranslateOnLanguageChange, QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(Space.M)
        self.explain = _paragraph()
        row = QHBoxLayout()
        self.source = QLineEdit()
        self.browse = QPushButton()
        self.browse.setIcon(icon("folder-open"))
        self.browse.clicked.connect(self._browse)
        row.addWidget(self.source, 1)
        row.addWidget(self.browse)
        self.hint = _paragraph("muted")
        self.busy = set_role(QLabel(), "muted")
        self.error = _paragraph("error")
        layout.addWidget(self.explain)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.source.textChanged.connect(self.completeChanged)
        self.registerField("source*", self.source)
        self._fetch: tuple[QThread, _ConfigFetch] | None = None
        self._fetched_for = ""
        self.retranslate()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose the model's folder"))
        if folder:
            self.source.setText(folder)

    def validatePage(self) -> bool:  # noqa: N802 (Qt naming)
        from .conversion_wizard import detect

        wizard: Any = self.wizard()
        text = self.source.text().strip()
        self.error.clear()
        folder = Path(text).expanduser()
        if folder.is_dir():
            if not (folder / "config.json").is_file():
                self.error.setText(user_message(TomoshibiError("", code=Code.NOT_A_CHECKPOINT)))
                return False
            try:
                wizard.detected = detect(text)
            except TomoshibiError as error:
                self.error.setText(user_message(error))
                return False
            return True
        if text.count("/") == 1 and not text.startswith((".", "/", "~")) and all(text.split("/")):
            if self._fetched_for == text and wizard.detected:
                return True
            self._start_fetch(text)
            return False
        self.error.setText(
            self.tr("Choose a folder on this computer, or type a model name such as owner/name.")
        )
        return False

    def _start_fetch(self, repo: str) -> None:
        if self._fetch is not None:
            return
        self.busy.setText(self.tr("Looking up %1…").replace("%1", repo))
        worker = _ConfigFetch(repo)
        # Bound methods of this page, so the signals are delivered on the GUI thread.
        thread = start_worker(
            self, worker, done=self._fetch_done, failed=self._fetch_failed, finished=self._fetch_finished
        )
        self._fetch = (thread, worker)

    def _fetch_done(self, detected: dict[str, Any]) -> None:
        wizard: Any = self.wizard()
        wizard.detected = detected
        self._fetched_for = self.source.text().strip()
        self.busy.clear()
        wizard.next()

    def _fetch_failed(self, message: str) -> None:
        self.busy.clear()
        self.error.setText(message)

    def _fetch_finished(self) -> None:
        self._fetch = None

    def is_busy(self) -> bool:
        return self._fetch is not None

    def wait(self) -> None:
        if self._fetch is not None:
            wait_for(self._fetch[0])

    def retranslate(self) -> None:
        self.setTitle(self.tr("Which model?"))
        self.explain.setText(
            self.tr(
                "Choose the folder of a model you have downloaded (it holds a file named config.json), or type the name of a model on Hugging Face to download it."
            )
        )
        self.source.setPlaceholderText(
            self.tr("A folder, or a name such as HuggingFaceTB/SmolLM2-360M-Instruct")
        )
        self.browse.setText(self.tr("Choose folder…"))
        self.hint.setText(
            self.tr(
                "Only the model's description is read now; nothing large is downloaded before you press Start."
            )
        )
