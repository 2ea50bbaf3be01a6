"""Settings › Other computers: workers that take part of a model (llama.cpp RPC), and OpenAI-compatible
servers whose models the Model menu lists. Saved in models/other_computers (keys in the keychain)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models import other_computers as oc
from models.errors import TomoshibiError
from models.events import EngineInfo
from models.rpc_split import LOCAL

from .i18n import RetranslateOnLanguageChange


def _dim(label: QLabel) -> QLabel:
    label.setWordWrap(True)
    label.setStyleSheet("color: #8a8170;")
    return label


class OtherComputersPage(RetranslateOnLanguageChange, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workers_box, self.servers_box = QGroupBox(), QGroupBox()
        # Workers
        self.workers = QListWidget()
        self.workers.setMaximumHeight(90)
        self.worker_address = QLineEdit()
        self.worker_address.setPlaceholderText("192.168.1.20:50052")
        self.add_worker, self.remove_worker = QPushButton(), QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.worker_address, 1)
        row.addWidget(self.add_worker)
        row.addWidget(self.remove_worker)
        self.workers_note = _dim(QLabel())
        self.workers_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self.workers_box)
        box.addWidget(self.workers)
        box.addLayout(row)
        box.addWidget(self.workers_note)
        # Servers
        self.servers = QListWidget()
        self.servers.setMaximumHeight(90)
        self.server_name, self.server_url, self.server_key = QLineEdit(), QLineEdit(), QLineEdit()
        self.server_url.setPlaceholderText("http://192.168.1.30:8080/v1")
        self.server_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_server, self.remove_server = QPushButton(), QPushButton()
        fields = QHBoxLayout()
        fields.addWidget(self.server_name, 1)
        fields.addWidget(self.server_url, 2)
        fields.addWidget(self.server_key, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_server)
        buttons.addWidget(self.remove_server)
        self.servers_note = _dim(QLabel())
        box = QVBoxLayout(self.servers_box)
        box.addWidget(self.servers)
        box.addLayout(fields)
        box.addLayout(buttons)
        box.addWidget(self.servers_note)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.workers_box)
        layout.addWidget(self.servers_box)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.add_worker.clicked.connect(self._add_worker)
        self.worker_address.returnPressed.connect(self._add_worker)
        self.remove_worker.clicked.connect(lambda: self._remove(self.workers))
        self.add_server.clicked.connect(self._add_server)
        self.remove_server.clicked.connect(lambda: self._remove(self.servers))
        self._keys: dict[str, str] = {}  # typed here, stored on save
        self.retranslate()
        self.load()

    # ---- data ------------------------------------------------------------------------------------
    def load(self) -> None:
        saved = oc.load()
        self.workers.clear()
        for endpoint in saved.rpc_workers:
            self.workers.addItem(endpoint)
        self.servers.clear()
        for server in saved.servers:
            self._server_item(server)

    def save(self) -> None:
        workers = tuple(self.workers.item(i).text() for i in range(self.workers.count()))
        servers = tuple(
            self.servers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.servers.count())
        )
        oc.save(oc.OtherComputers(workers, servers))
        for base_url, key in self._keys.items():
            oc.set_key(base_url, key)
        self._keys.clear()

    def _server_item(self, server: oc.RemoteServer) -> None:
        item = QListWidgetItem(f"{server.name} — {server.base_url}")
        item.setData(Qt.ItemDataRole.UserRole, server)
        self.servers.addItem(item)

    def _show_problem(self, text: str | None) -> None:
        self.problem.setVisible(text is not None)
        self.problem.setText(text or "")

    def _add_worker(self) -> None:
        from models.rpc import parse_endpoint

        try:
            endpoint = parse_endpoint(self.worker_address.text())
        except TomoshibiError:
            self._show_problem(
                self.tr("This address is not valid. Write it as host:port, for example 192.168.1.20:50052.")
            )
            return
        self._show_problem(None)
        if not self.workers.findItems(endpoint, Qt.MatchFlag.MatchExactly):
            self.workers.addItem(endpoint)
        self.worker_address.clear()

    def _add_server(self) -> None:
        try:
            base_url = oc.normalize_base_url(self.server_url.text())
        except TomoshibiError:
            self._show_problem(
                self.tr("This address is not valid. Write it like http://192.168.1.30:8080/v1.")
            )
            return
        self._show_problem(None)
        name = self.server_name.text().strip() or base_url
        self._server_item(oc.RemoteServer(name, base_url))
        self._keys[base_url] = self.server_key.text()
        for field in (self.server_name, self.server_url, self.server_key):
            field.clear()

    def _remove(self, widget: QListWidget) -> None:
        for item in widget.selectedItems():
            widget.takeItem(widget.row(item))

    # ---- text ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.workers_box.setTitle(self.tr("Split a model across computers"))
        self.servers_box.setTitle(self.tr("Models on other computers' servers"))
        self.add_worker.setText(self.tr("Add"))
        self.remove_worker.setText(self.tr("Remove"))
        self.add_server.setText(self.tr("Add"))
        self.remove_server.setText(self.tr("Remove"))
        self.server_name.setPlaceholderText(self.tr("Name"))
        self.server_key.setPlaceholderText(self.tr("API key (optional)"))
        self.workers_note.setText(
            self.tr(
                "On each computer, run: tomoshibi rpc-worker. The model's layers are shared among these computers by their free memory; this computer keeps the rest. Unreachable ones are skipped. llama.cpp's RPC has no password and no encryption: use it only between your own computers, over an SSH tunnel if the network is not yours alone."
            )
        )
        keys = (
            self.tr("Keys are kept in the system keychain.")
            if oc.key_storage() == "keychain"
            else self.tr("No system keychain was found: keys are kept only until Tomoshibi closes.")
        )
        self.servers_note.setText(
            self.tr(
                "Any OpenAI-compatible server: tomoshibi serve on another computer, llama-server, Ollama, LM Studio. Its models appear in the Model menu."
            )
            + " "
            + keys
        )


def placement_text(info: EngineInfo) -> str:
    """ "Layers:" then "this computer: 1", "192.168.1.20:50052: 30" … for the model panel (empty when
    every layer is on this computer)."""
    if not info.layer_placement:
        return ""
    here = QCoreApplication.translate("OtherComputersPage", "this computer")
    # One place per line, so a long address never wraps away from its count.
    parts = [f"  {here if where == LOCAL else where}: {count}" for where, count in info.layer_placement]
    return QCoreApplication.translate("OtherComputersPage", "Layers:") + "\n" + "\n".join(parts)
