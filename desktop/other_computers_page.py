"""Settings › Other computers: workers that take part of a model (llama.cpp RPC), and OpenAI-compatible
servers whose models the Model menu lists. Saved in models/other_computers (keys in the keychain)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import other_computers as oc
from models.errors import TomoshibiError
from models.events import EngineInfo
from models.rpc_split import LOCAL

from .i18n import RetranslateOnLanguageChange
from .icons import icon
from .theme import set_role


def _paragraph(role: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    if role:
        set_role(label, role)
    return label


def _details(body: QWidget) -> QToolButton:
    """A "Details" toggle that shows ``body`` (hidden at first): the technical words live there."""
    button = QToolButton()
    button.setCheckable(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setIcon(icon("chevron-right"))
    button.setAutoRaise(True)

    def toggled(shown: bool) -> None:
        body.setVisible(shown)
        button.setIcon(icon("chevron-down" if shown else "chevron-right"))

    button.toggled.connect(toggled)
    body.hide()
    return button


class OtherComputersPage(RetranslateOnLanguageChange, QWidget):
    """Plain words first (what each part is for); addresses, RPC and layers under "Details"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intro = _paragraph()
        self.workers_box, self.servers_box = QGroupBox(), QGroupBox()
        # Helpers: other computers lend their memory (and GPU) to a model too big for this one.
        self.workers_intro = _paragraph()
        self.workers = QListWidget()
        self.workers.setMaximumHeight(90)
        self.worker_address = QLineEdit()
        self.add_worker, self.remove_worker = QPushButton(), QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.worker_address, 1)
        row.addWidget(self.add_worker)
        row.addWidget(self.remove_worker)
        self.workers_note = _paragraph("muted")
        self.workers_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.workers_details = _details(self.workers_note)
        box = QVBoxLayout(self.workers_box)
        box.addWidget(self.workers_intro)
        box.addWidget(self.workers)
        box.addLayout(row)
        box.addWidget(self.workers_details, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.workers_note)
        # Servers: chat with models another computer runs.
        self.servers_intro = _paragraph()
        self.servers = QListWidget()
        self.servers.setMaximumHeight(90)
        self.server_name, self.server_url, self.server_key = QLineEdit(), QLineEdit(), QLineEdit()
        self.server_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_server, self.remove_server = QPushButton(), QPushButton()
        fields = QHBoxLayout()
        fields.addWidget(self.server_name, 1)
        fields.addWidget(self.server_url, 2)
        fields.addWidget(self.server_key, 1)
        buttons = QHBoxLayout()
        self.servers_note = _paragraph("muted")
        self.servers_details = _details(self.servers_note)
        buttons.addWidget(self.servers_details)
        buttons.addStretch(1)
        buttons.addWidget(self.add_server)
        buttons.addWidget(self.remove_server)
        box = QVBoxLayout(self.servers_box)
        box.addWidget(self.servers_intro)
        box.addWidget(self.servers)
        box.addLayout(fields)
        box.addLayout(buttons)
        box.addWidget(self.servers_note)
        self.problem = _paragraph("error")
        self.problem.hide()
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.intro)
        layout.addWidget(self.workers_box)
        layout.addWidget(self.servers_box)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        # Opened details make the page taller than a small settings window: it scrolls, never clips.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.add_worker.clicked.connect(self._add_worker)
        self.worker_address.returnPressed.connect(self._add_worker)
        self.remove_worker.clicked.connect(lambda: self._remove(self.workers))
        self.add_server.clicked.connect(self._add_server)
        self.remove_server.clicked.connect(lambda: self._remove(self.servers))
        # Remove acts on the selected entry: enabled only when there is one.
        for widget, button in ((self.workers, self.remove_worker), (self.servers, self.remove_server)):
            button.setEnabled(False)
            widget.itemSelectionChanged.connect(
                lambda w=widget, b=button: b.setEnabled(bool(w.selectedItems()))
            )
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
                self.tr(
                    "This address is not valid. Write the other computer's address and port, for example 192.168.1.20:50052."
                )
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
        self.intro.setText(
            self.tr(
                "Use another computer's memory and graphics card to run models too big for this one, or chat with models that another computer runs. Everything stays on your own network."
            )
        )
        self.workers_box.setTitle(self.tr("Run bigger models with your other computers"))
        self.workers_intro.setText(
            self.tr(
                "Add the computers that should help. Tomoshibi shares the model among them by their free memory; this computer does the rest. A computer that cannot be reached is skipped."
            )
        )
        self.servers_box.setTitle(self.tr("Chat with models on another computer"))
        self.servers_intro.setText(
            self.tr(
                "Add a computer that runs a model server. Its models then appear in the model list, next to the ones on this computer."
            )
        )
        for button in (self.workers_details, self.servers_details):
            button.setText(self.tr("Details"))
        self.add_worker.setText(self.tr("Add"))
        self.remove_worker.setText(self.tr("Remove"))
        self.add_server.setText(self.tr("Add"))
        self.remove_server.setText(self.tr("Remove"))
        self.worker_address.setToolTip(
            self.tr("The other computer's address and port (host:port), as tomoshibi rpc-worker prints it.")
        )
        self.worker_address.setPlaceholderText(
            self.tr("Address, for example %1").replace("%1", "192.168.1.20:50052")
        )
        self.server_url.setPlaceholderText(
            self.tr("Address, for example %1").replace("%1", "http://192.168.1.30:8080/v1")
        )
        self.server_name.setPlaceholderText(self.tr("Name"))
        self.server_name.setToolTip(self.tr("A name you choose, shown in the model list."))
        self.server_url.setToolTip(self.tr("The server's address (an OpenAI-compatible /v1 address)."))
        self.server_key.setPlaceholderText(self.tr("Access key (optional)"))
        self.server_key.setToolTip(self.tr("The server's API key, if it asks for one."))
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
