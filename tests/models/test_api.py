"""The local API with the official ``openai`` client, against the real server and the bundled model:
chat, completions, embeddings, several clients, security and errors (structured output and tools are
in test_api_structured.py). Greedy sampling and small ``max_tokens`` keep it quick and deterministic.
"""

# ruff: noqa: F811 - the server and client fixtures come from api_server
from __future__ import annotations

import json
import math
import socket
import threading
import time

import openai
import pytest

from models.api import ApiConfig, ApiServer
from models.bundled import BUNDLED_ID
from models.errors import ConfigError
from models.events import LoadConfig
from tests.models.api_server import (  # noqa: F401 - client and server are fixtures
    ALLOWED_ORIGIN,
    FAST,
    GREEDY,
    KEY,
    _raw,
    _wait_for,
    client,
    server,
)

# ---- chat ---------------------------------------------------------------------------------------------


def test_models_lists_the_loaded_model(client) -> None:
    ids = [m.id for m in client.models.list().data]
    assert ids == [BUNDLED_ID]
    assert client.models.retrieve(BUNDLED_ID).id == BUNDLED_ID


def test_chat_completion_has_openai_shape(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "What is the capital of France?"}],
        max_tokens=8,
        **GREEDY,
    )
    assert reply.id.startswith("chatcmpl-") and reply.object == "chat.completion"
    assert reply.model == BUNDLED_ID and reply.created > 0
    choice = reply.choices[0]
    assert choice.message.role == "assistant" and choice.message.content.strip()
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage.prompt_tokens > 5 and 0 < reply.usage.completion_tokens <= 8
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_streaming_gives_the_same_answer_as_non_streaming(client) -> None:
    messages = [{"role": "user", "content": "Name three colours."}]
    whole = client.chat.completions.create(model=BUNDLED_ID, messages=messages, max_tokens=12, **GREEDY)
    chunks = list(
        client.chat.completions.create(
            model=BUNDLED_ID,
            messages=messages,
            max_tokens=12,
            stream=True,
            stream_options={"include_usage": True},
            **GREEDY,
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    finals = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finals == [whole.choices[0].finish_reason]
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens
    assert len({c.id for c in chunks}) == 1


def test_completions_plain_and_streaming(client) -> None:
    reply = client.completions.create(
        model=BUNDLED_ID, prompt="The capital of France is", max_tokens=6, **GREEDY
    )
    assert reply.object == "text_completion" and reply.choices[0].text.strip()
    assert reply.choices[0].finish_reason in ("stop", "length") and reply.usage.completion_tokens <= 6
    streamed = client.completions.create(
        model=BUNDLED_ID, prompt="The capital of France is", max_tokens=6, stream=True, **GREEDY
    )
    assert "".join(c.choices[0].text for c in streamed) == reply.choices[0].text


def test_embeddings_float_and_base64(client) -> None:
    texts = ["A cat sat on the mat.", "Tokyo is the capital of Japan."]
    as_base64 = client.embeddings.create(model=BUNDLED_ID, input=texts)  # the client asks for base64
    as_floats = client.embeddings.create(model=BUNDLED_ID, input=texts, encoding_format="float")
    assert [d.index for d in as_floats.data] == [0, 1] and as_floats.usage.prompt_tokens > 0
    for a, b in zip(as_base64.data, as_floats.data, strict=True):
        assert len(a.embedding) == len(b.embedding) > 100
        assert math.isclose(math.fsum(x * x for x in b.embedding), 1.0, rel_tol=1e-3)
        assert max(abs(x - y) for x, y in zip(a.embedding, b.embedding, strict=True)) < 1e-6
    again = client.embeddings.create(model=BUNDLED_ID, input=texts[0], encoding_format="float")
    assert (
        max(abs(x - y) for x, y in zip(again.data[0].embedding, as_floats.data[0].embedding, strict=True))
        < 1e-4
    )


# ---- several clients ----------------------------------------------------------------------------------


def test_twenty_concurrent_streams_all_complete(server, client) -> None:
    prompts = [
        f"Say a word that rhymes with {w}."
        for w in [
            "cat",
            "dog",
            "sun",
            "tree",
            "rain",
            "star",
            "moon",
            "fish",
            "bird",
            "cake",
            "book",
            "hat",
            "ship",
            "road",
            "bell",
            "lamp",
            "ring",
            "snow",
            "coin",
            "door",
        ]
    ]
    expected = {}
    for prompt in prompts:
        reply = client.chat.completions.create(
            model=BUNDLED_ID, messages=[{"role": "user", "content": prompt}], max_tokens=8, **GREEDY
        )
        expected[prompt] = (reply.choices[0].message.content, reply.choices[0].finish_reason)
    results: dict[str, tuple[str, str | None]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(prompts))

    def stream(prompt: str) -> None:
        try:
            own = openai.OpenAI(base_url=server.address, api_key=KEY, max_retries=0, timeout=120)
            barrier.wait(10)
            text, reason = "", None
            for chunk in own.chat.completions.create(
                model=BUNDLED_ID,
                messages=[{"role": "user", "content": prompt}],
                max_tokens=8,
                stream=True,
                **GREEDY,
            ):
                text += chunk.choices[0].delta.content or ""
                reason = chunk.choices[0].finish_reason or reason
            results[prompt] = (text, reason)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=stream, args=(p,)) for p in prompts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    assert results == expected


def test_queue_full_answers_429_with_retry_after(server, client) -> None:
    queue = server.chat_host.queue
    queue.limit = 1
    try:
        running = client.chat.completions.create(
            model=BUNDLED_ID,
            messages=[{"role": "user", "content": "Tell me a long story."}],
            max_tokens=400,
            stream=True,
            temperature=0.8,
            seed=3,
        )
        next(iter(running))  # the model is now answering this one
        waiting_result: list[object] = []
        waiter = threading.Thread(
            target=lambda: waiting_result.append(
                client.chat.completions.create(
                    model=BUNDLED_ID, messages=[{"role": "user", "content": "Hi"}], max_tokens=2, **FAST
                )
            )
        )
        waiter.start()
        _wait_for(lambda: queue.waiting == 1, 10)
        status, headers, body = _raw(
            server,
            "POST",
            "/v1/chat/completions",
            {"model": BUNDLED_ID, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2},
        )
        assert status == 429 and int(headers["Retry-After"]) >= 1
        assert body["error"]["code"] == "queue_full" and body["error"]["type"] == "rate_limit_exceeded"
        with pytest.raises(openai.RateLimitError):
            client.chat.completions.create(
                model=BUNDLED_ID, messages=[{"role": "user", "content": "Hi"}], max_tokens=2
            )
        running.close()  # disconnect: the waiting request gets the model
        waiter.join(30)
        assert waiting_result and waiting_result[0].choices[0].message.content is not None
    finally:
        queue.limit = 24


LONG_JSON = {"type": "array", "items": {"type": "integer"}, "minItems": 150}  # forces a long answer


def test_disconnect_cancels_a_stream(server, client) -> None:
    before = server.stats.cancelled
    stream = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Count."}],
        max_tokens=600,
        stream=True,
        response_format={"type": "json_schema", "json_schema": {"name": "n", "schema": LONG_JSON}},
        **FAST,
    )
    for _, _chunk in zip(range(3), stream, strict=False):
        pass
    stream.close()
    seconds = _wait_for(lambda: server.stats.cancelled > before and not server.chat_host.queue.busy, 5)
    assert seconds < 2


