"""Markdown → the HTML subset QTextBrowser understands, with a copy link above every code block.

Raw HTML in a model's answer is shown as text, never interpreted. Code blocks are returned next to the
HTML so that the ``copy:N`` link can put block N on the clipboard. Code in a named language is
highlighted with Pygments (inline colours, which QTextBrowser understands), in the theme's colours.
"""

from __future__ import annotations

import html
from functools import lru_cache
from typing import Any

# Pygments styles that read well on the theme's code background (theme.Colors.code_bg).
PYGMENTS_STYLES = {"light": "default", "dark": "github-dark"}


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
    from .theme import colors

    c = colors()
    lang = html.escape(language) if language else "&nbsp;"
    body = highlight(code.rstrip("\n"), language, c.name)
    return (
        f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-top:4px; margin-bottom:4px;">'
        f'<tr><td bgcolor="{c.code_head}"><span style="color:{c.muted}; font-size:small;">{lang}</span></td>'
        f'<td bgcolor="{c.code_head}" align="right"><a href="copy:{index}" style="text-decoration:none;">'
        f"{html.escape(copy_label)}</a></td></tr>"
        f'<tr><td colspan="2" bgcolor="{c.code_bg}"><pre style="margin:0;">{body}</pre></td></tr></table>'
    )


def highlight(code: str, language: str, theme_name: str = "light") -> str:
    """``code`` as HTML with inline colours when Pygments knows ``language``; else escaped text."""
    formatter = _formatter(theme_name)
    lexer = _lexer(language.lower()) if language and formatter is not None else None
    if lexer is None or formatter is None:
        return html.escape(code)
    from pygments import highlight as pygments_highlight

    return pygments_highlight(code, lexer, formatter).rstrip("\n")


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # Pygments missing: plain code blocks
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=2)
def _formatter(theme_name: str) -> Any:
    try:
        from pygments.formatters import HtmlFormatter
        from pygments.styles import get_style_by_name
        from pygments.util import ClassNotFound
    except ImportError:
        return None
    try:
        style = get_style_by_name(PYGMENTS_STYLES.get(theme_name, "default"))
    except ClassNotFound:
        style = get_style_by_name("default")
    # nowrap: just the coloured spans, inside our own <pre>; noclasses: inline styles.
    return HtmlFormatter(style=style, noclasses=True, nowrap=True)


def warm_up() -> None:
    """Import and build the parser ahead of the first message (it costs tens of milliseconds)."""
    render_markdown("*warm* `up`\n\n```python\nx = 1\n```")
