"""What each endpoint does, independent of HTTP: a request body in, JSON or server-sent events out.

The HTTP layer hands every endpoint a ``Channel``: who the client is (for the fair queue), whether it
has gone away, and how to answer. A request waits for its turn in the model's queue, then streams from
the engine; when the client disconnects the engine generator is closed, which cancels the generation
within one token (``Engine._stream`` does that on close).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from .. import structured
from ..errors import ChatTemplateError, ConfigError, ContextLengthError, EngineCrashedError, EngineError
from ..events import EngineCrashed, ErrorEvent, Event, Finished, SamplingParams, Token
from . import chat_request, inputs, request
from . import protocol as p
from .chat_stream import ChatStream
from .completion_stream import stream_completion
from .fairqueue import Abandoned, QueueFull
from .hosts import EngineDown, ModelHost

if TYPE_CHECKING:
    from ..engine import Engine

log = logging.getLogger(__name__)


class Channel(Protocol):
    client: str

    def gone(self) -> bool: ...
    def send_json(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None: ...
    def start_stream(self) -> None: ...
    def send_event(self, data: Any) -> bool: ...  # False when the client has gone away


class ClientGone(Exception):
    """The client disconnected: stop quietly, nobody is listening."""


@dataclass
class Stats:
    """Counters a test or the desktop toggle can read."""

    completed: int = 0
    cancelled: int = 0  # the client went away (while waiting or while the model answered)
    rejected: int = 0  # 429: the queue was full
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, name: str) -> None:
        with self._lock:
            setattr(self, name, getattr(self, name) + 1)


class Endpoints:
    def __init__(self, chat_host: ModelHost, embed_host: ModelHost, default_max_tokens: int) -> None:
        self.chat_host = chat_host
        self.embed_host = embed_host
        self.default_max_tokens = default_max_tokens
        self.stats = Stats()

    # ---- plumbing --------------------------------------------------------------------------------
    @contextmanager
    def _turn(self, host: ModelHost, ch: Channel) -> Iterator[Engine]:
        try:
            with host.queue.turn(ch.client, ch.gone):
                try:
                    engine = host.engine()
                except EngineDown as down:
                    raise p.ApiError(
                        503,
                        f"The model is not available: {down.error}",
                        "server_error",
                        code="engine_unavailable",
                        headers={"Retry-After": str(down.retry_after)},
                    ) from None
                watcher = _HangUpWatcher(ch, engine)
                try:
                    yield engine
                except EngineCrashedError as error:
                    raise p.ApiError(503, str(error), "server_error", code="engine_crashed") from None
                except ContextLengthError as error:
                    raise p.bad_request(str(error), None, "context_length_exceeded") from None
                except (ConfigError, ChatTemplateError) as error:
                    raise p.bad_request(str(error)) from None
                finally:
                    watcher.stop()  # before the turn passes on: a late cancel must not hit the next request
        except QueueFull as full:
            self.stats.add("rejected")
            raise p.ApiError(
                429,
                f"The model is busy: {full.waiting} requests are already waiting. Try again in {full.retry_after} s.",
                "rate_limit_exceeded",
                code="queue_full",
                headers={"Retry-After": str(full.retry_after)},
            ) from None
        except Abandoned:
            self.stats.add("cancelled")
            raise ClientGone() from None

    def _run(
        self,
        events: Iterator[Event],
        ch: Channel,
        on_token: Callable[[Token], bool] | None = None,
        before_first: Callable[[], bool] | None = None,
        param: str | None = None,
    ) -> Outcome:
        """Drive the engine to the end. ``before_first`` runs when the first event that is not an error
        arrives (a stream sends its 200 then, so a request the engine refuses is still a plain 4xx);
        ``on_token(token) -> bool`` False means the client left."""
        entries: list[p.LogprobEntry] = []
        started = False
        try:
            for event in events:
                if isinstance(event, ErrorEvent):
                    raise _engine_error(event, param)
                if isinstance(event, EngineCrashed):
                    raise p.ApiError(
                        503,
                        event.message,
                        "server_error",
                        code="engine_crashed",
                        headers={"Retry-After": "5"},
                    )
                if not started:
                    started = True
                    if before_first is not None and not before_first():
                        self.stats.add("cancelled")
                        raise ClientGone()
                if isinstance(event, Token):
                    entries.extend(event.logprobs)
                    if not (on_token(event) if on_token else not ch.gone()):
                        self.stats.add("cancelled")
                        raise ClientGone()
                elif isinstance(event, Finished):
                    if event.reason == "cancelled" and ch.gone():  # stopped by the hang-up watcher
                        self.stats.add("cancelled")
                        raise ClientGone()
                    return Outcome(event, entries)
        except EngineCrashedError as error:
            raise p.ApiError(503, str(error), "server_error", code="engine_crashed") from None
        finally:
            close = getattr(events, "close", None)
            if close:
                close()  # a generator closed early cancels the generation and resyncs the engine
        log.error("the engine ended an answer without finishing it")
        raise p.internal_error()

    def _model_ids(self) -> set[str]:
        return {self.chat_host.id, self.embed_host.id}

    @staticmethod
    def _check_vocab(engine: Engine, params: SamplingParams) -> None:
        n_vocab = engine.info.n_vocab
        for token, _ in params.logit_bias:
            if token >= n_vocab:
                raise p.bad_request(
                    f"'logit_bias' names token {token}; the vocabulary has {n_vocab}.", "logit_bias"
                )

    @staticmethod
    def _fit(
        engine: Engine, count: int, params: SamplingParams, explicit: bool, param: str
    ) -> SamplingParams:
        """OpenAI's context rule, from the real token count: the prompt and an explicit max_tokens must fit;
        without one, the answer may use what room is left."""
        n_ctx = engine.info.n_ctx
        wanted = params.max_tokens if explicit else 0
        if count >= n_ctx or count + wanted > n_ctx:
            raise p.bad_request(
                f"This model's maximum context length is {n_ctx} tokens. However, you requested "
                f"{count + wanted} tokens ({count} in the {param}, {wanted} for the completion). "
                f"Please reduce the length of the {param} or the completion.",
                param,
                "context_length_exceeded",
            )
        return replace(params, max_tokens=min(params.max_tokens, n_ctx - count))

    @staticmethod
    def _nth(params: SamplingParams, index: int) -> SamplingParams:
        """Choice ``index`` of n: a seeded request gives each choice its own seed (reproducibly)."""
        if index == 0 or params.seed is None:
            return params
        return replace(params, seed=(params.seed + index) % 2**31)

    # ---- /v1/models --------------------------------------------------------------------------------
    def models(self, ch: Channel) -> None:
        data = [p.model_entry(self.chat_host.id, self.chat_host.created)]
        if self.embed_host.id != self.chat_host.id:
            data.append(p.model_entry(self.embed_host.id, self.embed_host.created))
        ch.send_json(200, {"object": "list", "data": data})

    # ---- /v1/chat/completions ------------------------------------------------------------------------
    def chat(self, body: Mapping[str, Any], ch: Channel) -> None:
        request.check_chat(body)
        openai_messages = p.chat_messages(body)
        request.check_model(body, self._model_ids())
        params = p.sampling(body, self.default_max_tokens)
        n = p.choices_wanted(body)
        want_logprobs = bool(body.get("logprobs"))
        if want_logprobs:
            params = replace(params, logprobs=int(body.get("top_logprobs") or 0))
        structure = chat_request.structure(body)
        try:
            # Earlier tool calls and results become plain turns even when tools are off for this request.
            messages = list(structured.tool_history(openai_messages))
        except ConfigError as error:
            raise p.bad_request(str(error), "messages") from None
        messages, grammar = structure.prepare(messages)
        params = replace(params, grammar=grammar)
        explicit = body.get("max_tokens") is not None or body.get("max_completion_tokens") is not None
        stream = bool(body.get("stream"))
        include_usage = stream and bool((body.get("stream_options") or {}).get("include_usage"))
        cid, model = p.new_id("chatcmpl"), self.chat_host.id
        with self._turn(self.chat_host, ch) as engine:
            self._check_vocab(engine, params)
            try:
                count = engine.count_tokens(messages)  # one render: linear in the number of messages
            except ChatTemplateError as error:
                raise p.bad_request(str(error), "messages") from None
            params = self._fit(engine, count, params, explicit, "messages")
            if stream:
                ChatStream(self, ch, cid, model, structure, want_logprobs, include_usage).run(
                    engine, messages, params, n
                )
                return
            choices, usage = [], p.Usage(0, 0)
            for index in range(n):
                out = self._run(engine.chat(messages, self._nth(params, index)), ch, param=structure.param)
                message, reason = chat_request.answer(out.finished, structure)
                logprobs = p.chat_logprobs(out.logprobs) if want_logprobs else None
                choices.append(p.chat_choice(index, message, reason, logprobs))
                usage = usage + out.usage
        self.stats.add("completed")
        ch.send_json(200, p.chat_completion(cid, model, choices, usage))

    # ---- /v1/completions -------------------------------------------------------------------------------
    def completions(self, body: Mapping[str, Any], ch: Channel) -> None:
        request.check_completions(body)
        request.check_model(body, self._model_ids())
        prompts = inputs.prompts(body.get("prompt"))
        params = p.sampling(body, 16)  # OpenAI's default for completions
        n = p.choices_wanted(body)
        top = body.get("logprobs")
        if top is not None:
            params = replace(params, logprobs=int(top))
        echo = bool(body.get("echo"))
        explicit = body.get("max_tokens") is not None
        stream = bool(body.get("stream"))
        include_usage = stream and bool((body.get("stream_options") or {}).get("include_usage"))
        cid, model = p.new_id("cmpl"), self.chat_host.id
        if stream and len(prompts) != 1:
            raise p.bad_request("Streaming takes a single prompt.", "prompt")
        with self._turn(self.chat_host, ch) as engine:
            self._check_vocab(engine, params)
            fitted = []
            for prompt in prompts:
                if isinstance(prompt, list):
                    inputs.check_ids(prompt, engine.info.n_vocab, "prompt")
                    count = len(prompt)
                else:
                    count = _text_tokens(engine, prompt)
                fitted.append(self._fit(engine, count, params, explicit, "prompt"))
            if stream:
                stream_completion(
                    self,
                    engine,
                    ch,
                    prompts[0],
                    fitted[0],
                    n,
                    echo,
                    top is not None,
                    include_usage,
                    cid,
                    model,
                )
                return
            choices, usage = [], p.Usage(0, 0)
            for number, (prompt, prompt_params) in enumerate(zip(prompts, fitted, strict=False)):
                for index in range(n):
                    out = self._run(
                        engine.generate(prompt, self._nth(prompt_params, index)), ch, param="prompt"
                    )
                    shown = prompt if echo and isinstance(prompt, str) else ""
                    logprobs = p.completion_logprobs(out.logprobs, len(shown)) if top is not None else None
                    reason = p.FINISH_REASONS[out.finished.reason]
                    choices.append(
                        p.text_choice(number * n + index, shown + out.finished.text, reason, logprobs)
                    )
                    usage = p.Usage(
                        usage.prompt_tokens + (out.finished.prompt_tokens if index == 0 else 0),
                        usage.completion_tokens + out.finished.completion_tokens,
                        usage.cached_tokens + (out.finished.cached_tokens if index == 0 else 0),
                    )
        self.stats.add("completed")
        ch.send_json(200, p.text_completion(cid, model, choices, usage))

    # ---- /v1/embeddings --------------------------------------------------------------------------------
    def embeddings(self, body: Mapping[str, Any], ch: Channel) -> None:
        dimensions = request.check_embeddings(body)
        request.check_model(body, self._model_ids())
        items = inputs.embedding_inputs(body.get("input"))
        encoding = body.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            raise p.bad_request("'encoding_format' must be 'float' or 'base64'.", "encoding_format")
        with self._turn(self.embed_host, ch) as engine:
            texts = []
            for item in items:
                if isinstance(item, list):
                    inputs.check_ids(item, engine.info.n_vocab, "input")
                    texts.append(engine.detokenize(item))
                else:
                    texts.append(item)
            try:
                vectors = engine.embed(texts)
            except ContextLengthError as error:
                raise p.bad_request(str(error), "input", "context_length_exceeded") from None
            tokens = sum(len(i) if isinstance(i, list) else _text_tokens(engine, i) for i in items)
        if dimensions is not None:
            size = len(vectors[0]) if vectors else 0
            if dimensions > size:
                raise p.bad_request(f"'dimensions' must be at most {size} for this model.", "dimensions")
            vectors = [inputs.shorten(v, dimensions) for v in vectors]
        data = [p.embedding_item(i, v, encoding) for i, v in enumerate(vectors)]
        self.stats.add("completed")
        ch.send_json(
            200,
            {
                "object": "list",
                "data": data,
                "model": self.embed_host.id,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )


def _text_tokens(engine: Engine, text: str) -> int:
    """Tokens in ``text``; a remote engine (models.remote_engine) has no tokenizer here: an estimate on
    the high side, as its own count_tokens gives."""
    try:
        return len(engine.tokenize(text))
    except EngineError:
        if engine.info.n_vocab:
            raise
        return len(text) // 3 + 1


class _HangUpWatcher:
    """While a request holds the model, notice a client that hangs up and cancel the engine's work at
    once, whatever stage it is in (a non-streaming request otherwise notices only at its next token)."""

    def __init__(self, ch: Channel, engine: Engine, interval: float = 0.1) -> None:
        self._ch, self._engine, self._interval = ch, engine, interval
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="tomoshibi-api-hangup", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(self._interval):
            if self._ch.gone():
                self._engine.cancel()
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


@dataclass(frozen=True)
class Outcome:
    finished: Finished
    logprobs: list[p.LogprobEntry]

    @property
    def usage(self) -> p.Usage:
        f = self.finished
        return p.Usage(f.prompt_tokens, f.completion_tokens, f.cached_tokens)


def _engine_error(event: ErrorEvent, param: str | None) -> p.ApiError:
    if event.kind == "ContextLengthError":
        return p.bad_request(event.message, param, "context_length_exceeded")
    if event.kind in ("ConfigError", "ChatTemplateError"):
        return p.bad_request(event.message, param)
    log.error("the engine failed a request: %s", event.message)  # details for the log, not the client
    return p.internal_error()
