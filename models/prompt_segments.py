"""Which parts of a rendered chat prompt are the template's own text, and which are the messages'.

Only the template's text may contain special tokens (``<|im_start|>``, ``</s>``); what users and
documents wrote must be tokenized as plain text. The template is rendered once more with each
message's content replaced by a marker; where the markers land are the contents. If the template
changes the content (trims it, say) so that the marked render does not give back the real one, the
contents are found by searching the real render in order instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

Segments = list[tuple[str, bool]]  # (text, True when it is the template's own text)

# Private-use characters: never produced by a template, vanishingly rare in real text (and a
# coincidence only costs the fallback, never a wrong split: the result is checked).
_MARK = re.compile("\ue000(\\d+)\ue001")


def template_segments(
    render: Callable[[Sequence[dict[str, str]]], str], messages: Sequence[dict[str, str]]
) -> Segments:
    """Split ``render(messages)`` into template text and message contents."""
    text = render(messages)
    contents = [str(m.get("content") or "") for m in messages]
    if not any(contents):
        return [(text, True)]
    marked = [dict(m, content=f"\ue000{i}\ue001") for i, m in enumerate(messages)]
    try:
        skeleton = render(marked)
    except Exception:  # a template that inspects the content may fail on the marker
        skeleton = None
    if skeleton is not None:
        segments: Segments = []
        pieces = _MARK.split(skeleton)
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                segments.append((piece, True))
            else:
                number = int(piece)
                segments.append((contents[number] if number < len(contents) else piece, False))
        if "".join(t for t, _ in segments) == text:
            return [(t, k) for t, k in segments if t]
    return _search_segments(text, contents)


def _search_segments(text: str, contents: Sequence[str]) -> Segments:
    segments: Segments = []
    position = 0
    for content in contents:
        for candidate in (content, content.strip()):
            if not candidate:
                continue
            index = text.find(candidate, position)
            if index != -1:
                segments += [(text[position:index], True), (candidate, False)]
                position = index + len(candidate)
                break
        else:
            if content.strip():
                log.warning(
                    "a message's text was not found in the rendered prompt; it is read as template text"
                )
    segments.append((text[position:], True))
    return [(t, k) for t, k in segments if t]
