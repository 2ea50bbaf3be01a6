"""Screenshots of a documents answer with its sources and versions (ja, en; 1440x900 and 900x600),
from a conversation as the app stores it (no model needed). Run under Xvfb for real-X rendering:

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest \
        tests/desktop/test_chat_screenshots.py
"""

from __future__ import annotations

from models.conversations import ConversationStore
from models.turn import Source


def _conversation() -> int:
    with ConversationStore() as store:
        conv = store.new_conversation("緑茶の淹れ方 / Green tea")
        store.set_collections(conv.id, ["notes"])
        question = store.add_message(conv.id, "user", "緑茶は何度のお湯で淹れますか？")
        sources = [
            Source(
                1,
                "/home/yuki/notes/tea.md",
                "Green tea is brewed at 70 degrees Celsius for two minutes. Boiling water makes it bitter.",
                None,
                "Brewing green tea",
                "notes",
                1,
                0.03,
            ),
            Source(
                2,
                "/home/yuki/notes/お茶の基本.pdf",
                "緑茶は70〜80度のお湯で淹れると、渋みが出にくくなります。",
                3,
                None,
                "notes",
                2,
                0.02,
            ),
        ]
        first = store.add_message(conv.id, "assistant", "", parent_id=question.id)
        store.update_message(
            first.id,
            "70度くらいのお湯で2分ほど淹れます [1]。",
            tokens_per_second=31.4,
            finish_reason="stop",
            sources=[
                dict(s.to_json(), cited=s.number == 1, left_out=1 if s.number == 1 else 0) for s in sources
            ],
        )
        second = store.add_message(conv.id, "assistant", "", parent_id=question.id)
        store.update_message(
            second.id,
            "70〜80度のお湯がよいです [2]。沸騰したお湯だと苦くなります [1]。",
            tokens_per_second=29.8,
            finish_reason="stop",
            sources=[dict(s.to_json(), cited=True, left_out=1 if s.number == 1 else 0) for s in sources],
        )
        return conv.id


def test_documents_answer_with_sources_and_versions(make_window, qtbot, artifacts_dir) -> None:
    from desktop import i18n

    conv = _conversation()
    window = make_window(start=False)
    window.controller.open_conversation(conv)
    answer = window.chat_view.messages[-1]
    assert answer.version_label.text() == "2/2" and len(answer.sources_panel.sources) == 2
    answer.sources_panel.show_passage(2)
    for language in ("ja", "en"):
        i18n.apply_language(language)
        for width, height in ((1440, 900), (900, 600)):
            window.resize(width, height)
            qtbot.wait(1000)  # text views fit their height to the new width over a few layout passes
            window.grab().save(str(artifacts_dir / f"chat_sources_versions_{language}_{width}x{height}.png"))
        summary = window.chat_view.messages[-1].sources_panel.summary.text()
        assert ("出典" in summary) == (language == "ja")
    # The first version: ‹ 1/2 ›, its own text and sources.
    window.chat_view.messages[-1].previous_button.click()
    first = window.chat_view.messages[-1]
    assert first.version_label.text() == "1/2" and first.content.startswith("70度くらい")
    for language in ("ja", "en"):
        i18n.apply_language(language)
        for width, height in ((1440, 900), (900, 600)):
            window.resize(width, height)
            qtbot.wait(1000)
            window.grab().save(str(artifacts_dir / f"chat_version_1of2_{language}_{width}x{height}.png"))


SEA_POEM = {
    "en": "The sea is wide and the sea is deep, " * 40,
    # The fake engine streams a piece per space: a space after each sentence gives Japanese its tokens.
    "ja": "海は広く、海は深い。 波はゆっくりと寄せては返す。 灯台の光が遠くまで届く。 " * 30,
}
ASK = {
    "en": ("Write a poem about the sea.", "Say hello."),
    "ja": ("海についての詩を書いてください。", "こんにちは、と言ってください。"),
}


def test_queue_while_another_conversation_streams(fake_window, fake_engine, qtbot, artifacts_dir) -> None:
    """Two conversations: A's answer streams, B's question waits in the queue. The list marks A as
    writing and B as waiting; B's chat and the status bar say it waits, A's chat shows the answer
    growing and that one more waits."""
    from desktop import i18n

    window = fake_window
    c = window.controller
    fake_engine.token_delay = 0.25  # slow enough to outlast the screenshots
    for language in ("ja", "en"):
        i18n.apply_language(language)
        fake_engine.enqueue(SEA_POEM[language], "Hello!")
        window.new_chat()
        assert c.send(ASK[language][0])
        a = c.conversation_id
        qtbot.waitUntil(lambda: len(c.running.text if c.running else "") > 30, timeout=30_000)
        window.new_chat()
        assert c.send(ASK[language][1])
        b = c.conversation_id
        assert c.activity() == {a: "generating", b: "queued"}
        for width, height in ((1440, 900), (900, 600)):
            window.resize(width, height)
            qtbot.wait(800)
            window.grab().save(str(artifacts_dir / f"chat_queue_waiting_{language}_{width}x{height}.png"))
        waiting = window.chat_view.stream
        assert waiting is not None and waiting.waiting
        assert waiting.body.toPlainText().startswith("順番待ち" if language == "ja" else "In the queue")
        assert window.status_label.text().startswith("順番待ち" if language == "ja" else "In the queue")
        c.open_conversation(a)  # the streaming one, with one more waiting
        for width, height in ((1440, 900), (900, 600)):
            window.resize(width, height)
            qtbot.wait(800)
            window.grab().save(str(artifacts_dir / f"chat_queue_streaming_{language}_{width}x{height}.png"))
        status = window.status_label.text()
        assert ("1 件待機中" in status or "待" in status) if language == "ja" else "1 waiting" in status
        c.stop()  # A stops (kept), then B runs and finishes
        qtbot.waitUntil(lambda: c.activity() == {}, timeout=30_000)
