"""A streamed text completion (server-sent events), one choice after another for ``n`` > 1; the 200 goes
out with the engine's first event, so what the engine refuses is still a plain 4xx."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..events import SamplingParams, Token
from . import protocol as p

if TYPE_CHECKING:
    from ..engine import Engine
    from .endpoints import Channel, Endpoints


def stream_completion(
    endpoints: Endpoints,
    engine: Engine,
    ch: Channel,
    prompt: str | list[int],
    params: SamplingParams,
    n: int,
    echo: bool,
    want_logprobs: bool,
    include_usage: bool,
    cid: str,
    model: str,
) -> None:
    started = False
    usage = p.Usage(0, 0)

    def chunk(index: int, text: str, reason: str | None = None, logprobs: Any = None) -> dict[str, Any]:
        return p.text_completion(
            cid, model, [p.text_choice(index, text, reason, logprobs)], None, include_usage
        )

    for index in range(n):

        def before_first(index: int = index) -> bool:
            nonlocal started
            if not started:
                ch.start_stream()
                started = True
            return not (echo and isinstance(prompt, str)) or ch.send_event(chunk(index, prompt))

        def on_token(token: Token, index: int = index) -> bool:
            logprobs = p.completion_logprobs(token.logprobs) if want_logprobs else None
            return ch.send_event(chunk(index, token.text, None, logprobs))

        try:
            out = endpoints._run(
                engine.generate(prompt, endpoints._nth(params, index)), ch, on_token, before_first, "prompt"
            )
        except p.ApiError as error:
            if not started:
                raise
            ch.send_event(error.body())
            ch.send_event("[DONE]")
            endpoints.stats.add("failed")
            return
        ch.send_event(chunk(index, "", p.FINISH_REASONS[out.finished.reason]))
        usage = usage + out.usage
    if include_usage:
        ch.send_event(p.usage_chunk(cid, "text_completion", model, p.now(), usage))
    ch.send_event("[DONE]")
    endpoints.stats.add("completed")
