"""OpenAI parameters the local API supports for real, checked with the official ``openai`` client against the
bundled model: logprobs, penalties, logit_bias, n > 1, parallel tool calls, response_format with tools,
embeddings ``dimensions`` and token-id inputs, cached tokens, ``call_`` ids and ``"usage": null`` chunks."""

from __future__ import annotations

import json
import math

import openai
import pytest

from models.api import ApiConfig, ApiServer
from models.bundled import BUNDLED_ID
from models.events import LoadConfig

KEY = "test-key-1234"
GREEDY = {"temperature": 0, "seed": 1}
ASK = [{"role": "user", "content": "What is the weather in Paris and in Tokyo?"}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string", "maxLength": 2000}},
            "required": ["city"],
        },
    },
}


@pytest.fixture(scope="module")
def server(bundled_model):
    config = ApiConfig(
        model=LoadConfig(model_path=str(bundled_model), n_ctx=1024, n_threads=1), port=0, api_key=KEY
    )
    with ApiServer(config) as srv:
        yield srv


@pytest.fixture()
def client(server):
    return openai.OpenAI(base_url=server.address, api_key=KEY, max_retries=0, timeout=120)


def test_chat_logprobs_and_top_logprobs(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=5,
        logprobs=True,
        top_logprobs=3,
        **GREEDY,
    )
    content = reply.choices[0].logprobs.content
    assert len(content) == reply.usage.completion_tokens
    for entry in content:
        assert entry.logprob <= 0 and len(entry.top_logprobs) == 3
        assert entry.bytes == list(entry.token.encode())
        # Greedy: the chosen token is the most likely one.
        assert math.isclose(entry.logprob, entry.top_logprobs[0].logprob, abs_tol=1e-4)
    assert "".join(e.token for e in content).strip() == reply.choices[0].message.content.strip()
    streamed = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Say hello."}],
        max_tokens=5,
        logprobs=True,
        stream=True,
        **GREEDY,
    )
    tokens = [
        e for c in streamed if c.choices and c.choices[0].logprobs for e in c.choices[0].logprobs.content
    ]
    assert [e.token for e in tokens] == [e.token for e in content]


def test_completion_logprobs(client) -> None:
    reply = client.completions.create(
        model=BUNDLED_ID, prompt="One, two,", max_tokens=4, logprobs=2, **GREEDY
    )
    lp = reply.choices[0].logprobs
    assert len(lp.tokens) == len(lp.token_logprobs) == len(lp.top_logprobs) == len(lp.text_offset) == 4
    assert all(len(top) <= 2 for top in lp.top_logprobs) and lp.text_offset[0] == 0


def test_logit_bias_bans_and_forces_tokens(server, client) -> None:
    engine = server.chat_host.engine()
    prompt = "The capital of France is"
    plain = client.completions.create(model=BUNDLED_ID, prompt=prompt, max_tokens=1, logprobs=1, **GREEDY)
    first = plain.choices[0].logprobs.tokens[0]
    (first_id,) = engine.tokenize(first, add_special=False)
    banned = client.completions.create(
        model=BUNDLED_ID, prompt=prompt, max_tokens=1, logprobs=1, logit_bias={str(first_id): -100}, **GREEDY
    )
    assert banned.choices[0].logprobs.tokens[0] != first
    forced = client.completions.create(
        model=BUNDLED_ID, prompt=prompt, max_tokens=3, logprobs=0, logit_bias={"42": 100}, **GREEDY
    )
    assert forced.choices[0].logprobs.tokens == [engine.detokenize([42])] * 3


def test_penalties_change_a_repetitive_answer(client) -> None:
    prompt = "1, 1, 1, 1, 1, 1, 1, 1,"
    plain = client.completions.create(model=BUNDLED_ID, prompt=prompt, max_tokens=12, **GREEDY)
    penalised = client.completions.create(
        model=BUNDLED_ID, prompt=prompt, max_tokens=12, frequency_penalty=2.0, presence_penalty=2.0, **GREEDY
    )
    assert plain.choices[0].text != penalised.choices[0].text
    assert penalised.choices[0].text.count("1") < plain.choices[0].text.count("1")


def test_n_choices_one_after_another(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Name a fruit."}],
        max_tokens=6,
        n=3,
        temperature=1.0,
        seed=7,
    )
    assert [c.index for c in reply.choices] == [0, 1, 2]
    assert all(c.message.content for c in reply.choices)
    chunks = list(
        client.chat.completions.create(
            model=BUNDLED_ID,
            messages=[{"role": "user", "content": "Name a fruit."}],
            max_tokens=6,
            n=2,
            stream=True,
            stream_options={"include_usage": True},
            temperature=1.0,
            seed=7,
        )
    )
    assert {c.choices[0].index for c in chunks if c.choices} == {0, 1}
    assert all(c.usage is None for c in chunks[:-1]) and chunks[-1].usage.completion_tokens > 0
    raw = client.chat.completions.with_raw_response.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Hi"}],
        max_tokens=2,
        stream=True,
        stream_options={"include_usage": True},
    )
    events = [
        json.loads(line[6:])
        for line in raw.http_response.read().decode().splitlines()
        if line.startswith("data: {")
    ]
    assert all("usage" in e and e["usage"] is None for e in events[:-1])


