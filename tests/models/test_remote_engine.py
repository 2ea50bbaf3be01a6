"""The remote engine against a minimal OpenAI-compatible stand-in written here, and against the
project's own `tomoshibi serve`: chat, streaming, stop, a server that is down or goes away."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from models.engine import Engine
from models.errors import EngineError
from models.events import ErrorEvent, Finished, LoadConfig, SamplingParams, Token
from models.remote_engine import RemoteEngine, is_remote, list_models, parse_remote_path, remote_path

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["Tokyo", " is", " the", " capital", " of", " Japan", "."]


class StandIn(BaseHTTPRequestHandler):
    """/v1/models and streaming /v1/chat/completions; ``slow`` streams forever until the client leaves."""

    server: Any  # noqa: F821 - the ThreadingHTTPServer below, with .key, .slow, .requests, .drop

    def log_message(self, *args: object) -> None:
        pass

    def _auth(self) -> bool:
        if self.server.key and self.headers.get("Authorization") != f"Bearer {self.server.key}":
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"error": {"message": "bad key"}}')
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802
        if not self._auth():
            return
        body = json.dumps({"object": "list", "data": [{"id": "stand-in-1"}, {"id": "stand-in-2"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802
        if not self._auth():
            return
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(request)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

        def send(obj: object) -> None:
            self.wfile.write(f"data: {json.dumps(obj)}\n\n".encode())
            self.wfile.flush()

        try:
            words = WORDS * 1000 if self.server.slow else WORDS
            for i, word in enumerate(words):
                if self.server.drop and i == 3:
                    self.connection.shutdown(2)  # the server goes away mid-answer
                    return
                send({"choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]})
                if self.server.slow:
                    time.sleep(0.02)
            send({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            send({"choices": [], "usage": {"prompt_tokens": 9, "completion_tokens": len(words)}})
            self.wfile.write(b"data: [DONE]\n\n")
        except OSError:
            self.server.disconnected.set()


@pytest.fixture
def stand_in() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    server.key, server.slow, server.drop = "sesame", False, False  # type: ignore[attr-defined]
    server.requests, server.disconnected = [], threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/v1"


def start(server: ThreadingHTTPServer, model: str = "stand-in-2") -> RemoteEngine:
    config = LoadConfig(
        model_path=remote_path(url_of(server), model), n_ctx=2048, extra={"api_key": "sesame"}
    )
    engine = Engine.start(config)  # the same entry point as a local model
    assert isinstance(engine, RemoteEngine)
    return engine


def test_paths_name_the_server_and_the_model() -> None:
    path = remote_path("http://10.0.0.2:8080/v1", "org/model:Q4")
    assert is_remote(path) and parse_remote_path(path) == ("http://10.0.0.2:8080/v1", "org/model:Q4")


def test_chat_streams_tokens_then_finishes(stand_in) -> None:
    assert list_models(url_of(stand_in), "sesame") == ["stand-in-1", "stand-in-2"]
    engine = start(stand_in)
    params = SamplingParams(temperature=0.0, max_tokens=50, seed=3, stop=("###",))
    events = list(engine.chat([{"role": "user", "content": "Capital of Japan?"}], params))
    tokens, finished = [e for e in events if isinstance(e, Token)], events[-1]
    assert [t.text for t in tokens] == WORDS  # streamed piece by piece
    assert isinstance(finished, Finished) and finished.reason == "stop"
    assert finished.text == "Tokyo is the capital of Japan." and finished.completion_tokens == len(WORDS)
    sent = stand_in.requests[-1]
    assert sent["model"] == "stand-in-2" and sent["stream"] is True and sent["messages"][0]["role"] == "user"
    assert sent["temperature"] == 0.0 and sent["seed"] == 3 and sent["stop"] == ["###"]
    assert engine.info.backend == "remote" and engine.alive


def test_stop_ends_the_answer_at_once(stand_in) -> None:
    stand_in.slow = True
    engine = start(stand_in)
    seen: list[str] = []
    started = time.monotonic()
    for event in engine.chat([{"role": "user", "content": "Talk forever."}]):
        if isinstance(event, Token):
            seen.append(event.text)
            if len(seen) == 3:
                threading.Timer(0.05, engine.cancel).start()
        else:
            finished = event
    assert isinstance(finished, Finished) and finished.reason == "cancelled"
    assert 3 <= len(seen) < 100 and time.monotonic() - started < 5
    assert stand_in.disconnected.wait(5)  # the server saw the client leave and stopped generating
    # The engine goes on: the next answer is whole.
    stand_in.slow = False
    assert isinstance(list(engine.chat([{"role": "user", "content": "Again"}]))[-1], Finished)


def test_a_wrong_key_and_an_unknown_model_are_clear(stand_in) -> None:
    with pytest.raises(EngineError, match="refused the key"):
        Engine.start(
            LoadConfig(model_path=remote_path(url_of(stand_in), "stand-in-1"), extra={"api_key": "x"})
        )
    with pytest.raises(EngineError, match="no longer has the model 'gone'"):
        start(stand_in, "gone")


def test_a_server_that_is_down_or_goes_away_is_named_and_the_engine_survives(stand_in) -> None:
    engine = start(stand_in)
    stand_in.drop = True
    events = list(engine.chat([{"role": "user", "content": "Hi"}]))
    assert isinstance(events[-1], ErrorEvent), events[-1]
    assert url_of(stand_in) in events[-1].message and "conversation is kept" in events[-1].message
    assert "".join(e.text for e in events if isinstance(e, Token)) == "Tokyo is the"
    url = url_of(stand_in)
    stand_in.shutdown()
    stand_in.server_close()
    events = list(engine.chat([{"role": "user", "content": "Hi"}]))
    assert isinstance(events[-1], ErrorEvent) and "does not answer (connection refused)" in events[-1].message
    assert engine.alive
    with pytest.raises(EngineError, match=f"The server at {url} does not answer"):
        Engine.start(LoadConfig(model_path=remote_path(url, "stand-in-1")))


def test_against_tomoshibi_serve(bundled_model) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "serve",
            "--model",
            str(bundled_model),
            "--port",
            "0",
            "--ctx",
            "512",
            "--threads",
            "1",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, "TOMOSHIBI_API_KEY": "", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("Tomoshibi API at http://127.0.0.1:"), line + process.stderr.read()  # type: ignore[union-attr]
        url = line.split()[3]
        (model,) = list_models(url)
        engine = Engine.start(LoadConfig(model_path=remote_path(url, model), n_ctx=512))
        greedy = SamplingParams(temperature=0.0, max_tokens=16, repeat_penalty=1.0)
        question = [{"role": "user", "content": "What is the capital of Japan? Answer in one word."}]
        events = list(engine.chat(question, greedy))
        finished = events[-1]
        assert isinstance(finished, Finished), finished
        assert "Tokyo" in finished.text and finished.text == "".join(
            e.text for e in events if isinstance(e, Token)
        )
        # Stop mid-answer, then the server goes down: a clear error, the engine object lives on.
        seen = 0
        for event in engine.chat([{"role": "user", "content": "Write a long story about a cat."}],
                                 SamplingParams(max_tokens=300)):  # fmt: skip
            if isinstance(event, Token):
                seen += 1
                if seen == 2:
                    engine.cancel()
            else:
                stopped = event
        assert (
            isinstance(stopped, Finished)
            and stopped.reason == "cancelled"
            and stopped.completion_tokens < 300
        )
        process.send_signal(signal.SIGINT)
        process.wait(30)
        events = list(engine.chat(question, greedy))
        assert isinstance(events[-1], ErrorEvent) and url in events[-1].message and engine.alive
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def test_keys_go_to_the_keychain_or_stay_for_the_session(monkeypatch) -> None:
    import keyring
    from keyring.backends import fail

    from models import other_computers as oc

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())  # as on CI: no keychain
    assert oc.key_storage() == "session"
    assert oc.set_key("http://h:1/v1", "k1") == "session" and oc.get_key("http://h:1/v1") == "k1"
    oc.set_key("http://h:1/v1", "")
    assert oc.get_key("http://h:1/v1") is None

    class Memory(keyring.backend.KeyringBackend):  # a keychain that works
        priority = 1
        store: dict[tuple[str, str], str] = {}

        def set_password(self, service: str, user: str, password: str) -> None:
            self.store[(service, user)] = password

        def get_password(self, service: str, user: str) -> str | None:
            return self.store.get((service, user))

        def delete_password(self, service: str, user: str) -> None:
            self.store.pop((service, user), None)

    monkeypatch.setattr(keyring, "get_keyring", lambda: Memory())
    assert oc.set_key("http://h:2/v1", "k2") == "keychain"
    assert (
        Memory.store == {(oc.KEYRING_SERVICE, "http://h:2/v1"): "k2"} and oc.get_key("http://h:2/v1") == "k2"
    )
    oc.save(
        oc.OtherComputers(
            ("10.0.0.5:50052",), (oc.RemoteServer("Desk", oc.normalize_base_url("10.0.0.9:8080")),)
        )
    )
    assert "k2" not in oc.config_path().read_text()
    assert oc.load() == oc.OtherComputers(
        ("10.0.0.5:50052",), (oc.RemoteServer("Desk", "http://10.0.0.9:8080/v1"),)
    )
