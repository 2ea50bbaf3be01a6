"""Enter, Shift+Enter, Ctrl/Cmd+Enter, and Enter during Japanese input-method composition."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desktop.input_box import InputBox


def _box(qtbot, send_key="enter"):
    box = InputBox(send_key=send_key)
    qtbot.addWidget(box)
    box.show()
    sent: list[str] = []
    box.submitted.connect(sent.append)
    return box, sent


def test_enter_sends_shift_enter_newline(qtbot):
    box, sent = _box(qtbot)
    qtbot.keyClicks(box, "hello")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "world")
    assert sent == []
    assert box.toPlainText() == "hello\nworld"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert sent == ["hello\nworld"]
    assert box.toPlainText() == ""
    qtbot.keyClick(box, Qt.Key.Key_Return)  # empty: nothing sent
    assert sent == ["hello\nworld"]


def test_ctrl_enter_mode(qtbot):
    box, sent = _box(qtbot, "ctrl_enter")
    qtbot.keyClicks(box, "a")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClicks(box, "b")
    assert sent == [] and box.toPlainText() == "a\nb"
    qtbot.keyClick(box, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)  # keypad Enter too
    assert sent == ["a\nb"]


def test_ctrl_enter_always_sends(qtbot):
    box, sent = _box(qtbot, "enter")
    qtbot.keyClicks(box, "x")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == ["x"]


def test_enter_while_ime_composing_never_sends(qtbot):
    box, sent = _box(qtbot)
    box.insertPlainText("今日は")
    # The input method shows uncommitted text (kana being converted).
    cursor = QInputMethodEvent.Attribute(QInputMethodEvent.AttributeType.Cursor, 4, 1)
    QApplication.sendEvent(box, QInputMethodEvent("にほんご", [cursor]))
    assert box.composing
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == []
    # The input method commits the conversion: pre-edit ends, the text is in the box.
    commit = QInputMethodEvent()
    commit.setCommitString("日本語")
    QApplication.sendEvent(box, commit)
    assert not box.composing
    assert box.toPlainText() == "今日は日本語"
    assert sent == []
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert sent == ["今日は日本語"]
