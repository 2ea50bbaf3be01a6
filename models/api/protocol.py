"""OpenAI's wire format: reading requests into engine terms, and shaping answers and errors like OpenAI."""

from __future__ import annotations

import base64
import math
import struct
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..events import SamplingParams

FINISH_REASONS = {"stop": "stop", "length": "length", "cancelled": "stop"}
MAX_CHOICES = 8


class ApiError(Exception):
    """An error answered in OpenAI's shape: {"error": {"message", "type", "param", "code"}}."""

    def __init__(
        self,
        status: int,
        message: str,
        type_: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


def bad_request(message: str, param: str | None = None, code: str | None = None) -> ApiError:
    return ApiError(400, message, "invalid_request_error", param, code)


def internal_error() -> ApiError:
    """A real bug: the details go to the log, never to the client."""
    return ApiError(500, "Internal error in Tomoshibi; see its log.", "server_error", code="internal_error")


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:24]}"


def now() -> int:
    return int(time.time())


# ---- requests ----------------------------------------------------------------------------------------


def _number(body: Mapping[str, Any], name: str, default: float, low: float, high: float) -> float:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise bad_request(f"'{name}' must be a number.", name)
    if not low <= value <= high:
        raise bad_request(f"'{name}' must be between {low:g} and {high:g}; got {value}.", name)
    return float(value)


def _integer(body: Mapping[str, Any], name: str, default: int | None, low: int) -> int | None:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise bad_request(f"'{name}' must be an integer of at least {low}; got {value!r}.", name)
    return int(value)


def _seed(body: Mapping[str, Any]) -> int | None:
    seed = _integer(body, "seed", None, -(2**63))
    return None if seed is None else seed % 2**31  # llama.cpp takes 32 bits; OpenAI allows any int64


def _logit_bias(body: Mapping[str, Any]) -> tuple[tuple[int, float], ...]:
    bias = body.get("logit_bias")
    if bias is None:
        return ()
    if not isinstance(bias, Mapping) or len(bias) > 1024:
        raise bad_request("'logit_bias' must be an object mapping token ids to numbers.", "logit_bias")
    out = []
    for key, value in bias.items():
        if not (isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 10):
            raise bad_request(f"'logit_bias' key {key!r} is not a token id.", "logit_bias")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -100 <= value <= 100:
            raise bad_request("'logit_bias' values must be numbers from -100 to 100.", "logit_bias")
        out.append((int(key), float(value)))
    return tuple(out)


def sampling(body: Mapping[str, Any], default_max_tokens: int) -> SamplingParams:
    """SamplingParams from OpenAI fields (plus llama.cpp's top_k, min_p, repeat_penalty)."""
    _integer(body, "n", 1, 1)  # checked here, answered by the endpoint (one choice after another)
    stop = body.get("stop")
    if stop is None:
        stops: tuple[str, ...] = ()
    elif isinstance(stop, str):
        stops = (stop,)
    elif isinstance(stop, list) and all(isinstance(s, str) for s in stop) and len(stop) <= 16:
        stops = tuple(s for s in stop if s)
    else:
        raise bad_request("'stop' must be a string or a list of strings.", "stop")
    max_tokens = _integer(body, "max_completion_tokens", None, 1)
    max_tokens = _integer(body, "max_tokens", max_tokens or default_max_tokens, 1)
    assert max_tokens is not None
    # Absent fields take llama.cpp's usual defaults (not OpenAI's temperature 1 over the full vocabulary,
    # which small local models answer with noise); no repeat penalty, as OpenAI has none.
    d = SamplingParams()
    return SamplingParams(
        temperature=_number(body, "temperature", d.temperature, 0.0, 2.0),
        top_p=_number(body, "top_p", d.top_p, 0.0, 1.0),
        top_k=int(_integer(body, "top_k", d.top_k, 0) or 0),
        min_p=_number(body, "min_p", d.min_p, 0.0, 1.0),
        repeat_penalty=_number(body, "repeat_penalty", 1.0, 0.0, 10.0),
        presence_penalty=_number(body, "presence_penalty", 0.0, -2.0, 2.0),
        frequency_penalty=_number(body, "frequency_penalty", 0.0, -2.0, 2.0),
        logit_bias=_logit_bias(body),
        max_tokens=max_tokens,
        seed=_seed(body),
        stop=stops,
    )


def choices_wanted(body: Mapping[str, Any]) -> int:
    n = int(_integer(body, "n", 1, 1) or 1)
    if n > MAX_CHOICES:
        raise bad_request(
            f"'n' must be at most {MAX_CHOICES}: the choices are generated one after another.", "n"
        )
    return n


