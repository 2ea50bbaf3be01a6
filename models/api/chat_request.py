"""A chat request in engine terms: the messages with their instruction, the grammar, and how the answer
is read back (plain text, JSON matching a schema, or tool calls)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import structured
from ..errors import ConfigError, EngineError
from ..events import Finished
from . import protocol as p


@dataclass(frozen=True)
class Structure:
    """How a chat answer is constrained: a JSON schema, tools, or both (tools, else JSON)."""

    schema: Mapping[str, Any] | None = None
    functions: tuple[structured.Function, ...] = ()
    call_required: bool = False
    parallel: bool = False

    def prepare(self, messages: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
        """The messages with the instruction added, and the grammar (None: free text)."""
        try:
            if self.functions:
                answer = self.schema
                instruction = structured.tools_instruction(self.functions, self.call_required, self.parallel)
                if answer is not None and not self.call_required:
                    instruction += "\n" + structured.schema_instruction(answer).replace(
                        structured.JSON_INSTRUCTION, "Otherwise answer with a single JSON object."
                    )
                grammar = structured.tools_gbnf(self.functions, self.call_required, answer, self.parallel)
            elif self.schema is not None:
                instruction = structured.schema_instruction(self.schema)
                grammar = structured.schema_to_gbnf(self.schema)
            else:
                return messages, None
        except ConfigError as error:
            raise p.bad_request(str(error), self.param, "invalid_schema") from None
        return structured.with_instruction(messages, instruction), grammar

    @property
    def param(self) -> str:
        return "tools" if self.functions else "response_format"


def structure(body: Mapping[str, Any]) -> Structure:
    """The constraint asked for by ``response_format`` and ``tools``/``tool_choice`` (types already checked)."""
    schema: Mapping[str, Any] | None = None
    fmt = body.get("response_format") or {}
    try:
        if fmt.get("type") == "json_object":
            schema = structured.ANY_OBJECT_SCHEMA
        elif fmt.get("type") == "json_schema":
            schema = fmt["json_schema"].get("schema") or structured.ANY_OBJECT_SCHEMA
            structured.check_schema(schema)
    except ConfigError as error:
        raise p.bad_request(str(error), "response_format", "invalid_schema") from None
    tools = body.get("tools")
    choice = body.get("tool_choice") or "auto"  # null means the default
    if not tools or choice == "none":
        return Structure(schema=schema)
    try:
        functions = structured.parse_tools(tools)
    except ConfigError as error:
        raise p.bad_request(str(error), "tools") from None
    parallel = body.get("parallel_tool_calls") is True
    if isinstance(choice, Mapping):
        name = choice["function"]["name"]
        functions = [f for f in functions if f.name == name]
        if not functions:
            raise p.bad_request(f"tool_choice names '{name}', which is not in tools.", "tool_choice")
        return Structure(schema, tuple(functions), True, parallel)
    return Structure(schema, tuple(functions), choice == "required", parallel)


def answer(finished: Finished, s: Structure) -> tuple[dict[str, Any], str]:
    """The assistant message and finish reason; checks structured answers against their schema.

    A structured answer cut by max_tokens stays "length" with its partial text (as OpenAI does).
    """
    reason = p.FINISH_REASONS[finished.reason]
    text = finished.text
    if reason not in ("stop", "length") or (s.schema is None and not s.functions):
        return {"role": "assistant", "content": text}, reason
    try:
        if s.functions:
            calls = structured.parse_tool_calls(text, s.functions, None if s.call_required else s.schema)
            if calls:
                pairs = [(c.name, json.dumps(c.arguments, ensure_ascii=False)) for c in calls]
                return p.tool_call_message(pairs), "tool_calls"
        else:
            assert s.schema is not None
            structured.parse_json(text, s.schema)
        return {"role": "assistant", "content": text}, "stop" if s.schema is not None else reason
    except EngineError as error:
        if reason == "length":
            return {"role": "assistant", "content": text}, reason
        raise p.ApiError(500, str(error), "server_error", code="invalid_output") from None
