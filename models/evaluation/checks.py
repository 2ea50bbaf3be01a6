"""Reference checks on an answer: exact, contains, regex, json_schema.

``exact`` compares after trimming surrounding space; ``contains`` looks for the text anywhere; both
take ``ignore_case``. ``regex`` is Python's ``re.search``. ``json_schema`` takes the first JSON object
or array in the answer (models like to wrap it in prose or a code fence) and validates it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError

CHECK_KINDS = ("exact", "contains", "regex", "json_schema")


@dataclass(frozen=True)
class Check:
    kind: str
    value: Any
    turn: int = 1  # 1-based turn whose answer is checked
    ignore_case: bool = False

    def validate(self, where: str) -> None:
        if self.kind in ("exact", "contains") and not isinstance(self.value, str):
            raise ConfigError(
                f"{where}: a '{self.kind}' check needs text as its value.", "Put the expected text in value."
            )
        if self.kind == "regex":
            try:
                re.compile(str(self.value))
            except re.error as error:
                raise ConfigError(
                    f"{where}: the regular expression does not compile ({error}).", "Fix the pattern."
                ) from None
        if self.kind == "json_schema":
            from ..structured import check_schema

            if not isinstance(self.value, dict):
                raise ConfigError(
                    f"{where}: a json_schema check needs a JSON schema object.", "Put the schema in value."
                )
            check_schema(self.value)

    def describe(self) -> str:
        if self.kind == "json_schema":
            return "JSON matching the schema"
        return f"{self.kind} {self.value!r}" + (" (any case)" if self.ignore_case else "")


@dataclass(frozen=True)
class CheckResult:
    check: Check
    passed: bool
    detail: str = ""


def run_check(check: Check, answer: str) -> CheckResult:
    """Whether ``answer`` passes ``check``, with a short reason when it does not."""
    if check.kind == "exact":
        a, b = answer.strip(), str(check.value).strip()
        ok = a.casefold() == b.casefold() if check.ignore_case else a == b
        return CheckResult(check, ok, "" if ok else "the answer is not exactly the expected text")
    if check.kind == "contains":
        a, b = (
            (answer.casefold(), str(check.value).casefold())
            if check.ignore_case
            else (answer, str(check.value))
        )
        ok = b in a
        return CheckResult(check, ok, "" if ok else "the expected text is not in the answer")
    if check.kind == "regex":
        flags = re.IGNORECASE if check.ignore_case else 0
        ok = re.search(str(check.value), answer, flags) is not None
        return CheckResult(check, ok, "" if ok else "the pattern does not match")
    value = first_json(answer)
    if value is None:
        return CheckResult(check, False, "no JSON in the answer")
    from ..structured import validation_errors

    errors = validation_errors(value, check.value)
    return CheckResult(check, not errors, "; ".join(errors[:2]))


def first_json(text: str) -> Any:
    """The first JSON object or array that parses in ``text``, or None."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"[\[{]", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        return value
    return None
