"""The chat turn, between the widgets, the conversation store and the engine thread.

One engine writes one answer at a time, but an answer belongs to its conversation, not to the
screen: switching conversations never stops it (it goes on streaming into its own conversation),
and a message sent meanwhile waits in a queue (shown in the chat and in the list). Stop stops the
answer of the conversation on screen.

Every message is saved as soon as it exists: the user's at once (here), the answer as it grows
(``answer_queue.AnswerQueue``, which also holds the queue). Regenerating and editing add versions
(``ConversationStore``) and never delete. A crash or a killed app keeps everything said so far.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from models.conversations import ConversationStore
from models.errors import ConfigError
from models.events import EngineInfo, Finished, LoadConfig
from models.turn import Source, Turn

from .answer_queue import AnswerQueue, Job, left_out_of
from .chat_view import ChatView
from .engine_worker import EngineHost
from .turn_request import KEYWORD_ONLY, MISSING_PREFIX, TurnRequest


class ChatController(QObject):
    busy_changed = Signal(bool)  # the conversation on screen has an answer being written or queued
    activity_changed = Signal(object)  # dict: conversation id → "generating" | "queued"
    notice = Signal(str, str)  # kind (crash | error | info), message
    conversation_opened = Signal(int)  # -1: a new, not yet saved chat
    conversations_changed = Signal()
    model_changing = Signal(bool)  # about to close the engine: True when another one will load
    model_loading = Signal(str)
    model_loaded = Signal(object)  # EngineInfo
    model_failed = Signal(str)
    model_unloaded = Signal()
    live_speed = Signal(float)
    reply_finished = Signal(object)  # Finished
    reply_failed = Signal(str)

    def __init__(self, store: ConversationStore, host: EngineHost, view: ChatView) -> None:
        super().__init__()
        self.store = store
        self.host = host
        self.view = view
        self.conversation_id: int | None = None
        self.model_path = ""  # loaded or loading
        self.model_info: EngineInfo | None = None
        self.loading = False
        self.n_ctx = 4096
        self.answers = AnswerQueue(store)  # the answer being written and those waiting (answer_queue.py)
        self._draft_settings: tuple[str, dict] = ("", {})
        self._draft_collections: list[str] = []
        self._told_keyword_only: set[int] = set()  # conversations told once how to search better
        self.embedding_offered: Callable[[], bool] | None = None  # the documents strip's offer is showing
        worker = host.worker
        self._engine_slots = (
            (worker.loading, self._on_loading),
            (worker.loaded, self._on_loaded),
            (worker.load_failed, self._on_load_failed),
            (worker.unloaded, self._on_unloaded),
            (worker.turn_ready, self._on_turn_ready),
            (worker.token, self._on_token),
            (worker.finished, self._on_finished),
            (worker.error, self._on_error),
            (worker.crashed, self._on_crashed),
        )
        for signal, slot in self._engine_slots:
            signal.connect(slot)
        view.edit_submitted.connect(self.edit_and_resend)
        view.regenerate_requested.connect(self.regenerate)
        view.version_requested.connect(self.show_version)

    # --- state -----------------------------------------------------------------------------------
    @property
    def running(self) -> Job | None:
        return self.answers.running

    @property
    def queue(self) -> list[Job]:
        """The answers waiting for the engine, first to run first."""
        return self.answers.waiting

    @property
    def generating(self) -> bool:
        return self.running is not None

    @property
    def pending(self) -> bool:
        """A message waits for the model to finish loading."""
        return bool(self.answers) and self.running is None

    @property
    def busy(self) -> bool:
        """The conversation on screen has an answer being written or waiting."""
        return self.answers.job_for(self.conversation_id) is not None

    @property
    def model_ready(self) -> bool:
        return self.model_info is not None and not self.loading

    def activity(self) -> dict[int, str]:
        return self.answers.activity()

    # --- models ----------------------------------------------------------------------------------
    def load_model(self, path: str) -> None:
        if self.running is not None:
            self.host.cancel_request(self.running.request_id)
        self.model_path = path
        self.loading = True
        self.model_info = None
        self.model_changing.emit(True)
        from models.other_computers import workers_for

        self.host.load(LoadConfig(model_path=path, n_ctx=self.n_ctx, rpc_workers=workers_for(path)))

    def unload_model(self) -> None:
        if self.running is not None:
            self.host.cancel_request(self.running.request_id)
        self.model_changing.emit(False)
        self.host.unload()

    def reload_model(self) -> None:
        if self.model_path:
            self.load_model(self.model_path)

    def _on_loading(self, path: str) -> None:
        self.model_loading.emit(path)

    def _on_loaded(self, info: EngineInfo) -> None:
        self.loading = False
        self.model_info = info
        self.model_loaded.emit(info)
        self._pump()

    def _on_load_failed(self, message: str) -> None:
        self.loading = False
        self.model_info = None
        self.model_failed.emit(message)
        self.notice.emit("error", message)
        if self.answers and self.running is None:  # nothing will answer them: they stop waiting
            self.answers.clear()
            self.view.discard_stream()
            self._set_busy()

    def _on_unloaded(self) -> None:
        if not self.loading:
            self.model_info = None
            self.model_unloaded.emit()

    # --- conversations ---------------------------------------------------------------------------
    def new_conversation(self) -> None:
        self.conversation_id = None
        self._draft_collections = []
        self.view.clear()
        self._set_busy()
        self.conversation_opened.emit(-1)

    def open_conversation(self, conversation_id: int) -> None:
        """Show a conversation; an answer being written elsewhere goes on."""
        if conversation_id == self.conversation_id:
            return
        conv = self.store.get(conversation_id)
        self.conversation_id = conversation_id
        self.reload_view()
        self.conversation_opened.emit(conversation_id)
        if (
            conv.model
            and Path(conv.model).is_file()
            and conv.model != self.model_path
            and not self.generating
        ):
            self.load_model(conv.model)

    def reload_view(self) -> None:
        self.view.clear()
        if self.conversation_id is None:
            self._set_busy()
            return
        for msg in self.store.messages(self.conversation_id):
            if msg.role == "system":
                continue
            widget = self.view.add_message(
                msg.role, msg.content, msg.id, msg.tokens_per_second, msg.finish_reason
            )
            widget.set_versions([m.id for m in self.store.versions(msg.id)])
            if msg.sources:
                widget.set_sources([Source.from_json(s) for s in msg.sources], left_out_of(msg.sources))
        job = self.answers.job_for(self.conversation_id)
        if job is not None:
            widget = self.view.widget_for(job.assistant_id) if job.assistant_id is not None else None
            if widget is not None:
                self.view.adopt_stream(widget, job.text)
                widget.set_sources(job.sources, job.left_out)
            else:
                self.view.begin_stream(None, waiting=job is not self.running)
        self._set_busy()

    def update_settings(self, system_prompt: str, sampling: dict) -> None:
        """The settings panel changed; a chat not yet saved keeps them for its first message."""
        if self.conversation_id is None:
            self._draft_settings = (system_prompt, sampling)
        else:
            self.store.update_settings(self.conversation_id, system_prompt=system_prompt, sampling=sampling)

    def collections(self) -> list[str]:
        if self.store.closed:  # the window has closed; a late language change still asks
            return []
        if self.conversation_id is None:
            return list(self._draft_collections)
        return list(self.store.get(self.conversation_id).collections)

    def set_collections(self, names: list[str]) -> None:
        """Attach these document collections to the conversation on screen."""
        if self.conversation_id is None:
            self._draft_collections = list(dict.fromkeys(names))
        else:
            self.store.set_collections(self.conversation_id, names)

    def ensure_conversation(self, first_text: str) -> int:
        if self.conversation_id is None:
            title = first_text.strip().splitlines()[0][:48] if first_text.strip() else ""
            prompt, sampling = self._draft_settings
            conv = self.store.new_conversation(
                title, model=self.model_path or None, system_prompt=prompt, sampling=sampling
            )
            if self._draft_collections:
                self.store.set_collections(conv.id, self._draft_collections)
            self.conversation_id = conv.id
            self.conversations_changed.emit()
            self.conversation_opened.emit(conv.id)
        return self.conversation_id

    # --- a chat turn -----------------------------------------------------------------------------
    def send(self, text: str) -> bool:
        """Save and show the user's message, then answer it (now, or when the engine is free)."""
        text = text.strip()
        if not text or self.busy:
            return False
        conv_id = self.ensure_conversation(text)
        msg = self.store.add_message(conv_id, "user", text)
        widget = self.view.add_message("user", text, msg.id)
        widget.set_versions([m.id for m in self.store.versions(msg.id)])
        self.conversations_changed.emit()
        self._enqueue(Job(conv_id, msg.id))
        return True

    def _enqueue(self, job: Job) -> None:
        self.answers.add(job)
        if job.conv_id == self.conversation_id:
            self.view.begin_stream(None, waiting=self.running is not None)
        self._set_busy()
        if not self.model_ready and not self.loading:
            self.notice.emit(
                "error",
                self.tr(
                    "No model is loaded. Load one from the model panel; your message will be answered then."
                ),
            )
        self._pump()

    def _pump(self) -> None:
        """Start the next queued answer when the engine is free."""
        if self.running is not None or not self.model_ready:
            return
        while (job := self.answers.take_next()) is not None:
            try:
                self._start(job)
            except ConfigError:  # its conversation was deleted while it waited
                continue
            return

    def _start(self, job: Job) -> None:
        history, assistant_id = self.answers.start(job, self.model_path)
        conv = self.store.get(job.conv_id)
        if job.conv_id == self.conversation_id:
            if self.view.stream is None:
                self.view.begin_stream(assistant_id)
            self.view.set_stream_id(assistant_id)
        self._set_busy()
        self.host.turn(
            TurnRequest(
                job.request_id,
                history,
                conv.system_prompt,
                dict(conv.sampling),
                conv.collections,
                conversation_id=f"conversation-{job.conv_id}",
            )
        )

    def stop(self) -> None:
        """Esc / Stop: the answer of the conversation on screen ends (and is kept); a queued one is dropped."""
        job = self.answers.job_for(self.conversation_id)
        if job is None:
            return
        if job is self.running:
            self.host.cancel_request(job.request_id)
        else:
            self.answers.remove(job)
            self.view.discard_stream()
            if self.store.get(job.conv_id).leaf_id == job.parent_id:
                self.store.select_version(job.parent_id)  # back to the answer it already had, if any
                self.reload_view()
            self._set_busy()

    def regenerate(self, message_id: int | None = None) -> None:
        """Write an answer again: a new version beside the old one (default: the last answer)."""
        if self.busy or self.conversation_id is None:
            return
        if message_id is None:
            shown = [m for m in self.store.messages(self.conversation_id) if m.role == "assistant"]
            if not shown:
                return
            message_id = shown[-1].id
        answer = self.store.message(message_id)
        if answer.parent_id is None:
            return
        self.store.select_message(answer.parent_id)  # the branch up to its question
        self.reload_view()
        self._enqueue(Job(self.conversation_id, answer.parent_id))

    def edit_and_resend(self, message_id: int, text: str) -> None:
        """Send ``text`` as a new version of a user message: a new branch from there; the old one stays."""
        if self.busy or self.conversation_id is None or not text.strip():
            return
        old = self.store.message(message_id)
        msg = self.store.add_message(self.conversation_id, "user", text.strip(), parent_id=old.parent_id)
        self.reload_view()
        self.conversations_changed.emit()
        self._enqueue(Job(self.conversation_id, msg.id))

    def show_version(self, message_id: int) -> None:
        """Show the branch through this version of a message."""
        if self.busy or self.conversation_id is None:
            return
        self.store.select_version(message_id)
        self.reload_view()

    # --- events from the engine thread ---------------------------------------------------------------
    def _on_turn_ready(self, request_id: int, turn: Turn) -> None:
        job = self.running
        if job is None or job.request_id != request_id:
            return
        job.sources, job.left_out = turn.sources, turn.left_out
        if job.conv_id == self.conversation_id:
            self.view.set_stream_sources(turn.sources, turn.left_out)
        missing = [n[len(MISSING_PREFIX) :] for n in turn.notes if n.startswith(MISSING_PREFIX)]
        if missing:
            self.notice.emit(
                "info",
                self.tr("The document collection %1 no longer exists; it was left out.").replace(
                    "%1", ", ".join(missing)
                ),
            )
        offered = self.embedding_offered is not None and self.embedding_offered()
        # Under the chat, the one-click embedding-model offer already says this (and does it).
        if KEYWORD_ONLY in turn.notes and job.conv_id not in self._told_keyword_only and not offered:
            self._told_keyword_only.add(job.conv_id)
            self.notice.emit(
                "info",
                self.tr(
                    "Your documents are searched by keywords only, as no installed embedding model has "
                    "indexed them. To also find passages that say the same thing in other words, get an embedding "
                    "model in Model library… and index them again in Documents…."
                ),
            )

    def _on_token(self, text: str) -> None:
        job = self.running
        if job is None:
            return
        saved = self.answers.add_token(text)  # saved as it grows: a crash keeps what was said
        if job.conv_id == self.conversation_id:
            self.view.append_stream(text)
        if saved:
            self.live_speed.emit(job.speed)

    def _on_finished(self, event: Finished) -> None:
        job = self.running
        if job is None:
            return
        text, sources = self.answers.finish(event)
        if job.conv_id == self.conversation_id:
            self.view.set_stream_sources(sources, job.left_out)
            self.view.end_stream(text, event.tokens_per_second, event.reason)
            self._refresh_versions(job.assistant_id)
        self._end_turn()
        self.live_speed.emit(event.tokens_per_second)
        self.reply_finished.emit(event)

    def _on_error(self, message: str) -> None:
        job = self.running
        self.answers.end("error")
        if job is not None and job.conv_id == self.conversation_id:
            if job.text:
                self.view.end_stream(job.text, None, "error")
            else:
                self.view.discard_stream()
        self._end_turn()
        self.notice.emit("error", message)
        self.reply_failed.emit(message)

    def _on_crashed(self, message: str) -> None:
        job = self.running
        self.answers.end("crashed")
        if job is not None and job.conv_id == self.conversation_id:
            self.view.end_stream(job.text, None, "crashed")
        self.model_info = None
        self._end_turn()
        self.model_failed.emit(message)
        self.notice.emit("crash", message)
        self.reply_failed.emit(message)

    def shutdown(self) -> None:
        """The window closes: keep the answer so far, then stop listening to the engine thread (events
        still queued must not reach a closed store)."""
        job = self.running
        if job is not None and job.assistant_id is not None:
            self.host.cancel_request(job.request_id)
            self.answers.end("cancelled")
        for signal, slot in self._engine_slots:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self.answers.clear()

    def _refresh_versions(self, message_id: int | None) -> None:
        widget = self.view.widget_for(message_id) if message_id is not None else None
        if widget is not None:
            widget.set_versions([m.id for m in self.store.versions(message_id)])  # type: ignore[arg-type]

    def _end_turn(self) -> None:
        self.answers.running = None
        self._set_busy()
        self._pump()

    def _set_busy(self) -> None:
        self.view.set_busy(self.busy)
        self.busy_changed.emit(self.busy)
        self.activity_changed.emit(self.activity())
