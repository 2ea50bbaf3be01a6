"""Seeded fuzz of JSON-schema shapes against the real engine: no schema may crash it.

Every schema goes the app's own way (``structured.json_params``: the same path as the API's
response_format, the app's JSON mode and presets) and then into the bundled model with a few tokens to
sample. A schema is either refused with a ConfigError (the API's 400) or generated from; a crash of the
engine process is counted, and the count must be 0. Bounded by time (about a minute) so it stays fast;
the figures are printed (run with -s to see them).
"""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from models import structured
from models.engine import Engine
from models.errors import ConfigError
from models.events import EngineCrashed, ErrorEvent, Finished, LoadConfig, SamplingParams

SEED = 16
BUDGET_SECONDS = 90.0
MAX_SCHEMAS = 600

BOUNDS = [0, 1, 3, 20, 999, 1000, 1001, 1999, 2000, 2001, 5000, 100_000, 10**7]
PATTERNS = [
    "^a{1,100000}$",
    "^[a-z]{2,3000}$",
    "^(ab|cd){0,50}$",
    r"^\d{3}-\d{4}$",
    "^((a{1,30}){1,30}){1,30}$",
    "^(?:x|y)+$",
    "^a{5000}$",
    "^[A-Z][a-z]{1,11}$",
    "^.{0,2000}$",
    "^(a|b|c|d|e|f|g|h)*z{2,999}$",
    "^[",
    "(?=a)b",
    r"^\p{L}+$",
    "a{3,2}",
    "^(((((((((((a)))))))))))$",
]
FORMATS = ["date", "time", "date-time", "uuid", "email", "uri"]


def _schema(rng: random.Random, depth: int, defs: list[str]) -> dict[str, Any]:
    kinds = ["string", "integer", "number", "boolean", "null", "enum", "const"]
    if depth > 0:
        kinds += ["object", "object", "array", "array", "anyOf", "ref"] * 2
    kind = rng.choice(kinds)
    if kind == "string":
        s: dict[str, Any] = {"type": "string"}
        roll = rng.random()
        if roll < 0.35:
            s["maxLength"] = rng.choice(BOUNDS)
        if roll < 0.2 or rng.random() < 0.15:
            s["minLength"] = rng.choice(BOUNDS[:8])
        if rng.random() < 0.3:
            s["pattern"] = rng.choice(PATTERNS)
        if rng.random() < 0.1:
            s["format"] = rng.choice(FORMATS)
        return s
    if kind in ("integer", "number"):
        s = {"type": kind}
        if rng.random() < 0.5:
            s["minimum"] = rng.choice([0, -5, 10**9, -(10**15), 1e30, 0.5])
        if rng.random() < 0.5:
            s["maximum"] = rng.choice([10, 10**12, 1e300, 3])
        if rng.random() < 0.1:
            s["exclusiveMinimum"] = 1
        return s
    if kind in ("boolean", "null"):
        return {"type": kind}
    if kind == "enum":
        size = rng.choice([1, 3, 50, 500])
        return {"enum": [rng.choice([f"v{i}", i, None, True, {"k": i}, [i]]) for i in range(size)]}
    if kind == "const":
        return {"const": rng.choice(["x", 5, {"a": [1, 2]}, None])}
    if kind == "object":
        names = [f"p{i}" for i in range(rng.choice([0, 1, 3, 8, 30]))]
        s = {"type": "object", "properties": {n: _schema(rng, depth - 1, defs) for n in names}}
        if names and rng.random() < 0.7:
            s["required"] = rng.sample(names, rng.randint(1, len(names)))
        if rng.random() < 0.5:
            s["additionalProperties"] = rng.choice([False, True, {"type": "integer"}])
        return s
    if kind == "array":
        s = {"type": "array", "items": _schema(rng, depth - 1, defs)}
        if rng.random() < 0.5:
            s["maxItems"] = rng.choice(BOUNDS)
        if rng.random() < 0.3:
            s["minItems"] = rng.choice(BOUNDS[:7])
        if rng.random() < 0.2:
            s["prefixItems"] = [_schema(rng, depth - 1, defs) for _ in range(rng.randint(1, 3))]
        return s
    if kind == "anyOf":
        return {
            rng.choice(["anyOf", "oneOf", "allOf"]): [
                _schema(rng, depth - 1, defs) for _ in range(rng.randint(1, 4))
            ]
        }
    name = f"d{len(defs)}"
    defs.append(name)
    return {"$ref": f"#/$defs/{rng.choice(defs)}"}


def _random_schema(rng: random.Random) -> dict[str, Any]:
    shape = rng.random()
    if shape < 0.05:  # deep nesting: refused with a clear error, never a crash
        s: dict[str, Any] = {"type": "string"}
        for _ in range(rng.choice([30, 45, 200])):
            s = {"type": "object", "properties": {"x": s}, "required": ["x"]}
        return s
    defs: list[str] = []
    root = _schema(rng, rng.randint(1, 5), defs)
    if defs:
        # Definitions, some recursive (a $ref back to the root or to themselves).
        root = {
            **root,
            "$defs": {
                name: rng.choice(
                    [
                        _schema(rng, 2, []),
                        {"$ref": "#"},
                        {"$ref": f"#/$defs/{name}"},
                        {"type": "array", "items": {"$ref": f"#/$defs/{name}"}},
                    ]
                )
                for name in defs
            },
        }
    return root


@pytest.fixture(scope="module")
def engine(bundled_model):
    config = LoadConfig(model_path=str(bundled_model), n_ctx=512, n_threads=1)
    holder = {"engine": Engine.start(config), "config": config}
    yield holder
    holder["engine"].close()


def test_no_schema_crashes_the_engine(engine) -> None:
    rng = random.Random(SEED)
    tried = refused = by_llama = generated = failed = crashes = 0
    crashed: list[str] = []
    started = time.monotonic()
    params = SamplingParams(temperature=0.8, max_tokens=6, seed=None)
    while tried < MAX_SCHEMAS and time.monotonic() - started < BUDGET_SECONDS:
        schema = _random_schema(rng)
        tried += 1
        try:
            constrained = structured.json_params(params, schema)
        except ConfigError:
            refused += 1
            continue
        outcome = None
        for event in engine["engine"].generate("{", constrained):
            if isinstance(event, (Finished, ErrorEvent, EngineCrashed)):
                outcome = event
        if isinstance(outcome, ErrorEvent) and outcome.kind in ("ConfigError", "ContextLengthError"):
            by_llama += 1  # llama.cpp's own parser said no: the API answers 400
        elif isinstance(outcome, Finished):
            generated += 1
        elif isinstance(outcome, ErrorEvent):
            failed += 1
            crashed.append(f"error {outcome.kind}: {outcome.message[:200]} <- {str(schema)[:300]}")
        if isinstance(outcome, EngineCrashed) or not engine["engine"].alive:
            crashes += 1
            crashed.append(f"crash <- {str(schema)[:300]}")
            engine["engine"].close()
            engine["engine"] = Engine.start(engine["config"])
    print(
        f"\nschema fuzz (seed {SEED}): {tried} schemas in {time.monotonic() - started:.0f} s; "
        f"{generated} generated, {refused} refused before the engine and {by_llama} by llama.cpp's parser "
        f"(each a clear error), {failed} other errors, {crashes} crashes"
    )
    assert crashes == 0 and failed == 0, "\n".join(crashed[:10])
    assert tried >= 50 and generated >= tried // 4
