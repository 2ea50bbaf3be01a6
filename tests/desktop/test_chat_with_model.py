"""Chat turns: streaming with the real bundled model and event-loop lag, a real engine crash, a model that
does not fit, a corrupt file; stop, regenerate, edit-and-resend and waiting for the model test the
controller with the fake engine (tests/fake_engine.py), which needs no llama.cpp."""

from __future__ import annotations

import os
import time

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer

from models.conversations import ConversationStore

from .conftest import greedy

LAG_LIMIT_MS = 50.0
# Wall-clock lateness also counts time the OS gave to other processes (a test machine shared with other
# jobs); it is reported, and held to a looser bound that still catches any wait on the model.
WALL_LIMIT_MS = 250.0


class LagProbe(QObject):
    """A 10 ms timer on the GUI thread; lateness of each tick is how long the event loop was blocked."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.interval = interval_ms
        self.max_ms = 0.0
        self.ticks = 0
        self._clock = QElapsedTimer()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._clock.start()
        self._last = 0.0
        self._last_cpu = time.thread_time() * 1000
        self.worst_cpu_ms = 0.0
        self.max_busy_ms = 0.0
        self._timer.start()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        cpu = time.thread_time() * 1000
        late = now - self._last - self.interval
        # GUI-thread CPU time between two ticks: how long our own code held the event loop. The rest
        # of a late tick is the OS giving the core to other processes.
        busy = cpu - self._last_cpu
        self.max_busy_ms = max(self.max_busy_ms, busy)
        if late > self.max_ms:
            self.max_ms = late
            self.worst_cpu_ms = busy
        self._last, self._last_cpu = now, cpu
        self.ticks += 1

    def stop(self) -> None:
        self._timer.stop()


def type_and_send(window, qtbot, text: str) -> None:
    window.input.setFocus()
    qtbot.keyClicks(window.input, text)
    qtbot.keyClick(window.input, Qt.Key.Key_Return)


def stored(window):
    return window.store.messages(window.controller.conversation_id)


def test_streamed_reply_with_low_event_loop_lag(ready_window, qtbot, artifacts_dir):
    window = ready_window
    greedy(window, max_tokens=40)
    tokens: list[str] = []
    window.host.worker.token.connect(tokens.append)
    window.input.setFocus()
    qtbot.keyClicks(window.input, "Tell me about the sea.")
    # From Enter to the end of the answer (a person types with the event loop running between keys;
    # keyClicks does not, so the typing itself is left out of the measurement).
    probe = LagProbe()
    probe.start()
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000) as blocker:
        qtbot.keyClick(window.input, Qt.Key.Key_Return)
        assert window.stop_button.isVisible() and not window.send_button.isVisible()
    probe.stop()
    finished = blocker.args[0]
    assert finished.reason in ("stop", "length")
    assert len(tokens) >= 3  # it streamed
    answer = window.chat_view.messages[-1]
    assert answer.role == "assistant" and answer.content == finished.text and finished.text.strip()
    assert "tokens/s" in answer.stats_label.text()
    msgs = stored(window)
    assert [(m.role, m.content) for m in msgs] == [
        ("user", "Tell me about the sea."),
        ("assistant", finished.text),
    ]
    assert msgs[1].finish_reason == finished.reason and msgs[1].tokens_per_second > 0
    panel = window.model_panel.values
    assert panel["architecture"].text() == "llama"
    assert panel["quantization"].text() == "Q4_1"
    assert panel["backend"].text() == "CPU"
    assert "tokens/s" in panel["speed"].text()
    report = (
        f"event-loop lag while streaming {len(tokens)} tokens at {finished.tokens_per_second:.1f} tokens/s: "
        f"max {probe.max_ms:.1f} ms over {probe.ticks} ticks of a 10 ms timer "
        f"(GUI thread busy {probe.worst_cpu_ms:.1f} ms of that interval); longest GUI-thread work "
        f"between two ticks: {probe.max_busy_ms:.1f} ms; load average {os.getloadavg()[0]:.1f}\n"
    )
    (artifacts_dir / "desktop_event_loop_lag.txt").write_text(report)
    print(report)
    assert probe.max_busy_ms < LAG_LIMIT_MS
    assert probe.max_ms < WALL_LIMIT_MS
    assert window.send_button.isVisible()
    with ConversationStore() as other:  # what the app saved, the CLI/API read (no Qt)
        assert [m.role for m in other.messages(window.controller.conversation_id)] == ["user", "assistant"]
    # The conversation got its title from the first message and is listed.
    assert window.conversations.list.item(0).text() == "Tell me about the sea."


def test_escape_stops_and_keeps_the_partial_answer(fake_window, fake_engine, qtbot):
    window = fake_window  # stopping is the controller's job: a fake engine streams slowly enough to stop
    fake_engine.token_delay = 0.02
    fake_engine.enqueue(" ".join(["Once upon a time a cat slept."] * 100))
    greedy(window, max_tokens=2000)
    tokens: list[str] = []
    window.host.worker.token.connect(tokens.append)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000) as blocker:
        type_and_send(window, qtbot, "Write a long story about a cat.")
        qtbot.waitUntil(lambda: len(tokens) >= 5, timeout=30000)
        qtbot.keyClick(window.input, Qt.Key.Key_Escape)
    assert blocker.args[0].reason == "cancelled"
    msgs = stored(window)
    assert msgs[-1].finish_reason == "cancelled" and msgs[-1].content
    assert window.chat_view.messages[-1].content == msgs[-1].content
    assert window.chat_view.messages[-1].stats_label.text().endswith("stopped")


def test_regenerate_and_edit_and_resend(fake_window, fake_engine, qtbot):
    window = fake_window  # the fake answers deterministically, as greedy sampling does
    greedy(window, max_tokens=16)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000) as first:
        type_and_send(window, qtbot, "Say hello.")
    first_id = stored(window)[-1].id
    last = window.chat_view.messages[-1]
    assert last.regenerate_button.isVisible()
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000) as again:
        last.regenerate_button.click()
    msgs = stored(window)
    assert [m.role for m in msgs] == ["user", "assistant"]
    assert msgs[-1].id != first_id
    assert again.args[0].text == first.args[0].text  # greedy: the same answer again
    # Edit the question: the branch shown starts from the new question; the old one stays a version.
    user = window.chat_view.messages[0]
    user.edit_button.click()
    assert user.editor.isVisible()
    user.editor.setPlainText("Say goodbye.")
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000):
        user.save_edit_button.click()
    msgs = stored(window)
    assert [(m.role, m.content if m.role == "user" else "") for m in msgs] == [
        ("user", "Say goodbye."),
        ("assistant", ""),
    ]
    assert [w.content for w in window.chat_view.messages][0] == "Say goodbye."
    assert len(window.chat_view.messages) == 2
    assert len(window.store.all_messages(window.controller.conversation_id)) == 5  # nothing deleted
    assert fake_engine.requests[-1][-1] == {"role": "user", "content": "Say goodbye."}


def test_message_typed_before_the_model_is_ready_waits(fake_engine, make_window, qtbot):
    fake_engine.load_delay = 1.0
    window = make_window()
    assert not window.controller.model_ready  # the window is usable at once; the model loads behind it
    greedy(window, max_tokens=8)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000) as blocker:
        type_and_send(window, qtbot, "Hi")
        assert window.controller.pending
    assert blocker.args[0].text
    assert [m.role for m in stored(window)] == ["user", "assistant"]


def test_engine_crash_shows_banner_and_keeps_everything(ready_window, qtbot):
    window = ready_window
    greedy(window, max_tokens=2000)
    tokens: list[str] = []
    window.host.worker.token.connect(tokens.append)
    with qtbot.waitSignal(window.controller.reply_failed, timeout=120000) as blocker:
        type_and_send(window, qtbot, "Write a long story about a dog.")
        qtbot.waitUntil(lambda: len(tokens) >= 5, timeout=30000)
        window.host.worker.debug_abort()  # the engine process calls os.abort()
    message = blocker.args[0]
    assert "Traceback" not in message
    assert window.isVisible()
    assert window.banner.isVisible() and window.banner.kind == "crash"
    assert window.banner.label.text() == message
    assert window.banner.reload_button.isVisible()
    msgs = stored(window)
    assert [m.role for m in msgs] == ["user", "assistant"]
    assert msgs[1].finish_reason == "crashed"
    assert msgs[1].content and "".join(tokens).startswith(msgs[1].content[:20])
    assert window.chat_view.messages[-1].content == msgs[1].content
    assert window.model_panel.state == "failed"
    # Reload model: the engine comes back and the conversation goes on.
    window.banner.reload_button.click()
    qtbot.waitUntil(lambda: window.controller.model_ready, timeout=120000)
    greedy(window, max_tokens=4)
    with qtbot.waitSignal(window.controller.reply_finished, timeout=120000):
        type_and_send(window, qtbot, "Hi")
    assert [m.role for m in stored(window)] == ["user", "assistant", "user", "assistant"]


def test_model_that_does_not_fit_is_refused_before_loading(make_window, qtbot):
    window = make_window(start=False)
    window.controller.n_ctx = 64_000_000  # a KV cache far larger than any machine's memory
    window.load_default_model()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=30000)
    text = window.banner.label.text()
    assert text.startswith("Not enough") and "→" in text and "Traceback" not in text
    assert not window.host.worker.has_engine
    assert window.model_panel.state == "failed"


def test_corrupt_model_shows_the_engine_message(make_window, qtbot, tmp_path):
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    window = make_window(start=False)
    window.controller.load_model(str(bad))
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=30000)
    text = window.banner.label.text()
    assert "broken.gguf" in text and "Traceback" not in text
    assert window.banner.kind == "error"
