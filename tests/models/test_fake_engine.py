"""The fake engine UI tests use (tests/fake_engine.py) keeps ``models.engine.Engine``'s interface and
speaks its events: stop, length, cancel, a crash, a failed request, a missing or corrupt file."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from models.cancel import CancelToken
from models.engine import Engine
from models.errors import EngineCrashedError, ModelFileError
from models.events import EngineCrashed, ErrorEvent, Finished, LoadConfig, SamplingParams, Token
from tests.fake_engine import FakeEngine, FakeEngines


def _public(cls: type) -> dict[str, inspect.Signature | None]:
    members = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("__") or (name.startswith("_") and name != "_debug_abort"):
            continue
        members[name] = inspect.signature(member) if callable(member) else None
    return members


def test_the_fake_has_the_engines_interface() -> None:
    real, fake = _public(Engine), _public(FakeEngine)
    assert set(real) <= set(fake) | {"info"}, f"missing: {set(real) - set(fake)}"
    for name, signature in real.items():
        if signature is not None and name != "start":
            assert list(fake[name].parameters) == list(signature.parameters), name  # type: ignore[union-attr]


def _engine(bundled_model: Path, script: FakeEngines | None = None) -> FakeEngine:
    return (script or FakeEngines()).start(LoadConfig(model_path=str(bundled_model)))


def test_events_like_the_real_engine(bundled_model: Path) -> None:
    script = FakeEngines()
    engine = _engine(bundled_model, script)
    assert engine.info.architecture == "llama" and engine.info.chat_template  # the file's own header
    events = list(engine.chat([{"role": "user", "content": "hello there"}]))
    assert [e.text for e in events if isinstance(e, Token)] == ["You", " said:", " hello", " there"]
    end = events[-1]
    assert isinstance(end, Finished) and end.reason == "stop" and end.text == "You said: hello there"
    script.enqueue("one two three four")
    end = list(engine.chat([{"role": "user", "content": "x"}], SamplingParams(max_tokens=2)))[-1]
    assert isinstance(end, Finished) and (end.reason, end.text) == ("length", "one two")
    script.enqueue("alpha beta. gamma")
    end = list(engine.chat([{"role": "user", "content": "x"}], SamplingParams(stop=(".",))))[-1]
    assert isinstance(end, Finished) and end.text == "alpha beta"
    script.enqueue_error("The grammar is invalid.")
    assert list(engine.chat([{"role": "user", "content": "x"}])) == [ErrorEvent("The grammar is invalid.")]


def test_cancel_and_crash(bundled_model: Path) -> None:
    script = FakeEngines()
    engine = _engine(bundled_model, script)
    script.enqueue("a b c d e")
    stream = engine.chat([{"role": "user", "content": "x"}])
    assert isinstance(next(stream), Token)
    engine.cancel()
    end = list(stream)[-1]
    assert isinstance(end, Finished) and end.reason == "cancelled" and end.text == "a"
    token = CancelToken()  # a request's own token: cancelled before it starts, it never starts
    token.cancel()
    assert list(engine.chat([{"role": "user", "content": "x"}], cancel=token))[-1] == Finished(
        "cancelled", "", 0, 0, 0.0, 0.0, 0.0
    )
    script.enqueue("a b c d e")
    stream = engine.chat([{"role": "user", "content": "x"}])
    next(stream)
    engine._debug_abort()
    crash = list(stream)[-1]
    assert isinstance(crash, EngineCrashed) and crash.partial_text == "a" and not engine.alive
    with pytest.raises(EngineCrashedError):
        list(engine.chat([{"role": "user", "content": "x"}]))


def test_missing_and_corrupt_files_fail_as_in_the_real_start(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        FakeEngines().start(LoadConfig(model_path=str(tmp_path / "none.gguf")))
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\x00" * 64)
    with pytest.raises(ModelFileError):
        FakeEngines().start(LoadConfig(model_path=str(bad)))
