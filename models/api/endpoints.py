"""What each endpoint does, independent of HTTP: a request body in, JSON or server-sent events out.

The HTTP layer hands every endpoint a ``Channel``: who the client is (for the fair queue), whether it
has gone away, and how to answer. A request waits for its turn in the model's queue, then streams from
the engine; when the client disconnects the engine generator is closed, which cancels the generation
within one token (``Engine._stream`` does that on close).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from .. import structured
from ..errors import ConfigError, EngineCrashedError, EngineError, TomoshibiError
from ..events import EngineCrashed, ErrorEvent, Event, Finished, SamplingParams, Token
from . import protocol as p
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


@dataclass(frozen=True)
class Structure:
    """How a chat answer is constrained: a JSON schema, or tools."""

    schema: Mapping[str, Any] | None = None
    functions: tuple[structured.Function, ...] = ()
    call_required: bool = False


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
                yield engine
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

    def _run(self, events: Iterator[Event], ch: Channel, on_token: Any = None) -> Finished:
        """Drive the engine to the end; ``on_token(text) -> bool`` False means the client left."""
        try:
            for event in events:
                if isinstance(event, Token):
                    alive = on_token(event.text) if on_token else not ch.gone()
                    if not alive:
                        self.stats.add("cancelled")
                        raise ClientGone()
                elif isinstance(event, Finished):
                    return event
                elif isinstance(event, ErrorEvent):
                    status = 400 if event.kind in ("ConfigError", "ChatTemplateError") else 500
                    raise p.ApiError(
                        status, event.message, "invalid_request_error" if status == 400 else "server_error"
                    )
                elif isinstance(event, EngineCrashed):
                    raise p.ApiError(
                        503,
                        event.message,
                        "server_error",
                        code="engine_crashed",
                        headers={"Retry-After": "5"},
                    )
        except EngineCrashedError as error:
            raise p.ApiError(503, str(error), "server_error", code="engine_crashed") from None
        finally:
            close = getattr(events, "close", None)
            if close:
                close()  # a generator closed early cancels the generation and resyncs the engine
        raise p.ApiError(500, "The engine ended the answer without finishing it.", "server_error")

    # ---- /v1/models --------------------------------------------------------------------------------
    def models(self, ch: Channel) -> None:
        data = [p.model_entry(self.chat_host.id, self.chat_host.created)]
        if self.embed_host.id != self.chat_host.id:
            data.append(p.model_entry(self.embed_host.id, self.embed_host.created))
        ch.send_json(200, {"object": "list", "data": data})

    # ---- /v1/chat/completions ------------------------------------------------------------------------
    def chat(self, body: Mapping[str, Any], ch: Channel) -> None:
        messages = p.chat_messages(body)
        params = p.sampling(body, self.default_max_tokens)
        structure = _structure(body)
        # Earlier tool calls and results become plain turns even when tools are off for this request.
        messages = list(structured.tool_history(messages))
        if structure.functions:
            instruction = structured.tools_instruction(structure.functions, structure.call_required)
            grammar = structured.tools_gbnf(structure.functions, structure.call_required)
        elif structure.schema is not None:
            instruction = structured.schema_instruction(structure.schema)
            grammar = structured.schema_to_gbnf(structure.schema)
        else:
            instruction, grammar = "", None
        if instruction:
            messages = structured.with_instruction(messages, instruction)
        params = replace(params, grammar=grammar)
        cid, model = p.new_id("chatcmpl"), self.chat_host.id
        if body.get("stream"):
            self._chat_stream(body, ch, messages, params, structure, cid, model)
            return
        with self._turn(self.chat_host, ch) as engine:
            finished = self._run(engine.chat(messages, params), ch)
        usage = p.Usage(finished.prompt_tokens, finished.completion_tokens)
        message, reason = _chat_answer(finished, structure)
        self.stats.add("completed")
        ch.send_json(200, p.chat_completion(cid, model, message, reason, usage))

    def _chat_stream(
        self,
        body: Mapping[str, Any],
        ch: Channel,
        messages: list[dict[str, Any]],
        params: SamplingParams,
        structure: Structure,
        cid: str,
        model: str,
    ) -> None:
        created = p.now()
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        with self._turn(self.chat_host, ch) as engine:
            ch.start_stream()
            if not ch.send_event(p.chat_chunk(cid, model, created, {"role": "assistant", "content": ""})):
                self.stats.add("cancelled")
                raise ClientGone()
            # With tools, an answer that opens with "{" is a call: hold it back and send it whole at the end.
            held: list[str] = []
            mode = "undecided" if structure.functions else "text"

            def on_token(text: str) -> bool:
                nonlocal mode
                if mode == "undecided":
                    held.append(text)
                    start = "".join(held).lstrip()
                    if not start:
                        return not ch.gone()
                    mode = "call" if start.startswith("{") else "text"
                    if mode == "text":
                        return ch.send_event(p.chat_chunk(cid, model, created, {"content": "".join(held)}))
                if mode == "call":
                    return not ch.gone()
                return ch.send_event(p.chat_chunk(cid, model, created, {"content": text}))

            try:
                finished = self._run(engine.chat(messages, params), ch, on_token)
                message, reason = _chat_answer(finished, structure)
            except p.ApiError as error:
                ch.send_event(error.body())
                ch.send_event("[DONE]")
                self.stats.add("failed")
                return
        if message.get("tool_calls"):
            call = dict(message["tool_calls"][0])
            ch.send_event(p.chat_chunk(cid, model, created, {"tool_calls": [{"index": 0, **call}]}))
        elif mode == "undecided" and held:
            ch.send_event(p.chat_chunk(cid, model, created, {"content": "".join(held)}))
        ch.send_event(p.chat_chunk(cid, model, created, {}, reason))
        if include_usage:
            usage = p.Usage(finished.prompt_tokens, finished.completion_tokens)
            ch.send_event(p.usage_chunk(cid, "chat.completion.chunk", model, created, usage))
        ch.send_event("[DONE]")
        self.stats.add("completed")

    # ---- /v1/completions -------------------------------------------------------------------------------
    def completions(self, body: Mapping[str, Any], ch: Channel) -> None:
        prompts = _prompts(body.get("prompt"))
        params = p.sampling(body, 16)  # OpenAI's default for completions
        if body.get("suffix"):
            raise p.bad_request("'suffix' (fill-in-the-middle) is not supported.", "suffix")
        echo = bool(body.get("echo"))
        cid, model, created = p.new_id("cmpl"), self.chat_host.id, p.now()
        if body.get("stream"):
            if len(prompts) != 1:
                raise p.bad_request("Streaming takes a single prompt.", "prompt")
            with self._turn(self.chat_host, ch) as engine:
                ch.start_stream()
                prompt = prompts[0]
                if (
                    echo
                    and isinstance(prompt, str)
                    and not ch.send_event(
                        p.text_completion(cid, model, [p.text_choice(0, prompt, None)], None)
                    )
                ):
                    raise ClientGone()

                def on_token(text: str) -> bool:
                    return ch.send_event(p.text_completion(cid, model, [p.text_choice(0, text, None)], None))

                try:
                    finished = self._run(engine.generate(prompt, params), ch, on_token)
                except p.ApiError as error:
                    ch.send_event(error.body())
                    ch.send_event("[DONE]")
                    return
            reason = p.FINISH_REASONS[finished.reason]
            ch.send_event(p.text_completion(cid, model, [p.text_choice(0, "", reason)], None))
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = p.Usage(finished.prompt_tokens, finished.completion_tokens)
                ch.send_event(p.usage_chunk(cid, "text_completion", model, created, usage))
            ch.send_event("[DONE]")
            self.stats.add("completed")
            return
        choices, prompt_tokens, completion_tokens = [], 0, 0
        with self._turn(self.chat_host, ch) as engine:
            for index, prompt in enumerate(prompts):
                finished = self._run(engine.generate(prompt, params), ch)
                text = (prompt if echo and isinstance(prompt, str) else "") + finished.text
                choices.append(p.text_choice(index, text, p.FINISH_REASONS[finished.reason]))
                prompt_tokens += finished.prompt_tokens
                completion_tokens += finished.completion_tokens
        self.stats.add("completed")
        ch.send_json(200, p.text_completion(cid, model, choices, p.Usage(prompt_tokens, completion_tokens)))

    # ---- /v1/embeddings --------------------------------------------------------------------------------
    def embeddings(self, body: Mapping[str, Any], ch: Channel) -> None:
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise p.bad_request("'input' must be a string or a non-empty list of strings.", "input")
        if any(not t for t in texts):
            raise p.bad_request("'input' must not contain empty strings.", "input")
        encoding = body.get("encoding_format") or "float"
        if encoding not in ("float", "base64"):
            raise p.bad_request("'encoding_format' must be 'float' or 'base64'.", "encoding_format")
        with self._turn(self.embed_host, ch) as engine:
            try:
                vectors = engine.embed(texts)
                tokens = sum(len(engine.tokenize(t)) for t in texts)
            except EngineCrashedError as error:
                raise p.ApiError(503, str(error), "server_error", code="engine_crashed") from None
            except TomoshibiError as error:
                raise p.ApiError(
                    400 if isinstance(error, ConfigError) else 500, str(error), "server_error"
                ) from None
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


def _structure(body: Mapping[str, Any]) -> Structure:
    """The constraint asked for by ``response_format`` or ``tools``/``tool_choice``."""
    try:
        tools = body.get("tools")
        choice = body.get("tool_choice", "auto")
        if tools and choice != "none":
            functions = structured.parse_tools(tools)
            if isinstance(choice, Mapping):
                name = (choice.get("function") or {}).get("name")
                functions = [f for f in functions if f.name == name]
                if not functions:
                    raise p.bad_request(f"tool_choice names '{name}', which is not in tools.", "tool_choice")
                return Structure(functions=tuple(functions), call_required=True)
            if choice not in ("auto", "required"):
                raise p.bad_request(
                    "tool_choice must be 'auto', 'none', 'required' or a function.", "tool_choice"
                )
            return Structure(functions=tuple(functions), call_required=choice == "required")
        fmt = body.get("response_format")
        if not fmt or fmt.get("type") == "text":
            return Structure()
        if fmt.get("type") == "json_object":
            return Structure(schema=structured.ANY_OBJECT_SCHEMA)
        if fmt.get("type") == "json_schema":
            schema = (fmt.get("json_schema") or {}).get("schema")
            structured.check_schema(schema)
            return Structure(schema=schema)
        raise p.bad_request(
            "response_format type must be text, json_object or json_schema.", "response_format"
        )
    except ConfigError as error:
        raise p.bad_request(str(error), "response_format" if not body.get("tools") else "tools") from None


def _chat_answer(finished: Finished, structure: Structure) -> tuple[dict[str, Any], str]:
    """The assistant message and finish reason; checks structured answers against their schema.

    A structured answer cut by max_tokens stays "length" with its partial text (as OpenAI does),
    unless the cut fell exactly after its last token: then it is complete and valid, so it counts.
    """
    reason = p.FINISH_REASONS[finished.reason]
    text = finished.text
    if reason not in ("stop", "length") or (structure.schema is None and not structure.functions):
        return {"role": "assistant", "content": text}, reason
    try:
        if structure.functions:
            call = structured.parse_tool_call(text, structure.functions)
            if call is not None:
                arguments = json.dumps(call.arguments, ensure_ascii=False)
                return p.tool_call_message(call.name, arguments), "tool_calls"
        else:
            assert structure.schema is not None
            structured.parse_json(text, structure.schema)
        return {"role": "assistant", "content": text}, "stop" if structure.schema is not None else reason
    except EngineError as error:
        if reason == "length":
            return {"role": "assistant", "content": text}, reason
        raise p.ApiError(500, str(error), "server_error", code="invalid_output") from None


def _prompts(prompt: Any) -> list[str | list[int]]:
    if isinstance(prompt, str):
        return [prompt]
    if isinstance(prompt, list) and prompt:
        if all(isinstance(x, int) and not isinstance(x, bool) for x in prompt):
            return [list(prompt)]
        if all(isinstance(x, str) for x in prompt):
            return list(prompt)
        if all(isinstance(x, list) and x and all(isinstance(t, int) for t in x) for x in prompt):
            return [list(x) for x in prompt]
    raise p.bad_request("'prompt' must be a string, a list of strings, or token ids.", "prompt")
