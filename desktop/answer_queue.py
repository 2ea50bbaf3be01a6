"""Which answer the one engine is writing, and which wait their turn: the chat's per-conversation queue.

An answer belongs to its conversation (``Job.conv_id``), not to the screen, so the chat can show any
conversation while another's answer streams. At most one job runs; the others wait in the order they
were asked. The queue also writes each answer to the conversation store as it goes: an empty row when
it starts, its text about once a second, then the finish (tokens/s, reason, the passages it was given
with those it cites). A crash, an error or a closed window keeps what was written so far.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from models.conversations import ConversationStore
from models.errors import ConfigError
from models.events import Finished
from models.turn import Source, mark_cited

CHECKPOINT_SECONDS = 1.0  # how often a streaming answer is written to the store
_request_ids = itertools.count(1)


@dataclass
class Job:
    """One answer to write: for ``conv_id``, after the user message ``parent_id``."""

    conv_id: int
    parent_id: int
    request_id: int = field(default_factory=lambda: next(_request_ids))
    assistant_id: int | None = None
    partial: list[str] = field(default_factory=list)
    tokens: int = 0
    started: float = 0.0
    checkpoint: float = 0.0
    sources: tuple[Source, ...] = ()
    left_out: int = 0

    @property
    def text(self) -> str:
        return "".join(self.partial)

    def start(self, assistant_id: int) -> None:
        self.assistant_id = assistant_id
        self.started = self.checkpoint = time.monotonic()

    def add_token(self, text: str) -> bool:
        """Append a token; True when the answer so far is due to be saved (about once a second)."""
        self.partial.append(text)
        self.tokens += 1
        now = time.monotonic()
        if now - self.checkpoint >= CHECKPOINT_SECONDS and self.assistant_id is not None:
            self.checkpoint = now
            return True
        return False

    @property
    def speed(self) -> float:
        """Tokens per second so far (0 before the first)."""
        elapsed = time.monotonic() - self.started
        return self.tokens / elapsed if elapsed > 0 else 0.0

    def sources_json(self, sources: tuple[Source, ...] | None = None) -> list[dict] | None:
        """The passages as the store keeps them with the answer (``sources``: marked as cited)."""
        return sources_json(self.sources if sources is None else sources, self.left_out)


class AnswerQueue:
    """The running job and the waiting ones, and what is saved of the running one."""

    def __init__(self, store: ConversationStore) -> None:
        self.store = store
        self.running: Job | None = None
        self.waiting: list[Job] = []

    def job_for(self, conv_id: int | None) -> Job | None:
        """The job of this conversation, running or waiting (a conversation has at most one)."""
        if conv_id is None:
            return None
        if self.running is not None and self.running.conv_id == conv_id:
            return self.running
        return next((j for j in self.waiting if j.conv_id == conv_id), None)

    def activity(self) -> dict[int, str]:
        """Conversation id → "generating" | "queued", for the conversation list."""
        found = {j.conv_id: "queued" for j in self.waiting}
        if self.running is not None:
            found[self.running.conv_id] = "generating"
        return found

    def add(self, job: Job) -> None:
        self.waiting.append(job)

    def remove(self, job: Job) -> None:
        self.waiting.remove(job)

    def take_next(self) -> Job | None:
        """The longest-waiting job, out of the queue (None when none waits)."""
        return self.waiting.pop(0) if self.waiting else None

    # --- the running answer, saved as it goes ------------------------------------------------------------
    def start(self, job: Job, model_path: str) -> tuple[list[dict[str, str]], int]:
        """Run ``job``: the branch it answers (messages up to its question) and its new, empty answer
        row. Raises ConfigError when its conversation was deleted while it waited."""
        conv = self.store.get(job.conv_id)
        history = [
            {"role": m.role, "content": m.content}
            for m in self.store.branch(job.parent_id)
            if m.role in ("user", "assistant") and m.content
        ]
        if model_path and conv.model != model_path:
            self.store.update_settings(job.conv_id, model=model_path)
        assistant = self.store.add_message(job.conv_id, "assistant", "", parent_id=job.parent_id)
        job.start(assistant.id)
        self.running = job
        return history, assistant.id

    def add_token(self, text: str) -> bool:
        """A token of the running answer; True when it was just saved (about once a second)."""
        job = self.running
        if job is None or not job.add_token(text) or job.assistant_id is None:
            return False
        self.store.update_message(job.assistant_id, job.text)
        return True

    def finish(self, event: Finished) -> tuple[str, tuple[Source, ...]]:
        """Save the running answer as finished; its text and its sources, those it cites marked."""
        job = self.running
        assert job is not None
        text = event.text or job.text
        sources = mark_cited(text, job.sources)
        if job.assistant_id is not None:
            self.store.update_message(
                job.assistant_id,
                text,
                tokens_per_second=event.tokens_per_second,
                finish_reason=event.reason,
                sources=job.sources_json(sources),
            )
        return text, sources

    def end(self, reason: str) -> None:
        """Save what the running answer has so far, ended by ``reason`` (error | crashed | cancelled);
        an answer that failed before its first token leaves no empty row."""
        job = self.running
        if job is None or job.assistant_id is None:
            return
        if reason == "error" and not job.text:
            try:
                self.store.delete_message(job.assistant_id)  # an empty row the user never saw filled
            except ConfigError:
                pass  # its conversation was deleted meanwhile
        elif reason == "cancelled":
            self.store.update_message(
                job.assistant_id, job.text, finish_reason=reason, sources=job.sources_json()
            )
        else:
            self.store.update_message(job.assistant_id, job.text, finish_reason=reason)

    def clear(self) -> None:
        self.running = None
        self.waiting.clear()

    def __bool__(self) -> bool:
        """Some job waits."""
        return bool(self.waiting)


def sources_json(sources: tuple[Source, ...], left_out: int) -> list[dict] | None:
    if not sources:
        return None
    # How many were left out is kept on the first source: one number per answer.
    return [dict(s.to_json(), left_out=left_out if n == 0 else 0) for n, s in enumerate(sources)]


def left_out_of(sources: tuple[dict, ...]) -> int:
    """How many passages were left out of a stored answer's prompt (see ``sources_json``)."""
    return int(sources[0].get("left_out", 0)) if sources else 0
