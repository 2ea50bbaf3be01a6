"""Structured output: JSON that always parses, and function calls that match their schema.

A JSON schema becomes a llama.cpp grammar (GBNF) through llama-cpp-python's own converter, so the
model can only produce text the grammar accepts; the result is then parsed and validated with
``jsonschema``, which also checks the keywords a grammar cannot express (``minimum``, ``uniqueItems``,
...). The app's "JSON mode", the Python API (``chat_json``) and the local API server all use this module.

What the grammar enforces: ``type`` (including lists), ``properties``/``required`` (no extra keys unless
``additionalProperties`` allows them), ``enum``, ``const``, ``anyOf``/``oneOf``, local ``$ref``,
``items``/``prefixItems``/``minItems``/``maxItems``, ``minLength``/``maxLength``, ``pattern`` (anchored
regular expressions) and the ``date``/``time``/``date-time``/``uuid`` formats. Whitespace between
tokens is limited to one space so a small model cannot run away in blank space.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, EngineError

if TYPE_CHECKING:
    from .engine import Engine
    from .events import SamplingParams

# Keywords the grammar enforces, or that only annotate; anything else is checked after generation.
_ENFORCED = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "$ref",
    "$defs",
    "definitions",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "allOf",
}
_ANNOTATIONS = {
    "title",
    "description",
    "$schema",
    "$id",
    "$comment",
    "default",
    "examples",
    "strict",
    "nullable",
}

ANY_OBJECT_SCHEMA: dict[str, Any] = {"type": "object"}

_LOOSE_CHAR = 'char ::= [^"\\\\] '  # the converter's string character: not a quote or a backslash
_STRICT_CHAR = 'char ::= [^"\\\\\\x7F\\x00-\\x1F] '


JSON_INSTRUCTION = "Answer with a single JSON object and nothing else."


def _converter() -> Any:
    try:
        from llama_cpp.llama_grammar import json_schema_to_gbnf
    except ImportError as error:  # pragma: no cover - llama-cpp-python is a hard dependency
        raise EngineError(
            f"llama-cpp-python is not usable: {error}", "Reinstall Tomoshibi's dependencies."
        ) from None
    return json_schema_to_gbnf


def check_schema(schema: Any) -> None:
    """Raise ConfigError unless ``schema`` is a valid JSON schema object."""
    if not isinstance(schema, Mapping):
        raise ConfigError(
            "The JSON schema must be a JSON object.", 'Pass a schema such as {"type": "object", ...}.'
        )
    import jsonschema

    try:
        jsonschema.validators.validator_for(schema).check_schema(schema)
    except jsonschema.SchemaError as error:
        raise ConfigError(
            f"The JSON schema is invalid: {error.message}", "Fix the schema and try again."
        ) from None
    except RecursionError:
        raise ConfigError("The JSON schema is nested too deeply.", "Use fewer nested levels.") from None


def schema_to_gbnf(schema: Mapping[str, Any]) -> str:
    """GBNF grammar (root rule ``root``) that accepts the JSON the schema describes.

    Bounds too large for llama.cpp's grammar parser are left out of the grammar (see
    ``models.schema_bounds``); ``parse_json`` still checks them against the original schema.
    """
    check_schema(schema)
    from .schema_bounds import grammar_schema

    try:
        grammar = _converter()(json.dumps(grammar_schema(schema)))
    except (AssertionError, KeyError, ValueError, TypeError, RecursionError) as error:
        raise ConfigError(
            f"This JSON schema cannot be turned into a grammar: {error or type(error).__name__}.",
            "Simplify the schema: use type, properties, required, enum, anyOf, items and string lengths; "
            "remote $ref and lookaround patterns are not supported.",
        ) from None
    # The converter lets control characters into strings; JSON forbids them raw (json.loads rejects a
    # bare newline inside a string), so the grammar must too, as llama.cpp's own C++ converter does.
    return ("\n" + str(grammar)).replace("\n" + _LOOSE_CHAR, "\n" + _STRICT_CHAR)[1:]


def unenforced_keywords(schema: Any) -> list[str]:
    """Keywords in ``schema`` that the grammar ignores (they are still checked by validation)."""
    found: set[str] = set()

    def visit(node: Any, in_properties: bool = False) -> None:
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, Mapping):
            for key, value in node.items():
                if in_properties:  # keys here are property names, values are schemas
                    visit(value)
                    continue
                if key not in _ENFORCED and key not in _ANNOTATIONS:
                    found.add(str(key))
                if key in ("properties", "$defs", "definitions"):
                    visit(value, in_properties=True)
                elif isinstance(value, (Mapping, list)) and key not in (
                    "enum",
                    "const",
                    "default",
                    "examples",
                ):
                    visit(value)

    visit(schema)
    return sorted(found)


def validation_errors(value: Any, schema: Mapping[str, Any]) -> list[str]:
    """Human-readable reasons why ``value`` does not match ``schema`` (empty when it does)."""
    import jsonschema

    validator = jsonschema.validators.validator_for(schema)(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    ]


def parse_json(text: str, schema: Mapping[str, Any] | None = None) -> Any:
    """Parse model output as JSON and validate it; raise EngineError naming what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise EngineError(
            f"The model's answer is not complete JSON ({error.msg} at character {error.pos}).",
            "Allow more tokens (max_tokens) so the answer can finish.",
        ) from None
    if schema is not None:
        errors = validation_errors(value, schema)
        if errors:
            raise EngineError(
                "The model's answer does not match the JSON schema: " + "; ".join(errors[:3]),
                "The grammar cannot enforce "
                + (", ".join(unenforced_keywords(schema)) or "every keyword")
                + "; relax those constraints or try another seed.",
            )
    return value


