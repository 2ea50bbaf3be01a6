"""Answers that survive and versions instead of loss, with the real bundled model: switching
conversations mid-answer, a queue of two, Stop for the one on screen, regenerate and edit as
versions, closing mid-answer, and all of it found again by a new window on the same user folder."""

from __future__ import annotations

from models.conversations import ConversationStore

from .conftest import greedy


def _answers(store: ConversationStore, conv_id: int) -> list:
    return [m for m in store.messages(conv_id) if m.role == "assistant"]


def test_switching_keeps_answers_streaming_and_a_queue_of_two(ready_window, qtbot):
    window = ready_window
    c = window.controller
    tokens: list[str] = []
    window.host.worker.token.connect(tokens.append)
    finished: list = []
    c.reply_finished.connect(finished.append)

    greedy(window, max_tokens=24)
    c.send("Write a short poem about the sea.")
    a = c.conversation_id
    qtbot.waitUntil(lambda: len(tokens) >= 3, timeout=120_000)
    # Another conversation while A streams: A goes on; B's message waits in the queue.
    window.new_chat()
    greedy(window, max_tokens=8)
    assert c.send("Say hi.")
    b = c.conversation_id
    assert c.generating and c.running.conv_id == a and [j.conv_id for j in c.queue] == [b]
    assert window.chat_view.stream is not None and window.chat_view.stream.waiting
    assert c.activity() == {a: "generating", b: "queued"}
    titles = {window.conversations.list.item(i).text() for i in range(window.conversations.list.count())}
    assert any(t.startswith("● ") for t in titles) and any(t.startswith("◌ ") for t in titles)
    # A third one joins the queue, and Stop there drops only it.
    window.new_chat()
    greedy(window, max_tokens=8)
    assert c.send("Say bye.")
    third = c.conversation_id
    assert [j.conv_id for j in c.queue] == [b, third]
    assert window.stop_button.isVisible()
    window.stop_button.click()
    assert [j.conv_id for j in c.queue] == [b] and c.running.conv_id == a
    # Back to A while it streams: the text so far is there, and it continues.
    c.open_conversation(a)
    assert window.chat_view.stream is not None
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=240_000)
    assert finished[0].reason in ("stop", "length")  # A was never stopped by the switch
    with ConversationStore() as store:
        (answer_a,) = _answers(store, a)
        (answer_b,) = _answers(store, b)
        assert answer_a.finish_reason in ("stop", "length") and answer_a.content == finished[0].text
        assert answer_b.finish_reason in ("stop", "length") and answer_b.content
        assert [m.role for m in store.messages(third)] == ["user"]  # stopped while queued
    assert window.chat_view.messages[-1].content == finished[0].text
    assert c.activity() == {} and not window.stop_button.isVisible()


def test_regenerate_and_edit_keep_versions_across_a_restart(make_window, qtbot):
    window = make_window()
    qtbot.waitUntil(lambda: window.controller.model_ready, timeout=60_000)
    c = window.controller
    greedy(window, max_tokens=8)
    with qtbot.waitSignal(c.reply_finished, timeout=120_000):
        c.send("Say hello.")
    conv = c.conversation_id
    greedy(window, max_tokens=6)  # a different length: the second version differs
    answer = window.chat_view.messages[-1]
    first_text = answer.content
    with qtbot.waitSignal(c.reply_finished, timeout=120_000):
        answer.regenerate_button.click()
    answer = window.chat_view.messages[-1]
    assert answer.version_label.isVisible() and answer.version_label.text() == "2/2"
    second_text = answer.content
    answer.previous_button.click()  # ‹ : back to the first answer
    assert window.chat_view.messages[-1].content == first_text
    assert window.chat_view.messages[-1].version_label.text() == "1/2"
    window.chat_view.messages[-1].next_button.click()
    assert window.chat_view.messages[-1].content == second_text

    # Edit the question: a new branch; the old question and its answers stay reachable.
    user = window.chat_view.messages[0]
    user.set_hovered(True)  # actions show on hover (the last message shows them always)
    qtbot.waitUntil(user.edit_button.isVisible, timeout=2000)  # new widgets are shown by the event loop
    user.edit_button.click()
    user.editor.setPlainText("Say goodbye.")
    with qtbot.waitSignal(c.reply_finished, timeout=120_000):
        user.save_edit_button.click()
    assert [w.content for w in window.chat_view.messages][0] == "Say goodbye."
    assert window.chat_view.messages[0].version_label.text() == "2/2"
    window.chat_view.messages[0].previous_button.click()
    shown = window.chat_view.messages
    assert [w.content for w in shown] == ["Say hello.", second_text]
    assert shown[1].version_label.text() == "2/2"  # the regenerated pair is still there
    window.chat_view.messages[0].next_button.click()  # back to the edited branch
    edited_answer = window.chat_view.messages[-1].content

    # Copy confirms.
    window.chat_view.messages[-1].copy_button.click()
    assert window.chat_view.messages[-1].copy_button.text() == "Copied"

    # A new window on the same user folder finds all of it.
    window.close()
    again = make_window(start=False)
    again.controller.open_conversation(conv)
    shown = again.chat_view.messages
    assert [w.content for w in shown] == ["Say goodbye.", edited_answer]
    assert shown[0].version_label.text() == "2/2"
    shown[0].previous_button.click()
    shown = again.chat_view.messages
    assert [w.content for w in shown] == ["Say hello.", second_text]
    shown[1].previous_button.click()
    assert again.chat_view.messages[1].content == first_text


def test_closing_mid_answer_keeps_the_partial_answer(ready_window, make_window, qtbot):
    window = ready_window
    tokens: list[str] = []
    window.host.worker.token.connect(tokens.append)
    greedy(window, max_tokens=2000)
    window.controller.send("Write a long story about a lighthouse.")
    conv = window.controller.conversation_id
    qtbot.waitUntil(lambda: len(tokens) >= 5, timeout=120_000)
    window.close()
    with ConversationStore() as store:
        answer = store.messages(conv)[-1]
    assert answer.role == "assistant" and answer.finish_reason == "cancelled"
    assert answer.content and "".join(tokens).startswith(answer.content[:10])
    # The app started again on the same user folder opens it (the latest) and shows it under its question.
    again = make_window()
    assert again.controller.conversation_id == conv
    listed = again.conversations.list
    assert "lighthouse" in listed.item(0).text() and listed.item(0).text()[0] not in "●◌"  # not writing
    shown = again.chat_view.messages
    assert [w.content for w in shown] == ["Write a long story about a lighthouse.", answer.content]
    assert not again.controller.busy and again.chat_view.stream is None
