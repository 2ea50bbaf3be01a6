"""A JSON schema rewritten so that llama.cpp can build its grammar, or a ConfigError naming the field.

llama-cpp-python's converter writes ``maxLength: N`` (and ``maxItems``, and ``{m,n}`` in a pattern) as
N nested optional groups; llama.cpp's grammar parser cannot take a few thousand of them (maxLength 2000
crashed the engine). Large upper bounds are therefore left out of the grammar: the answer is free to be
longer while it is generated, and ``structured.parse_json`` checks the original schema afterwards. A lower
bound cannot be relaxed that way (the grammar would let a too-short answer through), so a large one is
refused, as is a schema nested deeper than anyone writes by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError

BOUND_LIMIT = 1000  # the largest repetition bound written into a grammar
MAX_SCHEMA_DEPTH = 40  # nested schema objects (properties inside items inside anyOf ...)
PATTERN_BUDGET = 4000  # rough count of grammar symbols a pattern may expand to

_UPPER = ("maxLength", "maxItems")
_LOWER = ("minLength", "minItems")
_QUANTIFIER = re.compile(r"\{(\d+)(,(\d*))?\}")


def _fail(where: str, problem: str) -> ConfigError:
    where = where if len(where) <= 120 else "…" + where[-120:]
    return ConfigError(
        f"The JSON schema at {where or '(root)'}: {problem}",
        f"Use bounds of at most {BOUND_LIMIT} and fewer nested levels, or check the value after generation.",
    )


def grammar_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``schema`` whose bounds llama.cpp can compile (the original still validates the answer)."""
    return _rewrite(schema, "", 0)  # type: ignore[return-value]


def _rewrite(node: Any, where: str, depth: int) -> Any:
    if isinstance(node, list):
        return [_rewrite(item, f"{where}/{i}", depth) for i, item in enumerate(node)]
    if not isinstance(node, Mapping):
        return node
    if depth > MAX_SCHEMA_DEPTH:
        raise _fail(where, f"it is nested more than {MAX_SCHEMA_DEPTH} levels deep.")
    out: dict[str, Any] = {}
    for key, value in node.items():
        path = f"{where}/{key}"
        if key in ("enum", "const", "default", "examples"):
            out[key] = value  # values, not schemas
        elif key in _UPPER and isinstance(value, (int, float)) and value > BOUND_LIMIT:
            continue  # checked after generation only
        elif key in _LOWER and isinstance(value, (int, float)) and value > BOUND_LIMIT:
            raise _fail(path, f"{key} {value} is more than the {BOUND_LIMIT} a grammar can enforce.")
        elif key == "pattern" and isinstance(value, str):
            out[key] = grammar_pattern(value, path)
        elif key in ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas"):
            if isinstance(value, Mapping):
                out[key] = {name: _rewrite(sub, f"{path}/{name}", depth + 1) for name, sub in value.items()}
            else:
                out[key] = value
        else:
            out[key] = _rewrite(value, path, depth + 1)
    return out


def grammar_pattern(pattern: str, where: str = "pattern") -> str:
    """``pattern`` with ``{m,n}`` bounds above BOUND_LIMIT opened to ``{m,}``; ConfigError if too costly."""
    out: list[str] = []
    # Cost estimate: a stack of (cost of the sequence so far, cost of its last item) per open group.
    stack: list[list[int]] = [[0, 0]]
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            if not in_class:
                stack[-1][0] += 1
                stack[-1][1] = 1
            i += 2
            continue
        if in_class:
            in_class = char != "]"
            out.append(char)
            i += 1
            continue
        if char == "[":
            in_class = True
            stack[-1][0] += 1
            stack[-1][1] = 1
        elif char == "(":
            stack.append([0, 0])
        elif char == ")" and len(stack) > 1:
            inner = max(1, stack.pop()[0])
            stack[-1][0] += inner
            stack[-1][1] = inner
        elif char == "{" and (match := _QUANTIFIER.match(pattern, i)):
            low = int(match.group(1))
            high = low if match.group(2) is None else (int(match.group(3)) if match.group(3) else None)
            if low > BOUND_LIMIT:
                raise _fail(
                    where,
                    f"the repetition {match.group(0)} needs at least {low} copies; "
                    f"at most {BOUND_LIMIT} can be enforced.",
                )
            if high is not None and high > BOUND_LIMIT:
                high = None
                out.append(f"{{{low},}}")
            else:
                out.append(match.group(0))
            copies = max(low, high or 1, 1)
            stack[-1][0] += stack[-1][1] * (copies - 1)
            stack[-1][1] *= copies
            if stack[-1][0] > PATTERN_BUDGET:
                raise _fail(where, "the pattern's repetitions multiply to more than a grammar can hold.")
            i = match.end()
            continue
        elif char not in "|*+?^$":
            stack[-1][0] += 1
            stack[-1][1] = 1
        out.append(char)
        i += 1
    if sum(level[0] for level in stack) > PATTERN_BUDGET:
        raise _fail(where, "the pattern's repetitions multiply to more than a grammar can hold.")
    return "".join(out)
