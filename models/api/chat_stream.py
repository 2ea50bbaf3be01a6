"""A streamed chat answer (server-sent events), one choice after another for ``n`` > 1.

The 200 and its headers go out only when the engine's first event arrives: everything the engine can
refuse (a grammar llama.cpp cannot build, a template error) is still answered as a plain 4xx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..events import SamplingParams, Token
from . import chat_request
from . import protocol as p

if TYPE_CHECKING:
    from ..engine import Engine
    from .endpoints import Channel, Endpoints


class ChatStream:
    def __init__(
        self,
        endpoints: Endpoints,
        ch: Channel,
        cid: str,
        model: str,
        structure: chat_request.Structure,
        want_logprobs: bool,
        include_usage: bool,
    ) -> None:
        self.endpoints, self.ch, self.cid, self.model = endpoints, ch, cid, model
        self.structure = structure
        self.want_logprobs = want_logprobs
        self.include_usage = include_usage
        self.created = p.now()
        self.started = False

    def _chunk(
        self, index: int, delta: dict[str, Any], reason: str | None = None, logprobs: Any = None
    ) -> dict:
        return p.chat_chunk(
            self.cid, self.model, self.created, delta, reason, index, logprobs, self.include_usage
        )

    def run(self, engine: Engine, messages: list[dict[str, Any]], params: SamplingParams, n: int) -> None:
        ch, usage = self.ch, p.Usage(0, 0)
        for index in range(n):
            answered = self._choice(engine, messages, self.endpoints._nth(params, index), index)
            if answered is None:
                return
            usage = usage + answered
        if self.include_usage:
            ch.send_event(p.usage_chunk(self.cid, "chat.completion.chunk", self.model, self.created, usage))
        ch.send_event("[DONE]")
        self.endpoints.stats.add("completed")

    def _choice(
        self, engine: Engine, messages: list[dict[str, Any]], params: SamplingParams, index: int
    ) -> p.Usage | None:
        ch, structure = self.ch, self.structure
        # With tools, an answer that opens with "{" is a call: hold it back and send it whole at the end.
        held: list[str] = []
        mode = "undecided" if structure.functions else "text"

        def before_first() -> bool:
            if not self.started:
                ch.start_stream()
                self.started = True
            return ch.send_event(self._chunk(index, {"role": "assistant", "content": ""}))

        def on_token(token: Token) -> bool:
            nonlocal mode
            text = token.text
            logprobs = p.chat_logprobs(token.logprobs) if self.want_logprobs and token.logprobs else None
            if mode == "undecided":
                held.append(text)
                start = "".join(held).lstrip()
                if not start:
                    return not ch.gone()
                mode = "call" if start.startswith("{") else "text"
                if mode == "text":
                    return ch.send_event(self._chunk(index, {"content": "".join(held)}, None, logprobs))
            if mode == "call":
                return not ch.gone()
            if not text and logprobs is None:
                return not ch.gone()
            return ch.send_event(self._chunk(index, {"content": text}, None, logprobs))

        try:
            out = self.endpoints._run(
                engine.chat(messages, params), ch, on_token, before_first, structure.param
            )
            message, reason = chat_request.answer(out.finished, structure)
        except p.ApiError as error:
            if not self.started:
                raise  # nothing sent yet: a plain error answer
            ch.send_event(error.body())
            ch.send_event("[DONE]")
            self.endpoints.stats.add("failed")
            return None
        if message.get("tool_calls"):
            calls = [{"index": k, **call} for k, call in enumerate(message["tool_calls"])]
            ch.send_event(self._chunk(index, {"tool_calls": calls}))
        elif mode == "undecided" and held:
            ch.send_event(self._chunk(index, {"content": "".join(held)}))
        ch.send_event(self._chunk(index, {}, reason))
        return out.usage