def test_parallel_tool_calls_with_call_ids(client) -> None:
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=ASK,
        tools=[WEATHER],
        tool_choice="required",
        parallel_tool_calls=True,
        max_tokens=60,
        temperature=0,
    )
    calls = reply.choices[0].message.tool_calls
    assert reply.choices[0].finish_reason == "tool_calls" and 1 <= len(calls) <= 8
    for call in calls:
        assert call.id.startswith("call_") and call.function.name == "get_weather"
        assert isinstance(json.loads(call.function.arguments)["city"], str)
    assert len({c.id for c in calls}) == len(calls)


def test_response_format_together_with_tools(client) -> None:
    schema = {
        "type": "object",
        "properties": {"answer": {"type": "string", "maxLength": 40}},
        "required": ["answer"],
        "additionalProperties": False,
    }
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "What is 2 + 2? Do not use a tool."}],
        tools=[WEATHER],
        response_format={"type": "json_schema", "json_schema": {"name": "a", "schema": schema}},
        max_tokens=40,
        temperature=0,
    )
    message = reply.choices[0].message
    if message.tool_calls:
        assert json.loads(message.tool_calls[0].function.arguments)["city"]
    else:
        assert set(json.loads(message.content)) == {"answer"}


def test_long_string_bounds_compile(client) -> None:
    schema = {"type": "object", "properties": {"s": {"type": "string", "maxLength": 2000}}, "required": ["s"]}
    reply = client.chat.completions.create(
        model=BUNDLED_ID,
        messages=[{"role": "user", "content": "Write a word."}],
        max_tokens=30,
        temperature=0,
        response_format={"type": "json_schema", "json_schema": {"name": "s", "schema": schema}},
    )
    assert reply.choices[0].finish_reason in ("stop", "length")
    for absurd, field in (
        ({"type": "string", "minLength": 100000}, "minLength"),
        ({"type": "string", "pattern": "^a{5000}$"}, "pattern"),
    ):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.create(
                model=BUNDLED_ID,
                messages=[{"role": "user", "content": "x"}],
                max_tokens=4,
                response_format={"type": "json_schema", "json_schema": {"name": "s", "schema": absurd}},
            )
        assert field in caught.value.body["message"] and caught.value.body["param"] == "response_format"


def test_embeddings_dimensions_and_token_ids(client) -> None:
    full = client.embeddings.create(model=BUNDLED_ID, input="A cat sat.", encoding_format="float")
    short = client.embeddings.create(
        model=BUNDLED_ID, input="A cat sat.", dimensions=64, encoding_format="float"
    )
    vector = short.data[0].embedding
    assert len(vector) == 64 and math.isclose(math.fsum(x * x for x in vector), 1.0, rel_tol=1e-4)
    head = full.data[0].embedding[:64]
    norm = math.sqrt(math.fsum(x * x for x in head))
    assert max(abs(a - b / norm) for a, b in zip(vector, head, strict=False)) < 1e-5
    with pytest.raises(openai.BadRequestError) as caught:
        client.embeddings.create(model=BUNDLED_ID, input="x", dimensions=10**6)
    assert caught.value.body["param"] == "dimensions"
    by_ids = client.embeddings.create(
        model=BUNDLED_ID, input=[[1000, 2000, 3000], [42]], encoding_format="float"
    )
    assert len(by_ids.data) == 2 and by_ids.usage.prompt_tokens == 4


def test_cached_tokens_are_reported(client) -> None:
    messages = [
        {"role": "system", "content": "You are a helpful assistant. " * 10},
        {"role": "user", "content": "Hi"},
    ]
    client.chat.completions.create(model=BUNDLED_ID, messages=messages, max_tokens=2, temperature=0)
    again = client.chat.completions.create(model=BUNDLED_ID, messages=messages, max_tokens=2, temperature=0)
    assert again.usage.prompt_tokens_details.cached_tokens > 20


def test_a_grammar_llama_cpp_refuses_is_a_400_before_the_stream_starts(client) -> None:
    # Left recursion: the Python converter writes it, llama.cpp's parser refuses it (it used to segfault).
    schema = {"type": "array", "items": {"$ref": "#/$defs/d"}, "$defs": {"d": {"$ref": "#/$defs/d"}}}
    fmt = {"type": "json_schema", "json_schema": {"name": "s", "schema": schema}}
    for stream in (False, True):
        with pytest.raises(openai.BadRequestError) as caught:
            reply = client.chat.completions.create(
                model=BUNDLED_ID,
                messages=[{"role": "user", "content": "x"}],
                max_tokens=4,
                response_format=fmt,
                stream=stream,
            )
            if stream:
                list(reply)
        assert caught.value.body["param"] == "response_format"
    assert (
        client.chat.completions.create(
            model=BUNDLED_ID, messages=[{"role": "user", "content": "Hi"}], max_tokens=2, temperature=0
        )
        .choices[0]
        .message.content
        is not None
    )
