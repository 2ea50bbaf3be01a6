"""Structured output and tool calls through the local API: JSON schema and JSON mode answers that always
validate, clear 400s for bad schemas, and OpenAI-shaped tool calls, with the real bundled model."""

# ruff: noqa: F811 - the server and client fixtures come from api_server
from __future__ import annotations

import json
import time

import jsonschema
import openai
import pytest

from models.bundled import BUNDLED_ID
from tests.models.api_server import (  # noqa: F401 - client and server are fixtures
    FAST,
    client,
    server,
)

# ---- structured output ----------------------------------------------------------------------------------

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": "^[A-Z][a-z]{1,11}$"},
        "age": {"type": "integer"},
        "likes_tea": {"type": "boolean"},
    },
    "required": ["name", "age", "likes_tea"],
    "additionalProperties": False,
}


def test_json_schema_answers_always_validate(client) -> None:
    # 50 different prompts, greedy: deterministic, and the fixed part of the prompt (the schema
    # instruction) stays in the engine's prefix cache, so each run pays only for its own question.
    topics = ["baker", "pilot", "child", "cat owner", "teacher", "runner", "poet", "doctor", "chef", "farmer"]
    moods = ["happy", "tired", "famous", "young", "old"]
    started = time.monotonic()
    for run in range(50):
        reply = client.chat.completions.create(
            model=BUNDLED_ID,
            messages=[{"role": "user", "content": f"Invent a {moods[run // 10]} {topics[run % 10]}."}],
            response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": PERSON}},
            max_tokens=64,  # the longest answer the grammar allows fits: the check is 100%, never "length"
            **FAST,
        )
        choice = reply.choices[0]
        assert choice.finish_reason == "stop", choice
        jsonschema.validate(json.loads(choice.message.content), PERSON)
    print(f"50 schema runs in {time.monotonic() - started:.1f} s")


def test_json_object_mode(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Give me a fruit and its colour."}],
        response_format={"type": "json_object"},
        max_tokens=60,
        **FAST,
    )
    assert isinstance(json.loads(reply.choices[0].message.content), dict)


def test_invalid_schema_is_a_clear_400(client) -> None:
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(
            model=BUNDLED_ID,
            messages=[{"role": "user", "content": "hi"}],
            response_format={
                "type": "json_schema",
                "json_schema": {"name": "x", "schema": {"type": "nonsense"}},
            },
        )
    assert "schema" in str(info.value).lower()


WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "maxLength": 20}, "unit": {"enum": ["c", "f"]}},
            "required": ["city", "unit"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {
        "name": "get_time",
        "description": "Current time in a time zone",
        "parameters": {
            "type": "object",
            "properties": {"zone": {"type": "string", "maxLength": 20}},
            "required": ["zone"],
        },
    },
}
ASK = [{"role": "user", "content": "What is the weather in Paris?"}]


def _check_call(call, tool) -> None:
    assert call.type == "function" and call.id
    assert call.function.name == tool["function"]["name"]
    jsonschema.validate(json.loads(call.function.arguments), tool["function"]["parameters"])


def test_tool_choice_required_returns_a_valid_call(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID, messages=ASK, tools=[WEATHER, TIME], tool_choice="required", max_tokens=40, **FAST
    )
    choice = reply.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    (call,) = choice.message.tool_calls
    _check_call(call, WEATHER if call.function.name == "get_weather" else TIME)


def test_tool_choice_specific_function(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=ASK,
        tools=[WEATHER, TIME],
        tool_choice={"type": "function", "function": {"name": "get_time"}},
        max_tokens=40,
        **FAST,
    )
    _check_call(reply.choices[0].message.tool_calls[0], TIME)


def test_tool_call_streamed_and_result_round_trip(client) -> None:
    chunks = list(
        client.chat.completions.create(
            model=BUNDLED_ID,
            messages=ASK,
            tools=[WEATHER],
            tool_choice="required",
            max_tokens=40,
            stream=True,
            **FAST,
        )
    )
    calls = [tc for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or [])]
    assert len(calls) == 1 and chunks[-1].choices[0].finish_reason == "tool_calls"
    _check_call(calls[0], WEATHER)
    follow_up = [
        *ASK,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": calls[0].id,
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": calls[0].function.arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": calls[0].id, "content": '{"temperature": 21, "sky": "clear"}'},
    ]
    reply = client.chat.completions.create(
        model=BUNDLED_ID, messages=follow_up, tools=[WEATHER], tool_choice="auto", max_tokens=40, **FAST
    )
    choice = reply.choices[0]
    if choice.finish_reason == "tool_calls":  # "auto" lets the model call again; it must still be valid
        _check_call(choice.message.tool_calls[0], WEATHER)
    else:
        assert choice.message.content and not choice.message.content.lstrip().startswith("{")


def test_tool_choice_none_answers_in_text(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID, messages=ASK, tools=[WEATHER], tool_choice="none", max_tokens=8, **FAST
    )
    assert reply.choices[0].message.tool_calls is None and reply.choices[0].message.content
