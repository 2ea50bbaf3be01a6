"""Checks of a request's fields before any work starts: every wrong type or unsupported option is a 400
that names the field, as OpenAI answers it (never a 500 from deep inside an endpoint).

The parameter table of the closing note lives here: what each endpoint supports, and what it refuses
because this server cannot do it (rather than accepting and ignoring it).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .protocol import ApiError, bad_request

MAX_MESSAGES = 4096  # a longer conversation cannot fit any local context anyway
LOCAL_MODEL = "local"  # accepted as "whatever model is loaded"

# Fields this server refuses with a 400 when they are set (not null/false): accepting and ignoring
# them would give the client something other than what it asked for.
CHAT_REFUSED = {
    "audio": "audio output is not supported",
    "functions": "legacy 'functions' is not supported; use 'tools'",
    "function_call": "legacy 'function_call' is not supported; use 'tool_choice'",
    "prediction": "predicted outputs are not supported",
    "reasoning_effort": "this model does not reason",
    "verbosity": "'verbosity' is not supported",
    "web_search_options": "web search is not available offline",
}
COMPLETIONS_REFUSED = {"suffix": "'suffix' (fill-in-the-middle) is not supported"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(body: Mapping[str, Any], name: str, kinds: type | tuple[type, ...], what: str) -> Any:
    value = body.get(name)
    if value is not None and (
        not isinstance(value, kinds) or isinstance(value, bool) and bool not in _tuple(kinds)
    ):
        raise bad_request(f"'{name}' must be {what}.", name)
    return value


def _tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def check_model(body: Mapping[str, Any], ids: Collection[str]) -> None:
    """``model`` must name a loaded model (or ``local``): 400 when missing, 404 model_not_found otherwise."""
    model = body.get("model")
    if model is None or model == "":
        raise bad_request("You must provide a model parameter.", "model", "missing_model")
    if not isinstance(model, str):
        raise bad_request("'model' must be a string.", "model")
    if model != LOCAL_MODEL and model not in ids:
        raise ApiError(
            404,
            f"The model '{model[:200]}' does not exist. This server has: {', '.join(sorted(ids))} (or '{LOCAL_MODEL}').",
            param="model",
            code="model_not_found",
        )


def _common(body: Mapping[str, Any]) -> None:
    _optional(body, "stream", bool, "true or false")
    options = _optional(body, "stream_options", Mapping, "an object")
    if options is not None:
        if not body.get("stream"):
            raise bad_request("'stream_options' is only allowed when 'stream' is true.", "stream_options")
        _optional(options, "include_usage", bool, "true or false")
    for name in ("user", "safety_identifier", "prompt_cache_key"):
        _optional(body, name, str, "a string")
    metadata = _optional(body, "metadata", Mapping, "an object of strings")
    if metadata is not None and not all(isinstance(v, str) for v in metadata.values()):
        raise bad_request("'metadata' must be an object of strings.", "metadata")
    if body.get("store"):
        raise bad_request("'store' is not supported: nothing is kept on this server.", "store")
    tier = body.get("service_tier")
    if tier is not None and tier not in ("auto", "default"):
        raise bad_request("'service_tier' must be 'auto' or 'default' here.", "service_tier")


def check_chat(body: Mapping[str, Any]) -> None:
    _common(body)
    for name, why in CHAT_REFUSED.items():
        if body.get(name) not in (None, False):
            raise bad_request(f"'{name}': {why}.", name, "unsupported_parameter")
    messages = body.get("messages")
    if isinstance(messages, list) and len(messages) > MAX_MESSAGES:
        raise bad_request(f"At most {MAX_MESSAGES} messages are accepted; got {len(messages)}.", "messages")
    modalities = body.get("modalities")
    if modalities is not None and modalities != ["text"]:
        raise bad_request("Only the 'text' modality is supported.", "modalities")
    fmt = _optional(body, "response_format", Mapping, 'an object such as {"type": "json_object"}')
    if fmt is not None:
        if fmt.get("type") not in ("text", "json_object", "json_schema"):
            raise bad_request(
                "response_format type must be text, json_object or json_schema.", "response_format"
            )
        if fmt.get("type") == "json_schema" and not isinstance(fmt.get("json_schema"), Mapping):
            raise bad_request("response_format json_schema needs a 'json_schema' object.", "response_format")
    tools = body.get("tools")
    if tools is not None and (not isinstance(tools, list) or not tools):
        raise bad_request("'tools' must be a non-empty list (leave it out for no tools).", "tools")
    choice = body.get("tool_choice")
    if choice is not None:
        if tools is None:
            raise bad_request("'tool_choice' is only allowed when 'tools' are given.", "tool_choice")
        if isinstance(choice, Mapping):
            function = choice.get("function")
            if (
                choice.get("type", "function") != "function"
                or not isinstance(function, Mapping)
                or not isinstance(function.get("name"), str)
            ):
                raise bad_request(
                    'tool_choice must be {"type": "function", "function": {"name": ...}}.', "tool_choice"
                )
        elif choice not in ("none", "auto", "required"):
            raise bad_request("tool_choice must be 'none', 'auto', 'required' or a function.", "tool_choice")
    _optional(body, "parallel_tool_calls", bool, "true or false")
    _optional(body, "logprobs", bool, "true or false")
    top = body.get("top_logprobs")
    if top is not None:
        if not _is_int(top) or not 0 <= top <= 20:
            raise bad_request("'top_logprobs' must be an integer from 0 to 20.", "top_logprobs")
        if not body.get("logprobs"):
            raise bad_request("'top_logprobs' needs 'logprobs': true.", "top_logprobs")


def check_completions(body: Mapping[str, Any]) -> None:
    _common(body)
    for name, why in COMPLETIONS_REFUSED.items():
        if body.get(name):
            raise bad_request(f"'{name}': {why}.", name, "unsupported_parameter")
    _optional(body, "echo", bool, "true or false")
    logprobs = body.get("logprobs")
    if logprobs is not None and (not _is_int(logprobs) or not 0 <= logprobs <= 5):
        raise bad_request("'logprobs' must be an integer from 0 to 5.", "logprobs")
    best_of = body.get("best_of")
    if best_of is not None and (not _is_int(best_of) or best_of != (body.get("n") or 1)):
        raise bad_request("'best_of' is not supported (it may only equal n).", "best_of")


def check_embeddings(body: Mapping[str, Any]) -> int | None:
    """The requested ``dimensions`` (None: the model's own)."""
    for name in ("user",):
        _optional(body, name, str, "a string")
    dimensions = body.get("dimensions")
    if dimensions is not None and (not _is_int(dimensions) or dimensions < 1):
        raise bad_request("'dimensions' must be a positive integer.", "dimensions")
    return dimensions
