"""Schema → grammar, validation, tool-call parsing, and the Python API ``chat_json`` with the real engine."""

from __future__ import annotations

import json

import pytest

from models import structured
from models.errors import ConfigError, EngineError

SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string", "maxLength": 10}, "days": {"type": "integer", "minimum": 1}},
    "required": ["city", "days"],
}


def test_schema_becomes_a_grammar_with_bounded_whitespace() -> None:
    grammar = structured.schema_to_gbnf(SCHEMA)
    assert "root ::= " in grammar and '"\\"city\\""' in grammar
    assert 'space ::= " "?' in grammar  # one optional space: a small model cannot run away in blank space
    assert "\\x00-\\x1F" in grammar  # no raw control characters inside strings: json.loads rejects them


def test_bad_schemas_are_config_errors() -> None:
    with pytest.raises(ConfigError):
        structured.schema_to_gbnf({"type": "nonsense"})
    with pytest.raises(ConfigError):
        structured.schema_to_gbnf({"type": "string", "pattern": "no anchors"})
    with pytest.raises(ConfigError):
        structured.check_schema(["not", "a", "schema"])


def test_unenforced_keywords_are_named_and_checked_by_validation() -> None:
    assert structured.unenforced_keywords(SCHEMA) == ["minimum"]
    assert structured.parse_json('{"city": "Kyoto", "days": 3}', SCHEMA) == {"city": "Kyoto", "days": 3}
    with pytest.raises(EngineError, match="minimum"):
        structured.parse_json('{"city": "Kyoto", "days": 0}', SCHEMA)
    with pytest.raises(EngineError, match="max_tokens"):
        structured.parse_json('{"city": "Ky', SCHEMA)


def test_tool_grammar_and_call_parsing() -> None:
    tools = structured.parse_tools(
        [
            {"type": "function", "function": {"name": "weather", "parameters": SCHEMA}},
            {"type": "function", "function": {"name": "clock"}},
        ]
    )
    required = structured.tools_gbnf(tools, call_required=True)
    optional = structured.tools_gbnf(tools, call_required=False)
    assert required.count("root ::=") == 1 and optional.count("root ::=") == 1
    assert optional.startswith("root ::= tomoshibi-tool-call | tomoshibi-plain")
    call = structured.parse_tool_call('{"name": "weather", "arguments": {"city": "Oslo", "days": 2}}', tools)
    assert call == structured.ToolCall("weather", {"city": "Oslo", "days": 2})
    assert structured.parse_tool_call("It is sunny.", tools) is None
    with pytest.raises(EngineError):
        structured.parse_tool_call('{"name": "nope", "arguments": {}}', tools)
    with pytest.raises(ConfigError):
        structured.parse_tools([{"type": "function", "function": {"name": "bad name!"}}])


def test_tool_history_renders_calls_and_results_as_plain_turns() -> None:
    history = list(
        structured.tool_history(
            [
                {"role": "user", "content": "Weather?"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "c1",
                            "type": "function",
                            "function": {"name": "weather", "arguments": '{"city": "Oslo"}'},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "rain"},
            ]
        )
    )
    assert history[1] == {
        "role": "assistant",
        "content": json.dumps({"name": "weather", "arguments": {"city": "Oslo"}}),
    }
    assert history[2] == {"role": "user", "content": "Result of weather: rain"}


def test_chat_json_with_the_bundled_model(bundled_model) -> None:
    from models.engine import Engine
    from models.events import LoadConfig, SamplingParams

    schema = {
        "type": "object",
        "properties": {"colour": {"enum": ["red", "green", "blue"]}},
        "required": ["colour"],
    }
    with Engine.start(LoadConfig(model_path=str(bundled_model), n_ctx=512, n_threads=1)) as engine:
        # Free JSON first: greedy SmolLM2 then closes its strings within a few dozen tokens; after
        # another request its reused prefix shifts the numbers enough that it can loop inside a string.
        anything = structured.chat_json(
            engine,
            [{"role": "user", "content": "Describe a dog."}],
            None,
            SamplingParams(temperature=0, max_tokens=80),
        )
        value = structured.chat_json(
            engine,
            [{"role": "user", "content": "Pick a colour."}],
            schema,
            SamplingParams(temperature=0, max_tokens=16),
        )
    assert value["colour"] in ("red", "green", "blue")
    assert isinstance(anything, dict)
