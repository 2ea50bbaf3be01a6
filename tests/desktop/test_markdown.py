"""Markdown rendering of answers: code blocks with a working copy button, raw HTML shown as text."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication

from desktop.chat_view import ChatView
from desktop.markdown_render import render_markdown

ANSWER = (
    "Use **slicing**:\n\n```python\nitems[::-1]\n```\n\n<script>alert(1)</script>\n\n```\nsecond block\n```"
)


def test_render_markdown_blocks_and_escaping():
    html, blocks = render_markdown(ANSWER, "Copy")
    assert blocks == ["items[::-1]", "second block"]
    assert "<strong>slicing</strong>" in html
    assert 'href="copy:0"' in html and 'href="copy:1"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    # An unfinished fence while streaming still renders.
    html, blocks = render_markdown("```py\nprint(1", "Copy")
    assert blocks == ["print(1"]


def test_copy_button_copies_the_code(qtbot):
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    widget = view.add_message("assistant", ANSWER, 1)
    widget.body.anchorClicked.emit(QUrl("copy:1"))
    assert QGuiApplication.clipboard().text() == "second block"
    widget.copy_button.click()
    assert QGuiApplication.clipboard().text() == ANSWER


def test_streaming_renders_only_the_last_message(qtbot):
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    first = view.add_message("user", "hi", 1)
    renders = {"first": 0}
    original = first.render

    def counting_render():
        renders["first"] += 1
        original()

    first.render = counting_render
    stream = view.begin_stream(2)
    for piece in ["Hel", "lo ", "**wor", "ld**"]:
        view.append_stream(piece)
    qtbot.waitUntil(lambda: stream.content == "Hello **world**", timeout=2000)
    view.end_stream(None, 12.5, "stop")
    assert renders["first"] == 0
    assert "12.5" in stream.stats_label.text()