def schema_instruction(schema: Mapping[str, Any] | None) -> str:
    """A system-prompt line telling the model what JSON to write (the grammar enforces it anyway)."""
    if not schema or schema == ANY_OBJECT_SCHEMA:
        return JSON_INSTRUCTION
    return f"{JSON_INSTRUCTION} It must match this JSON schema: {json.dumps(schema, ensure_ascii=False)}"


def with_instruction(messages: Sequence[Mapping[str, str]], instruction: str) -> list[dict[str, str]]:
    """Messages with ``instruction`` added to the system prompt (or as a new one)."""
    out = [dict(m) for m in messages]
    if out and out[0].get("role") == "system":
        out[0]["content"] = f"{out[0].get('content', '')}\n\n{instruction}".strip()
    else:
        out.insert(0, {"role": "system", "content": instruction})
    return out


def json_params(params: SamplingParams, schema: Mapping[str, Any] | None = None) -> SamplingParams:
    """``params`` constrained to JSON: any object, or what ``schema`` describes."""
    return replace(params, grammar=schema_to_gbnf(schema or ANY_OBJECT_SCHEMA))


def chat_json(
    engine: Engine,
    messages: Sequence[Mapping[str, str]],
    schema: Mapping[str, Any] | None = None,
    params: SamplingParams | None = None,
) -> Any:
    """Python API: ask ``engine`` and return the parsed, validated JSON answer."""
    from .events import EngineCrashed, ErrorEvent, Finished, SamplingParams

    finished: Finished | None = None
    for event in engine.chat(
        with_instruction(messages, schema_instruction(schema)),
        json_params(params or SamplingParams(), schema),
    ):
        if isinstance(event, Finished):
            finished = event
        elif isinstance(event, (ErrorEvent, EngineCrashed)):
            raise EngineError(event.message, "")
    assert finished is not None
    return parse_json(finished.text, schema)


# ---- function calling ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Function:
    """One callable tool: its name, description and JSON schema for the arguments."""

    name: str
    description: str
    parameters: Mapping[str, Any]


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: Any  # the parsed arguments object


_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ROOT_RE = re.compile(r"^root ::= ", re.MULTILINE)
_CALL_RULE = "tomoshibi-tool-call"
# A plain answer is any text that does not begin like a call (an opening brace) or with blank space.
_PLAIN_RULES = "tomoshibi-plain ::= [^{ \\t\\r\\n] tomoshibi-plain-char*\ntomoshibi-plain-char ::= [^\\x00]"


def parse_tools(tools: Any) -> list[Function]:
    """OpenAI ``tools`` ([{"type": "function", "function": {...}}]) as Functions; ConfigError if malformed."""
    if not isinstance(tools, list) or not tools:
        raise ConfigError(
            "tools must be a non-empty list.", 'Pass [{"type": "function", "function": {...}}].'
        )
    functions: list[Function] = []
    for tool in tools:
        spec = (
            tool.get("function")
            if isinstance(tool, Mapping) and tool.get("type", "function") == "function"
            else None
        )
        if not isinstance(spec, Mapping) or not _NAME_RE.match(str(spec.get("name", ""))):
            raise ConfigError(
                f"Unsupported tool {json.dumps(tool)[:200]}.",
                'Each tool must be {"type": "function", "function": {"name": "a_name", "parameters": {...}}}.',
            )
        parameters = spec.get("parameters") or {"type": "object", "properties": {}}
        check_schema(parameters)
        functions.append(Function(str(spec["name"]), str(spec.get("description", "")), parameters))
    names = [f.name for f in functions]
    if len(set(names)) != len(names):
        raise ConfigError("Two tools have the same name.", "Give every function a unique name.")
    return functions


def call_schema(functions: Sequence[Function]) -> dict[str, Any]:
    """Schema of a call to one of ``functions``: {"name": ..., "arguments": {...}}."""
    alternatives = [
        {
            "type": "object",
            "properties": {"name": {"const": f.name}, "arguments": dict(f.parameters)},
            "required": ["name", "arguments"],
        }
        for f in functions
    ]
    return alternatives[0] if len(alternatives) == 1 else {"anyOf": alternatives}


