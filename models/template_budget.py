"""A time and size budget for rendering a model's own Jinja chat template (issue 20).

The sandbox stops a template from reaching Python internals, but not from spending: nested
``range(100000)`` loops, ``lipsum(10**7)`` or ``'x' * 10**9`` hang a chat or take gigabytes. Here
every render runs under three guards, all in the calling thread (no process, no thread to leak):

* **time**: a trace function counts executed lines of Python (the template's own code and the Jinja
  runtime it calls) and raises once the deadline has passed, so loops of any shape stop;
* **size before allocating**: operators (``*``, ``**``, ``+``, ``%``, ``~``), calls and filters that
  could build a huge value have their result size computed from their operands first and are refused
  over the limit (a single C-level ``'x' * 10**9`` cannot be interrupted, so it must not start);
* **output**: the rendered text is collected chunk by chunk and refused past the limit.

A template over budget raises ``TemplateBudgetError``; the engine then falls back to the built-in
format for the model's family and says so.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import ChatTemplateError

# Real templates render in well under 50 ms (bench: every built-in and bundled one); 2 s is a wide margin
# on a loaded 2-core laptop, and short enough that a hostile template is noticed, not waited for.
DEFAULT_SECONDS = 2.0
# Output and any intermediate value: 4 MB of text, or 8 × the conversation when that is larger
# (a documents turn can carry long passages).
MIN_CHARS = 4 * 1024 * 1024
INPUT_FACTOR = 8
MAX_INT_ARG = 100_000  # the sandbox's own range() limit: no template needs a larger count or width
MAX_INT_BITS = 100_000
_CHECK_EVERY = 64  # trace events between two looks at the clock
_BIG_WIDTH = re.compile(r"\d{6,}")  # a format width of a million or more ("%1000000s", "{:>9999999}")


class TemplateBudgetError(ChatTemplateError):
    """A chat template took too long or built too much; the caller may fall back to a built-in format."""


@dataclass(frozen=True)
class RenderBudget:
    seconds: float = DEFAULT_SECONDS
    max_chars: int = MIN_CHARS

    @classmethod
    def for_messages(cls, messages: Any, seconds: float = DEFAULT_SECONDS) -> RenderBudget:
        size = sum(len(str(v)) for m in messages for v in dict(m).values())
        return cls(seconds, max(MIN_CHARS, INPUT_FACTOR * size))


_limit: ContextVar[int] = ContextVar("template_char_limit", default=MIN_CHARS)


def _over(what: str) -> TemplateBudgetError:
    return TemplateBudgetError(
        f"The model's chat template tried to build {what}, more than a chat prompt ever needs.",
        "Tomoshibi used the built-in chat format instead; choose one in the model settings to keep it.",
    )


def _size(value: Any) -> int | None:
    """Characters ``value`` would print as, roughly (nested lists count every item), capped just over
    the limit so that measuring a huge value stays cheap; None for a scalar."""
    if isinstance(value, str | bytes):
        return len(value)
    if not isinstance(value, list | tuple | dict):
        return None
    limit = _limit.get()
    total, stack = 0, [value]
    while stack and total <= limit:
        v = stack.pop()
        if isinstance(v, str | bytes):
            total += len(v)
        elif isinstance(v, list | tuple):
            total += len(v) + 1
            stack.extend(v[: limit - total + 1] if len(v) > limit - total else v)
        elif isinstance(v, dict):
            total += len(v) + 1
            stack.extend(list(v.keys()) + list(v.values()))
        else:
            total += 1
    return total


def _check_ints(values: Any) -> None:
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_INT_ARG:
            raise _over(f"something {v:,} long")


def _check_size(n: int, what: str = "a text") -> None:
    if n > _limit.get():
        raise _over(f"{what} of {n:,} characters")


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` before it runs when its result would be over the limit."""
    ls, rs = _size(left), _size(right)
    if operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            if abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise _over("a number too large to print")
        elif ls is not None and isinstance(right, int):
            _check_size(ls * max(0, right))
        elif rs is not None and isinstance(left, int):
            _check_size(rs * max(0, left))
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            if max(1, abs(left).bit_length()) * right > MAX_INT_BITS:
                raise _over("a number too large to print")
    elif operator == "+":
        if ls is not None and rs is not None:
            _check_size(ls + rs)
    elif operator == "%" and isinstance(left, str):
        if _BIG_WIDTH.search(left):
            raise _over("a text padded to a million characters or more")
        _check_ints(right if isinstance(right, tuple) else (right,))