def test_disconnect_cancels_a_non_streaming_request(server) -> None:
    before = server.stats.cancelled
    body = json.dumps(
        {
            "model": BUNDLED_ID,
            "messages": [{"role": "user", "content": "Count."}],
            "max_tokens": 600,
            "temperature": 0,
            "response_format": {"type": "json_schema", "json_schema": {"name": "n", "schema": LONG_JSON}},
        }
    ).encode()
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(
        b"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Authorization: Bearer {KEY}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    _wait_for(lambda: server.chat_host.queue.busy, 5)
    time.sleep(0.3)  # generating now
    sock.close()
    seconds = _wait_for(lambda: server.stats.cancelled > before and not server.chat_host.queue.busy, 5)
    assert seconds < 2


# ---- security and errors --------------------------------------------------------------------------------


def test_wrong_or_missing_key_is_rejected(server) -> None:
    wrong = openai.OpenAI(base_url=server.address, api_key="not-the-key", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.models.list()
    status, _, body = _raw(server, "GET", "/v1/models", headers={"Authorization": ""})
    assert status == 401 and body["error"]["code"] == "invalid_api_key"


def test_binding_beyond_loopback_needs_a_key(bundled_model) -> None:
    model = LoadConfig(model_path=str(bundled_model))
    with pytest.raises(ConfigError, match="API key"):
        ApiServer(ApiConfig(model=model, host="0.0.0.0"))
    with pytest.raises(ConfigError, match="too short"):
        ApiServer(ApiConfig(model=model, host="0.0.0.0", api_key="short"))
    assert ApiServer(ApiConfig(model=model, host="0.0.0.0", api_key="long-enough-key")).address.endswith(
        ":8080/v1"
    )


def test_browser_origins_hosts_and_content_types(server) -> None:
    ok = {"model": BUNDLED_ID, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 1}
    status, _, body = _raw(server, "POST", "/v1/chat/completions", ok, {"Origin": "http://evil.example"})
    assert status == 403 and body["error"]["code"] == "origin_not_allowed"
    status, headers, _ = _raw(server, "OPTIONS", "/v1/chat/completions", None, {"Origin": ALLOWED_ORIGIN})
    assert status == 204 and headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    status, headers, _ = _raw(server, "POST", "/v1/chat/completions", ok, {"Origin": ALLOWED_ORIGIN})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    status, _, body = _raw(server, "GET", "/v1/models", None, {"Host": "rebound.example:80"})
    assert status == 403
    status, _, body = _raw(server, "POST", "/v1/chat/completions", None, {"Content-Type": "text/plain"})
    assert status == 415
    status, _, body = _raw(server, "POST", "/v1/chat/completions", {"messages": []})
    assert (
        status == 400
        and body["error"]["param"] == "messages"
        and body["error"]["type"] == "invalid_request_error"
    )
    status, _, body = _raw(server, "GET", "/v1/nothing")
    assert status == 404 and "error" in body


def test_crashed_engine_restarts_and_a_dead_one_answers_503(server, client) -> None:
    from dataclasses import replace

    host = server.chat_host
    engine = host.engine()
    engine._debug_abort()  # a real crash inside the engine process
    _wait_for(lambda: not engine.alive, 10)
    good = host.config
    host.config = replace(good, model_path=str(good.model_path) + ".missing")  # the restart cannot work now
    host.restart_backoff = 0.5
    try:
        status, headers, body = _raw(
            server,
            "POST",
            "/v1/chat/completions",
            {"model": BUNDLED_ID, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2},
        )
        assert status == 503 and int(headers["Retry-After"]) >= 1
        assert body["error"]["code"] == "engine_unavailable" and ".missing" in body["error"]["message"]
    finally:
        host.config = good
    time.sleep(0.6)
    reply = client.chat.completions.create(  # the next request starts a fresh engine
        model=BUNDLED_ID, messages=[{"role": "user", "content": "Hi"}], max_tokens=2, **FAST
    )
    assert reply.choices[0].message.content is not None and host.engine() is not engine
