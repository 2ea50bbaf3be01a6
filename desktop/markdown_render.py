"""Markdown → the HTML subset QTextBrowser understands, with a copy link above every code block.

Raw HTML in a model's answer is shown as text, never interpreted. Code blocks are returned next to the
HTML so that the ``copy:N`` link can put block N on the clipboard.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

CODE_BG = "#f3f1ec"
CODE_HEAD_BG = "#e6e2d8"


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt  # lazy: not needed to show the window

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    return md


def render_markdown(text: str, copy_label: str = "Copy") -> tuple[str, list[str]]:
    """Return (html, code_blocks) for ``text``; an unfinished code fence (still streaming) is fine."""
    md = _parser()
    tokens = md.parse(text)
    blocks: list[str] = []
    parts: list[str] = []
    start = 0
    # Render runs of ordinary tokens with markdown-it, code blocks ourselves.
    for i, tok in enumerate(tokens):
        if tok.type in ("fence", "code_block"):
            if start < i:
                parts.append(md.renderer.render(tokens[start:i], md.options, {}))
            parts.append(_code_block(tok.content, tok.info.strip().split(" ")[0], len(blocks), copy_label))
            blocks.append(tok.content.rstrip("\n"))
            start = i + 1
    if start < len(tokens):
        parts.append(md.renderer.render(tokens[start:], md.options, {}))
    return "".join(parts), blocks


def _code_block(code: str, language: str, index: int, copy_label: str) -> str:
    lang = html.escape(language) if language else "&nbsp;"
    body = html.escape(code.rstrip("\n"))
    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-top:4px; margin-bottom:4px;">'
        f'<tr><td bgcolor="{CODE_HEAD_BG}"><span style="color:#5a554b; font-size:small;">{lang}</span></td>'
        f'<td bgcolor="{CODE_HEAD_BG}" align="right"><a href="copy:{index}" style="text-decoration:none;">'
        f"{html.escape(copy_label)}</a></td></tr>"
        f'<tr><td colspan="2" bgcolor="{CODE_BG}"><pre style="margin:0;">{body}</pre></td></tr></table>'
    )


def warm_up() -> None:
    """Import and build the parser ahead of the first message (it costs tens of milliseconds)."""
    render_markdown("*warm* `up`\n\n```\nx\n```")
