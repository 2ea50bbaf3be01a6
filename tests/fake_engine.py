"""A fake engine for UI tests that do not need a real model (the pattern of simonw/llm's MockModel).

``FakeEngine`` has ``models.engine.Engine``'s interface and yields the same typed events, without
llama.cpp or a child process: replies are scripted (``enqueue``) or echo the last user message, streamed
word by word. It honours cancel (``cancel()`` and a request's own ``models.cancel.CancelToken``),
``max_tokens`` and stop strings, and can crash (``_debug_abort``) or
fail a request (``enqueue_error``) the way the real one does. ``start`` checks the model file as the
real ``Engine.start`` does (a missing or corrupt file raises the same errors) and reports the file's own
header in ``info``. Tests use the ``fake_engine`` fixture, which makes ``Engine.start`` return one; the
real-model journeys keep the real engine. ``test_fake_engine.py`` keeps the two interfaces in step.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.cancel import CancelToken
from models.errors import EngineCrashedError, ModelFileError
from models.events import (
    EngineCrashed,
    EngineInfo,
    ErrorEvent,
    Event,
    Finished,
    LoadConfig,
    SamplingParams,
    Token,
)


@dataclass
class FakeEngines:
    """What the ``fake_engine`` fixture hands a test: the script for every engine it starts."""

    replies: deque[str | ErrorEvent] = field(default_factory=deque)
    token_delay: float = 0.0  # seconds between tokens, for tests that stop or crash mid-answer
    load_delay: float = 0.0  # seconds ``start`` takes, for tests of what happens while loading
    started: list[FakeEngine] = field(default_factory=list)
    requests: list[list[dict[str, str]]] = field(default_factory=list)  # every chat's messages, in order

    def enqueue(self, *replies: str) -> None:
        """The next answers, in order; once they run out, answers echo the last user message."""
        self.replies.extend(replies)

    def enqueue_error(self, message: str, kind: str = "EngineError") -> None:
        self.replies.append(ErrorEvent(message, kind))

    def start(self, config: LoadConfig, timeout: float = 0.0) -> FakeEngine:
        """``Engine.start``'s stand-in: the file is checked as the real one checks it, then "loaded"."""
        from models.gguf_info import inspect_gguf

        path = Path(config.model_path)
        if not path.exists():
            raise ModelFileError(
                f"The model file {path} does not exist.", "Choose another model, or download it again."
            )
        header = inspect_gguf(path)  # a corrupt file raises the real ModelFileError
        time.sleep(self.load_delay)
        info = EngineInfo(
            model_path=str(path),
            architecture=header.architecture,
            backend="cpu",
            n_gpu_layers=0,
            n_ctx=config.n_ctx,
            n_threads=config.n_threads or 1,
            n_vocab=header.vocab_size or 0,
            chat_template=header.chat_template,
            bos_token="<s>",
            eos_token="</s>",
            load_seconds=self.load_delay,
            memory_bytes=header.size_bytes,
            tokenizer="fake",
        )
        engine = FakeEngine(self, info)
        self.started.append(engine)
        return engine