def check_call(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse calls whose result size is set by an argument (widths, counts, replacements)."""
    target = getattr(obj, "__wrapped__", obj)  # the sandbox wraps str.format
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if isinstance(owner, str | list | tuple):
        _check_ints(args)  # 'x'.center(10**9), .ljust, .zfill ...
        _check_ints(kwargs.values())
    if isinstance(owner, str):
        if name in ("format", "format_map") and _BIG_WIDTH.search(owner):
            raise _over("a text padded to a million characters or more")
        if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            _check_size(len(owner) + (owner.count(args[0]) + (not args[0])) * len(args[1]))
        if name == "expandtabs" and args and isinstance(args[0], int):
            _check_size(len(owner) + owner.count("\t") * args[0])
    for a in (*args, *kwargs.values()):
        n = _size(a)
        if n is not None:
            _check_size(n)


# Filters whose integer arguments set the size of their result.
_SIZED_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "tojson"})


def _guard_filter(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    skip = 1 if hasattr(fn, "jinja_pass_arg") else 0  # the environment or context Jinja passes first

    def guarded(*args: Any, **kwargs: Any) -> Any:
        plain = list(args[skip:])
        if name in _SIZED_FILTERS:
            _check_ints(plain[1:])
            _check_ints(kwargs.values())
        if plain and isinstance(plain[0], str):
            value = plain[0]
            if (
                name == "replace"
                and len(plain) >= 3
                and isinstance(plain[1], str)
                and isinstance(plain[2], str)
            ):
                _check_size(len(value) + (value.count(plain[1]) + (not plain[1])) * len(plain[2]))
            elif name == "indent":
                width = plain[1] if len(plain) > 1 else kwargs.get("width", 4)
                pad = len(width) if isinstance(width, str) else int(width) if isinstance(width, int) else 4
                _check_size(len(value) + (value.count("\n") + 1) * pad)
            elif name == "format" and _BIG_WIDTH.search(value):
                raise _over("a text padded to a million characters or more")
        if plain:
            n = _size(plain[0])
            if n is not None:
                _check_size(n)
        if name == "tojson" and isinstance(kwargs.get("indent", plain[1] if len(plain) > 1 else None), int):
            indent = kwargs.get("indent", plain[1] if len(plain) > 1 else 0)
            if indent > 16:
                raise _over(f"JSON indented by {indent}")
        result = fn(*args, **kwargs)
        n = _size(result)
        if n is not None:
            _check_size(n)
        return result

    guarded.__dict__.update(getattr(fn, "__dict__", {}))  # keeps jinja's pass_context/pass_environment marks
    guarded.__name__ = getattr(fn, "__name__", name)
    return guarded


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
    from jinja2.utils import generate_lorem_ipsum

    if n > 20 or max > 200:
        raise _over(f"{n} paragraphs of filler text")
    return str(generate_lorem_ipsum(n, html, min, max))


class _BudgetCodeGenerator(CodeGenerator):
    """``a ~ b`` (string concatenation) goes through the environment, where its size is checked."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.budget_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BudgetedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _BudgetCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(finalize=self._finalize, **options)
        self.filters = {name: _guard_filter(name, fn) for name, fn in self.filters.items()}
        self.globals["lipsum"] = _lipsum

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    @staticmethod
    def _finalize(value: Any) -> Any:
        # Every {{ value }} before it becomes text: printing a list of lists is one C call.
        n = _size(value)
        if n is not None:
            _check_size(n)
        return value

    def budget_concat(self, parts: tuple[Any, ...]) -> str:
        _check_size(sum(_size(p) or 0 for p in parts))
        texts = [str(p) for p in parts]
        _check_size(sum(len(t) for t in texts))
        return "".join(texts)


class _Deadline:
    """A trace function that raises TemplateBudgetError once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.end = time.perf_counter() + seconds
        self.seconds = seconds
        self.events = 0

    def check(self) -> None:
        if time.perf_counter() > self.end:
            raise TemplateBudgetError(
                f"The model's chat template did not finish within {self.seconds:g} s.",
                "Tomoshibi used the built-in chat format instead; choose one in the model settings to keep it.",
            )

    def __call__(self, frame: Any, event: str, arg: Any) -> Any:
        self.events += 1
        if self.events % _CHECK_EVERY == 0:
            self.check()
        return self


def render_within(template: Any, budget: RenderBudget, **context: Any) -> str:
    """Render ``template`` (compiled in a BudgetedEnvironment) under ``budget``."""
    token = _limit.set(budget.max_chars)
    deadline = _Deadline(budget.seconds)
    previous = sys.gettrace()
    sys.settrace(deadline)
    try:
        out: list[str] = []
        total = 0
        chunks: Iterator[str] = template.generate(**context)
        for chunk in chunks:
            total += len(chunk)
            if total > budget.max_chars:
                raise _over(f"a prompt of more than {budget.max_chars:,} characters")
            out.append(chunk)
            deadline.check()
        return "".join(out)
    finally:
        sys.settrace(previous)
        _limit.reset(token)
