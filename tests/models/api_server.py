"""The running API server the API tests talk to, one per test module (loading is the slow part), and
helpers to call it: the official ``openai`` client, or raw HTTP for what the client hides.

One engine thread: llama.cpp's worker threads spin-wait, and with the HTTP threads and the clients in
this process competing for two cores, two engine threads were measured 10-20x slower per token than one.
"""

from __future__ import annotations

import http.client
import json
import time

import openai
import pytest

from models.api import ApiConfig, ApiServer
from models.events import LoadConfig

KEY = "test-key-1234"
ALLOWED_ORIGIN = "http://allowed.example"


@pytest.fixture(scope="module")
def server(bundled_model):
    config = ApiConfig(
        model=LoadConfig(model_path=str(bundled_model), n_ctx=1024, n_threads=1),
        port=0,
        api_key=KEY,
        cors_origins=(ALLOWED_ORIGIN,),
        queue_limit=24,
    )
    srv = ApiServer(config)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture()
def client(server):
    return openai.OpenAI(base_url=server.address, api_key=KEY, max_retries=0, timeout=120)


def _raw(server, method: str, path: str, body=None, headers=None) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    data = json.dumps(body).encode() if body is not None else None
    base = {"Authorization": f"Bearer {KEY}"}
    if data is not None:
        base["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers={**base, **(headers or {})})
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), (json.loads(raw) if raw else {})


def _wait_for(condition, timeout: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "timed out"
        time.sleep(0.01)
    return time.monotonic() - started


# A seed makes the engine evaluate the prompt afresh (bit-for-bit reproducible); plain greedy may reuse
# the cached prefix, which is faster but can differ in the last digits.
GREEDY = {"temperature": 0, "seed": 1}
FAST = {"temperature": 0}