class FakeEngine:
    """``models.engine.Engine`` without a model: same methods, same events, scripted text."""

    def __init__(self, script: FakeEngines, info: EngineInfo) -> None:
        self.script = script
        self.info = info
        self._running: CancelToken | None = None
        self._abort = threading.Event()
        self._closed = False
        self._lock = threading.RLock()

    # ---- life cycle ----------------------------------------------------------------------------
    @classmethod
    def start(cls, config: LoadConfig, timeout: float = 0.0) -> FakeEngine:
        return FakeEngines().start(config, timeout)

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> FakeEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return not self._closed and not self._abort.is_set()

    @property
    def pid(self) -> int | None:
        return None  # no process of its own

    # ---- generation ----------------------------------------------------------------------------
    def chat(
        self,
        messages: Sequence[Mapping[str, str]],
        params: SamplingParams | None = None,
        cancel: CancelToken | None = None,
        conversation: str | None = None,
    ) -> Iterator[Event]:
        payload = [{"role": str(m["role"]), "content": str(m["content"])} for m in messages]
        self.script.requests.append(payload)
        user = next((m["content"] for m in reversed(payload) if m["role"] == "user"), "")
        reply = self.script.replies.popleft() if self.script.replies else f"You said: {user}"
        prompt_tokens = sum(len(m["content"].split()) for m in payload)
        return self._stream(reply, prompt_tokens, params or SamplingParams(), cancel)

    def generate(
        self,
        prompt: str | Sequence[int],
        params: SamplingParams | None = None,
        cancel: CancelToken | None = None,
    ) -> Iterator[Event]:
        text = prompt if isinstance(prompt, str) else " ".join(str(t) for t in prompt)
        reply = self.script.replies.popleft() if self.script.replies else text
        return self._stream(reply, len(text.split()), params or SamplingParams(), cancel)

    def cancel(self) -> None:
        """Stop whichever request is running now, as the real one does."""
        running = self._running
        if running is not None:
            running.cancel()

    def _stream(
        self, reply: str | ErrorEvent, prompt_tokens: int, params: SamplingParams, token: CancelToken | None
    ) -> Iterator[Event]:
        token = token or CancelToken()
        with self._lock:
            self._ensure_alive()
            if token.cancelled:  # stopped while it waited behind another request: never starts
                yield Finished("cancelled", "", 0, 0, 0.0, 0.0, 0.0)
                return
            self._running = token
            try:
                yield from self._answer(reply, prompt_tokens, params, token)
            finally:
                self._running = None

    def _answer(
        self, reply: str | ErrorEvent, prompt_tokens: int, params: SamplingParams, token: CancelToken
    ) -> Iterator[Event]:
        if isinstance(reply, ErrorEvent):
            yield reply
            return
        started = time.monotonic()
        text, reason, count = "", "stop", 0
        for piece in _pieces(reply):
            if self._abort.is_set():
                yield EngineCrashed(
                    "The engine stopped unexpectedly: llama.cpp aborted (SIGABRT). Your conversation is "
                    "kept; reload the model to go on.",
                    -6,
                    text,
                )
                return
            if token.cancelled:
                reason = "cancelled"
                break
            if count >= params.max_tokens:
                reason = "length"
                break
            stop = next((s for s in params.stop if s in text + piece), None)
            if stop is not None:
                piece = (text + piece).split(stop)[0][len(text) :]
                if piece:
                    text += piece
                    yield Token(piece)
                break
            text += piece
            count += 1
            yield Token(piece, (count,))
            if self.script.token_delay:
                time.sleep(self.script.token_delay)
        seconds = max(time.monotonic() - started, 1e-6)
        yield Finished(reason, text, prompt_tokens, count, count / seconds, 0.0, seconds)

    def _ensure_alive(self) -> None:
        if not self.alive:
            raise EngineCrashedError(
                "The engine is not running (it was stopped).", "Reload the model to go on."
            )

    # ---- small requests ------------------------------------------------------------------------
    def tokenize(self, text: str, add_special: bool = True) -> list[int]:
        return list(range(1, len(_pieces(text)) + 1))

    def detokenize(self, tokens: Sequence[int]) -> str:
        return " ".join(str(t) for t in tokens)

    def count_tokens(self, messages: Sequence[Mapping[str, str]]) -> int:
        return len(self.prompt_tokens(messages))

    def prompt_tokens(self, messages: Sequence[Mapping[str, str]]) -> list[int]:
        return list(range(1, sum(len(_pieces(str(m["content"]))) + 4 for m in messages) + 1))

    def render(self, messages: Sequence[Mapping[str, str]]) -> str:
        return "".join(f"<|{m['role']}|>{m['content']}\n" for m in messages)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [[1.0, 0.0] for _ in texts]

    def _debug_abort(self) -> None:
        """As the real one: the "process" dies now, or at the next token of a running answer."""
        self._abort.set()


def _pieces(text: str) -> list[str]:
    """Word-sized tokens that join back into ``text`` exactly."""
    words = text.split(" ")
    return [w if i == 0 else " " + w for i, w in enumerate(words)] if text else []


def install(monkeypatch: Any) -> FakeEngines:
    """Make ``models.engine.Engine.start`` start fake engines for this test; return their script."""
    import models.engine

    script = FakeEngines()
    monkeypatch.setattr(models.engine.Engine, "start", staticmethod(script.start))
    return script
