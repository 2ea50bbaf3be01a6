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
