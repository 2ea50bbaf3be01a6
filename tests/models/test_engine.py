"""The engine with the real bundled model: chat, streaming, cancel, overflow, crash isolation."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from models.engine import Engine
from models.errors import EngineCrashedError, ModelFileError
from models.events import EngineCrashed, ErrorEvent, Finished, LoadConfig, SamplingParams, Token

GREEDY = SamplingParams(temperature=0.0, max_tokens=40, repeat_penalty=1.0)


@pytest.fixture(scope="module")
def engine(bundled_model: Path):
    with Engine.start(LoadConfig(model_path=str(bundled_model), n_ctx=1024)) as running:
        yield running


def collect(events) -> tuple[list[Token], Finished | ErrorEvent | EngineCrashed]:
    tokens: list[Token] = []
    last = None
    for event in events:
        if isinstance(event, Token):
            tokens.append(event)
        else:
            last = event
    assert last is not None
    return tokens, last


def test_reports_what_it_loaded(engine: Engine) -> None:
    info = engine.info
    assert info.architecture == "llama"
    assert info.backend == "cpu" and info.n_gpu_layers == 0
    assert info.n_ctx == 1024
    assert info.chat_template and "<|im_start|>" in info.chat_template
    assert info.tokenizer == "llama.cpp"
    assert info.memory_bytes > 50_000_000


def test_greedy_chat_knows_the_capital_of_japan(engine: Engine) -> None:
    messages = [{"role": "user", "content": "What is the capital of Japan? Answer in one word."}]
    tokens, finished = collect(engine.chat(messages, GREEDY))
    assert isinstance(finished, Finished), finished
    assert "Tokyo" in finished.text
    assert "".join(t.text for t in tokens) == finished.text
    assert finished.reason in ("stop", "length")
    assert finished.completion_tokens >= 1 and finished.tokens_per_second > 0
    assert "<|im_end|>" not in finished.text


def test_japanese_streams_whole_characters_only(engine: Engine) -> None:
    # A grammar forces Japanese output, which the byte-level BPE vocabulary splits inside characters.
    sentence = "東京は日本の首都です。富士山も有名です。"
    params = SamplingParams(temperature=0.0, max_tokens=80, grammar=f'root ::= "{sentence}"')
    tokens, finished = collect(engine.generate("Write a sentence in Japanese:", params))
    assert isinstance(finished, Finished), finished
    assert finished.text == sentence
    assert all("\ufffd" not in t.text for t in tokens)
    assert "".join(t.text for t in tokens) == sentence
    # Some tokens carried only part of a character: fewer text events than generated tokens.
    assert len(tokens) < finished.completion_tokens


def test_same_seed_same_answer(engine: Engine) -> None:
    params = SamplingParams(temperature=0.9, max_tokens=24, seed=1234)
    messages = [{"role": "user", "content": "Tell me a short story."}]
    first = collect(engine.chat(messages, params))[1]
    second = collect(engine.chat(messages, params))[1]
    assert isinstance(first, Finished) and isinstance(second, Finished)
    assert first.text == second.text


def test_stop_string_ends_the_answer(engine: Engine) -> None:
    params = SamplingParams(
        temperature=0.0, max_tokens=60, grammar='root ::= "one, two, three, four"', stop=(", three",)
    )
    _, finished = collect(engine.generate("Count:", params))
    assert isinstance(finished, Finished)
    assert finished.text == "one, two" and finished.reason == "stop"


def test_cancel_stops_within_one_token(bundled_model: Path) -> None:
    # Every token is its own event here (by default the engine batches text every 20 ms), so the
    # count of tokens seen when cancelling is exact.
    config = LoadConfig(model_path=str(bundled_model), n_ctx=512, extra={"stream_interval": 0.0})
    params = SamplingParams(temperature=0.8, max_tokens=400, seed=7, repeat_penalty=1.0)
    seen = 0
    finished = None
    with Engine.start(config) as engine:
        for event in engine.chat([{"role": "user", "content": "Write a long essay about the sea."}], params):
            if isinstance(event, Token):
                seen += len(event.token_ids)
                if seen == 3:
                    threading.Thread(target=engine.cancel).start()
            else:
                finished = event
    assert isinstance(finished, Finished)
    assert finished.reason == "cancelled"
    assert finished.completion_tokens <= 3 + 2  # the token in flight when cancel arrived, at most one more


def test_text_is_batched_but_nothing_is_lost(engine: Engine) -> None:
    params = SamplingParams(temperature=0.0, max_tokens=48, repeat_penalty=1.0)
    tokens, finished = collect(engine.chat([{"role": "user", "content": "Describe Mount Fuji."}], params))
    assert isinstance(finished, Finished)
    assert "".join(t.text for t in tokens) == finished.text
    assert sum(len(t.token_ids) for t in tokens) <= finished.completion_tokens
    assert len(tokens[0].token_ids) == 1  # the first piece is sent at once


def test_abandoned_stream_leaves_the_engine_in_step(engine: Engine) -> None:
    stream = engine.chat(
        [{"role": "user", "content": "Count to one hundred."}], SamplingParams(max_tokens=200)
    )
    next(iter(stream))
    stream.close()  # the caller stopped listening
    assert engine.tokenize("hello", add_special=False) == engine.tokenize("hello", add_special=False)
    _, finished = collect(engine.chat([{"role": "user", "content": "Say hi."}], GREEDY))
    assert isinstance(finished, Finished)


def test_context_overflow_drops_oldest_turns_and_keeps_system(bundled_model: Path) -> None:
    system = {"role": "system", "content": "You are Tomoshibi. Always be brief."}
    filler = "The quick brown fox jumps over the lazy dog. " * 12
    history = []
    for i in range(8):
        history += [
            {"role": "user", "content": f"Turn {i}: {filler}"},
            {"role": "assistant", "content": filler},
        ]
    messages = [system, *history, {"role": "user", "content": "What is the capital of France?"}]
    with Engine.start(LoadConfig(model_path=str(bundled_model), n_ctx=512)) as small:
        assert small.count_tokens(messages) > 512
        _, finished = collect(small.chat(messages, SamplingParams(temperature=0, max_tokens=32)))
        assert isinstance(finished, Finished), finished
        assert finished.dropped_turns > 0
        assert any("left out" in note for note in finished.notes)
        # The prompt that was used still starts with the system prompt.
        kept = [system, *history[2 * finished.dropped_turns :], messages[-1]]
        assert small.count_tokens(kept) + 32 <= 512
        assert small.render(kept).startswith("<|im_start|>system\nYou are Tomoshibi.")


def test_crash_is_reported_and_a_new_engine_works(bundled_model: Path) -> None:
    config = LoadConfig(model_path=str(bundled_model), n_ctx=512)
    crashed = Engine.start(config)
    try:
        partial = ""
        last = None
        for event in crashed.chat(
            [{"role": "user", "content": "Write a poem."}], SamplingParams(max_tokens=200, seed=3)
        ):
            if isinstance(event, Token):
                partial += event.text
                if len(partial) > 5:
                    crashed._debug_abort()  # the engine process calls os.abort() at the next token
            else:
                last = event
        assert isinstance(last, EngineCrashed)
        assert last.exit_code == -6 and "SIGABRT" in last.message
        assert last.partial_text == partial and partial
        assert not crashed.alive
        with pytest.raises(EngineCrashedError, match="Reload"):
            crashed.tokenize("x")
    finally:
        crashed.close()
    with Engine.start(config) as fresh:
        assert fresh.tokenize("hello")


def test_crash_while_idle(bundled_model: Path) -> None:
    with Engine.start(LoadConfig(model_path=str(bundled_model), n_ctx=256)) as engine:
        engine._debug_abort()
        engine._process.join(10)
        with pytest.raises(EngineCrashedError):
            list(engine.chat([{"role": "user", "content": "hi"}]))


def test_missing_and_corrupt_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match="does not exist"):
        Engine.start(LoadConfig(model_path=str(tmp_path / "nope.gguf")))
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"this is not a model" * 10)
    with pytest.raises(ModelFileError):
        Engine.start(LoadConfig(model_path=str(junk)))


def test_tokenize_round_trip(engine: Engine) -> None:
    text = "Hello, 世界! こんにちは 🎉"
    ids = engine.tokenize(text, add_special=False)
    assert engine.detokenize(ids) == text


def test_pieces_longer_than_32_bytes_are_not_truncated(engine: Engine) -> None:
    # SmolLM2's vocabulary has single tokens of 80 '#' and of a newline plus 80 spaces;
    # llama-cpp-python's own detokenize cuts every piece at 32 bytes.
    rule = "#" * 80
    ids = engine.tokenize(rule, add_special=False)
    assert len(ids) == 1
    assert engine.detokenize(ids) == rule
    params = SamplingParams(temperature=0.0, max_tokens=100, grammar=f'root ::= "{rule}"')
    tokens, finished = collect(engine.generate("A horizontal rule in Markdown comments:", params))
    assert isinstance(finished, Finished)
    assert finished.text == rule and "".join(t.text for t in tokens) == rule


def test_embeddings_are_normalized(bundled_model: Path) -> None:
    with Engine.start(LoadConfig(model_path=str(bundled_model), n_ctx=512, embedding=True)) as engine:
        vectors = engine.embed(["東京は日本の首都です。", "Tokyo is the capital of Japan."])
        assert len(vectors) == 2 and len(vectors[0]) == 576
        for vector in vectors:
            assert abs(sum(x * x for x in vector) - 1.0) < 1e-3
