"""The chat turn, between the widgets, the conversation store and the engine thread.

Every message is saved as soon as it exists: the user's at once, the answer as an empty row when
generation starts, then its text about once a second and finally with tokens/s and the finish reason.
A crash or a killed app therefore keeps everything said so far.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from models.conversations import ConversationStore
from models.events import EngineInfo, Finished, LoadConfig

from .chat_view import ChatView
from .conversation_settings import sampling_params
from .engine_worker import EngineHost

CHECKPOINT_SECONDS = 1.0


class ChatController(QObject):
    busy_changed = Signal(bool)
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
        self.generating = False
        self.pending = False  # a message waits for the model to finish loading
        self.n_ctx = 4096
        self._draft_settings: tuple[str, dict] = ("", {})
        self._assistant_id: int | None = None
        self._partial: list[str] = []
        self._checkpoint = 0.0
        self._started = 0.0
        self._tokens = 0
        worker = host.worker
        worker.loading.connect(self._on_loading)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.unloaded.connect(self._on_unloaded)
        worker.token.connect(self._on_token)
        worker.finished.connect(self._on_finished)
        worker.error.connect(self._on_error)
        worker.crashed.connect(self._on_crashed)
        view.edit_submitted.connect(self.edit_and_resend)
        view.regenerate_requested.connect(self.regenerate)

    @property
    def busy(self) -> bool:
        return self.generating or self.pending

    @property
    def model_ready(self) -> bool:
        return self.model_info is not None and not self.loading

    # --- models ----------------------------------------------------------------------------------
    def load_model(self, path: str) -> None:
        if self.generating:
            self.stop()
        self.model_path = path
        self.loading = True
        self.model_info = None
        self.model_changing.emit(True)
        from models.other_computers import workers_for

        self.host.load(LoadConfig(model_path=path, n_ctx=self.n_ctx, rpc_workers=workers_for(path)))

    def unload_model(self) -> None:
        if self.generating:
            self.stop()
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
        if self.pending:
            self.pending = False
            self._generate()

    def _on_load_failed(self, message: str) -> None:
        self.loading = False
        self.model_info = None
        self.model_failed.emit(message)
        self.notice.emit("error", message)
        if self.pending:
            self.pending = False
            self.view.discard_stream()
            self._set_busy()

    def _on_unloaded(self) -> None:
        if not self.loading:
            self.model_info = None
            self.model_unloaded.emit()

    # --- conversations ---------------------------------------------------------------------------
    def new_conversation(self) -> None:
        self._leave_current()
        self.conversation_id = None
        self.view.clear()
        self.conversation_opened.emit(-1)

    def open_conversation(self, conversation_id: int) -> None:
        if conversation_id == self.conversation_id:
            return
        self._leave_current()
        conv = self.store.get(conversation_id)
        self.conversation_id = conversation_id
        self.reload_view()
        self.conversation_opened.emit(conversation_id)
        if conv.model and Path(conv.model).is_file() and conv.model != self.model_path:
            self.load_model(conv.model)

    def reload_view(self) -> None:
        self.view.clear()
        if self.conversation_id is None:
            return
        for msg in self.store.messages(self.conversation_id):
            if msg.role == "system":
                continue
            self.view.add_message(msg.role, msg.content, msg.id, msg.tokens_per_second, msg.finish_reason)

    def _leave_current(self) -> None:
        if self.generating:
            self.stop()  # the answer so far is saved when the cancelled request ends
        if self.pending:
            self.pending = False
            self._set_busy()

    def update_settings(self, system_prompt: str, sampling: dict) -> None:
        """The settings panel changed; a chat not yet saved keeps them for its first message."""
        if self.conversation_id is None:
            self._draft_settings = (system_prompt, sampling)
        else:
            self.store.update_settings(self.conversation_id, system_prompt=system_prompt, sampling=sampling)

    def _ensure_conversation(self, first_text: str) -> int:
        if self.conversation_id is None:
            title = first_text.strip().splitlines()[0][:48] if first_text.strip() else ""
            prompt, sampling = self._draft_settings
            conv = self.store.new_conversation(
                title, model=self.model_path or None, system_prompt=prompt, sampling=sampling
            )
            self.conversation_id = conv.id
            self.conversations_changed.emit()
            self.conversation_opened.emit(conv.id)
        return self.conversation_id

    # --- a chat turn -----------------------------------------------------------------------------
    def send(self, text: str) -> bool:
        """Save and show the user's message, then answer it (now, or once the model is loaded)."""
        text = text.strip()
        if not text or self.busy:
            return False
        conv_id = self._ensure_conversation(text)
        msg = self.store.add_message(conv_id, "user", text)
        self.view.add_message("user", text, msg.id)
        self.conversations_changed.emit()
        self._answer()
        return True

    def _answer(self) -> None:
        if self.model_ready:
            self._generate()
            return
        self.pending = True
        self.view.begin_stream()
        self._set_busy()
        if not self.loading:
            self.notice.emit(
                "error",
                self.tr(
                    "No model is loaded. Load one from the model panel; your message will be answered then."
                ),
            )

    def _generate(self) -> None:
        conv_id = self.conversation_id
        if conv_id is None:
            return
        conv = self.store.get(conv_id)
        messages: list[dict[str, str]] = []
        if conv.system_prompt.strip():
            messages.append({"role": "system", "content": conv.system_prompt})
        messages += [
            {"role": m.role, "content": m.content}
            for m in self.store.messages(conv_id)
            if m.role in ("user", "assistant") and m.content
        ]
        if self.model_path and conv.model != self.model_path:
            self.store.update_settings(conv_id, model=self.model_path)
        assistant = self.store.add_message(conv_id, "assistant", "")
        self._assistant_id = assistant.id
        self._partial = []
        self._tokens = 0
        self._started = self._checkpoint = time.monotonic()
        if self.view._stream is None:
            self.view.begin_stream(assistant.id)
        else:
            self.view._stream.message_id = assistant.id
        self.generating = True
        self._set_busy()
        self.host.chat(messages, sampling_params(conv.sampling))

    def stop(self) -> None:
        """Esc / Stop: the running answer ends (and is kept); a waiting message stops waiting."""
        if self.generating:
            self.host.cancel()
        elif self.pending:
            self.pending = False
            self.view.discard_stream()
            self._set_busy()

    def regenerate(self) -> None:
        if self.busy or self.conversation_id is None:
            return
        messages = self.store.messages(self.conversation_id)
        last_user = max((m.id for m in messages if m.role == "user"), default=None)
        if last_user is None:
            return
        later = [m.id for m in messages if m.id > last_user]
        if later:
            self.store.delete_messages_from(self.conversation_id, later[0])
        self.reload_view()
        self._answer()

    def edit_and_resend(self, message_id: int, text: str) -> None:
        """Replace a user message (and everything after it) with ``text`` and answer again."""
        if self.busy or self.conversation_id is None or not text.strip():
            return
        self.store.delete_messages_from(self.conversation_id, message_id)
        self.reload_view()
        self.send(text)

    def _on_token(self, text: str) -> None:
        self._partial.append(text)
        self._tokens += 1
        self.view.append_stream(text)
        now = time.monotonic()
        if now - self._checkpoint >= CHECKPOINT_SECONDS and self._assistant_id is not None:
            self._checkpoint = now
            self.store.update_message(self._assistant_id, "".join(self._partial))
            elapsed = now - self._started
            if elapsed > 0:
                self.live_speed.emit(self._tokens / elapsed)

    def _on_finished(self, event: Finished) -> None:
        text = event.text or "".join(self._partial)
        if self._assistant_id is not None:
            self.store.update_message(
                self._assistant_id,
                text,
                tokens_per_second=event.tokens_per_second,
                finish_reason=event.reason,
            )
        self.view.end_stream(text, event.tokens_per_second, event.reason)
        self._end_turn()
        self.live_speed.emit(event.tokens_per_second)
        self.reply_finished.emit(event)

    def _on_error(self, message: str) -> None:
        partial = "".join(self._partial)
        if self._assistant_id is not None and self.conversation_id is not None:
            if partial:
                self.store.update_message(self._assistant_id, partial, finish_reason="error")
            else:
                self.store.delete_messages_from(self.conversation_id, self._assistant_id)
        if partial:
            self.view.end_stream(partial, None, "error")
        else:
            self.view.discard_stream()
        self._end_turn()
        self.notice.emit("error", message)
        self.reply_failed.emit(message)

    def _on_crashed(self, message: str) -> None:
        partial = "".join(self._partial)
        if self._assistant_id is not None:
            self.store.update_message(self._assistant_id, partial, finish_reason="crashed")
        self.view.end_stream(partial, None, "crashed")
        self.model_info = None
        self._end_turn()
        self.model_failed.emit(message)
        self.notice.emit("crash", message)
        self.reply_failed.emit(message)

    def shutdown(self) -> None:
        """The window closes: keep the answer so far, then stop listening to the engine thread (events
        still queued must not reach a closed store)."""
        if self.generating and self._assistant_id is not None:
            self.host.cancel()
            self.store.update_message(self._assistant_id, "".join(self._partial), finish_reason="cancelled")
        worker = self.host.worker
        for signal, slot in (
            (worker.loading, self._on_loading),
            (worker.loaded, self._on_loaded),
            (worker.load_failed, self._on_load_failed),
            (worker.unloaded, self._on_unloaded),
            (worker.token, self._on_token),
            (worker.finished, self._on_finished),
            (worker.error, self._on_error),
            (worker.crashed, self._on_crashed),
        ):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self.generating = self.pending = False

    def _end_turn(self) -> None:
        self.generating = False
        self._assistant_id = None
        self._set_busy()

    def _set_busy(self) -> None:
        self.view.set_busy(self.busy)
        self.busy_changed.emit(self.busy)