MAX_PARALLEL_CALLS = 8


def tools_gbnf(
    functions: Sequence[Function],
    call_required: bool,
    answer_schema: Mapping[str, Any] | None = None,
    parallel: bool = False,
) -> str:
    """Grammar for a tool call; unless ``call_required``, a plain-text answer is allowed too.

    ``answer_schema``: a non-call answer must be JSON matching it (``response_format`` with tools).
    ``parallel``: up to MAX_PARALLEL_CALLS calls, one JSON object per line.
    """
    if answer_schema is not None and not call_required:
        # One schema for both, so the converter names every rule once; the answer's $defs stay at the root.
        combined: dict[str, Any] = {"anyOf": [call_schema(functions), dict(answer_schema)]}
        for key in ("$defs", "definitions"):
            if key in answer_schema:
                combined[key] = answer_schema[key]
        return schema_to_gbnf(combined)
    grammar = schema_to_gbnf(call_schema(functions))
    if parallel:
        grammar = _ROOT_RE.sub("tomoshibi-one-call ::= ", grammar, count=1)
        grammar = (
            f'root ::= tomoshibi-one-call ("\\n" tomoshibi-one-call){{0,{MAX_PARALLEL_CALLS - 1}}}\n{grammar}'
        )
    if call_required:
        return grammar
    renamed = _ROOT_RE.sub(f"{_CALL_RULE} ::= ", grammar, count=1)
    return f"root ::= {_CALL_RULE} | tomoshibi-plain\n{_PLAIN_RULES}\n{renamed}"


def tools_instruction(functions: Sequence[Function], call_required: bool, parallel: bool = False) -> str:
    listing = json.dumps(
        [{"name": f.name, "description": f.description, "parameters": f.parameters} for f in functions],
        ensure_ascii=False,
    )
    how = 'To call a function, answer only with JSON: {"name": <function name>, "arguments": {...}}.'
    if parallel:
        how += " To call several functions at once, write one such JSON object per line."
    if not call_required:
        how += " If no function is needed, answer the user normally."
    return f"You can call these functions: {listing}\n{how}"


def parse_tool_call(text: str, functions: Sequence[Function]) -> ToolCall | None:
    """The call in ``text``, or None if it is a plain answer. A malformed call is an EngineError."""
    if not text.lstrip().startswith("{"):
        return None
    value = parse_json(text, call_schema(functions))
    return ToolCall(str(value["name"]), value["arguments"])


def parse_tool_calls(
    text: str, functions: Sequence[Function], answer_schema: Mapping[str, Any] | None = None
) -> list[ToolCall]:
    """Every call in ``text`` (one JSON object per line); [] for a plain answer (or one matching
    ``answer_schema``). A malformed call is an EngineError."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return []
    decoder = json.JSONDecoder()
    values, at = [], 0
    try:
        while at < len(stripped):
            value, at = decoder.raw_decode(stripped, at)
            values.append(value)
            while at < len(stripped) and stripped[at].isspace():
                at += 1
    except json.JSONDecodeError:
        parse_json(stripped, call_schema(functions))  # raises the clear error
        return []
    schema = call_schema(functions)
    if answer_schema is not None and len(values) == 1 and validation_errors(values[0], schema):
        parse_json(stripped, answer_schema)  # an answer, not a call: it must match its own schema
        return []
    calls = []
    for value in values:
        parse_json(json.dumps(value), schema)
        calls.append(ToolCall(str(value["name"]), value["arguments"]))
    return calls


def tool_history(messages: Sequence[Mapping[str, Any]]) -> Iterator[dict[str, str]]:
    """OpenAI messages with tool calls and tool results as plain turns any chat template can render."""
    names: dict[str, str] = {}  # tool_call_id -> function name, so a result can say whose it is
    for m in messages:
        role = str(m.get("role", "user"))
        content = m.get("content") or ""
        if role == "assistant" and m.get("tool_calls"):
            try:
                calls = [
                    (c.get("id"), c["function"]["name"], c["function"].get("arguments", "{}"))
                    for c in m["tool_calls"]
                ]
            except (KeyError, TypeError, AttributeError):
                raise ConfigError(
                    "An assistant message has a malformed tool_calls entry.",
                    'Each entry needs {"id": ..., "function": {"name": ..., "arguments": "{...}"}}.',
                ) from None
            names.update({str(cid): str(name) for cid, name, _ in calls if cid})
            text = "\n".join(
                json.dumps({"name": name, "arguments": _loads_or_raw(args)}, ensure_ascii=False)
                for _, name, args in calls
            )
            yield {"role": "assistant", "content": f"{content}\n{text}".strip()}
        elif role in ("tool", "function"):
            name = m.get("name") or names.get(str(m.get("tool_call_id"))) or "the function"
            yield {"role": "user", "content": f"Result of {name}: {content}"}
        else:
            yield {"role": role, "content": str(content)}


def _loads_or_raw(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text
