"""Reading a request body safely: limits that keep one client from hurting the others.

``json.loads`` alone accepts what later code cannot handle: nesting deep enough to exhaust Python's
recursion (a 500 deep inside the endpoint), lone UTF-16 surrogates (``"\\ud800"``, which cannot be
encoded back to UTF-8), and numbers of thousands of digits. Everything here is refused with a 400
before any endpoint sees the body.
"""

from __future__ import annotations

import json
from typing import Any

from .protocol import ApiError, bad_request

MAX_DEPTH = 100  # JSON nesting; a JSON schema inside a request stays well under this
MAX_INT_DIGITS = 20  # a token id, a seed or max_tokens never needs more


def _too_big_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise bad_request(f"A number in the request has more than {MAX_INT_DIGITS} digits.")
    return int(text)


def parse_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object, or ApiError 400 naming what is wrong."""
    try:
        text = raw.decode("utf-8")
        body = json.loads(text, parse_int=_too_big_int)
    except UnicodeDecodeError:
        raise bad_request("The request body is not valid UTF-8.") from None
    except json.JSONDecodeError as error:
        raise bad_request(
            f"The request body is not valid JSON: {error.msg} at character {error.pos}."
        ) from None
    except RecursionError:
        raise _too_deep() from None
    except ValueError as error:  # Python's own limit on int digits
        raise bad_request(f"A number in the request is too large: {error}.") from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    check_tree(body)
    return body


def _too_deep() -> ApiError:
    return bad_request(f"The request is nested more than {MAX_DEPTH} levels deep.", code="too_deep")


def check_tree(value: Any) -> None:
    """Depth limit and well-formed text everywhere (iterative: the check itself cannot overflow)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, str):
            _check_text(node)
        elif isinstance(node, (dict, list)):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for key, child in items:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((child, depth + 1))


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise bad_request(
            "The request contains a lone UTF-16 surrogate (such as \\ud800), which is not text.",
            code="invalid_unicode",
        ) from None