def message_text(content: Any) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if not isinstance(part, Mapping) or part.get("type") != "text":
                kind = part.get("type") if isinstance(part, Mapping) else type(part).__name__
                raise bad_request(f"Content parts of type '{kind}' are not supported; only text.", "messages")
            parts.append(str(part.get("text", "")))
        return "".join(parts)
    raise bad_request("Message content must be a string or a list of text parts.", "messages")


def chat_messages(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise bad_request("'messages' must be a non-empty list.", "messages")
    out = []
    for m in messages:
        if not isinstance(m, Mapping) or not isinstance(m.get("role"), str):
            raise bad_request("Each message needs a 'role' and 'content'.", "messages")
        role = "system" if m["role"] == "developer" else m["role"]
        out.append({**m, "role": role, "content": message_text(m.get("content"))})
    return out


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int = 0

    def body(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {"cached_tokens": self.cached_tokens},
        }

    def __add__(self, other: Usage) -> Usage:
        # n > 1: the prompt is counted once, as OpenAI does; completions add up.
        return Usage(
            self.prompt_tokens or other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_tokens or other.cached_tokens,
        )


# ---- answers -----------------------------------------------------------------------------------------


LogprobEntry = tuple[str, float, tuple[tuple[str, float], ...]]


def chat_logprobs(entries: Sequence[LogprobEntry]) -> dict[str, Any]:
    def item(text: str, logprob: float) -> dict[str, Any]:
        return {"token": text, "logprob": logprob, "bytes": list(text.encode("utf-8"))}

    return {
        "content": [
            {**item(t, lp), "top_logprobs": [item(a, alp) for a, alp in top]} for t, lp, top in entries
        ],
        "refusal": None,
    }


def completion_logprobs(entries: Sequence[LogprobEntry], offset: int = 0) -> dict[str, Any]:
    offsets, at = [], offset
    for text, _, _ in entries:
        offsets.append(at)
        at += len(text)
    return {
        "tokens": [t for t, _, _ in entries],
        "token_logprobs": [lp for _, lp, _ in entries],
        "top_logprobs": [dict(top) for _, _, top in entries],
        "text_offset": offsets,
    }


def chat_choice(
    index: int, message: dict[str, Any], finish_reason: str, logprobs: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"index": index, "message": message, "logprobs": logprobs, "finish_reason": finish_reason}


def chat_completion(cid: str, model: str, choices: list[dict[str, Any]], usage: Usage) -> dict[str, Any]:
    return {
        "id": cid,
        "object": "chat.completion",
        "created": now(),
        "model": model,
        "system_fingerprint": None,
        "choices": choices,
        "usage": usage.body(),
    }


def chat_chunk(
    cid: str,
    model: str,
    created: int,
    delta: dict[str, Any],
    finish_reason: str | None = None,
    index: int = 0,
    logprobs: dict[str, Any] | None = None,
    with_usage: bool = False,
) -> dict[str, Any]:
    chunk: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "system_fingerprint": None,
        "choices": [{"index": index, "delta": delta, "logprobs": logprobs, "finish_reason": finish_reason}],
    }
    if with_usage:
        chunk["usage"] = None  # OpenAI: null in every chunk but the last when include_usage is on
    return chunk


def usage_chunk(cid: str, obj: str, model: str, created: int, usage: Usage) -> dict[str, Any]:
    return {
        "id": cid,
        "object": obj,
        "created": created,
        "model": model,
        "choices": [],
        "usage": usage.body(),
    }


def text_completion(
    cid: str, model: str, choices: list[dict[str, Any]], usage: Usage | None, with_usage: bool = False
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": cid,
        "object": "text_completion",
        "created": now(),
        "model": model,
        "system_fingerprint": None,
        "choices": choices,
    }
    if usage is not None:
        body["usage"] = usage.body()
    elif with_usage:
        body["usage"] = None
    return body


def text_choice(
    index: int, text: str, finish_reason: str | None, logprobs: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"index": index, "text": text, "logprobs": logprobs, "finish_reason": finish_reason}


def tool_call_message(calls: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """An assistant message calling ``calls`` [(name, arguments JSON)], with OpenAI's ``call_`` ids."""
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": f"call_{uuid.uuid4().hex[:24]}",
                "type": "function",
                "function": {"name": n, "arguments": a},
            }
            for n, a in calls
        ],
    }


def embedding_item(index: int, vector: list[float], encoding: str) -> dict[str, Any]:
    if encoding == "base64":
        data: Any = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")
    else:
        data = vector
    return {"object": "embedding", "index": index, "embedding": data}


def model_entry(model_id: str, created: int) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": created, "owned_by": "tomoshibi"}
