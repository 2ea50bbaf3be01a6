"""Streaming text: whole UTF-8 characters only, stop strings, newline markers."""

from models.textstream import TextStream


def feed_all(stream: TextStream, chunks: list[bytes]) -> list[str]:
    out = [stream.feed(c) for c in chunks]
    out.append(stream.flush())
    return out


def test_japanese_split_across_byte_tokens_is_never_shown_half() -> None:
    data = "東京は日本の首都です。".encode()
    stream = TextStream()
    pieces = feed_all(stream, [bytes([b]) for b in data])
    for piece in pieces:
        assert "\ufffd" not in piece
    assert "".join(pieces) == "東京は日本の首都です。"
    # Each character appears exactly when its last byte arrives.
    assert [p for p in pieces if p] == list("東京は日本の首都です。")


def test_stop_string_is_cut_and_never_shown_even_when_split() -> None:
    stream = TextStream(stop=["<|im_end|>"])
    pieces = feed_all(stream, [b"Hello", b" there<|im", b"_end|>", b" more"])
    assert "".join(pieces) == "Hello there"
    assert stream.stopped


def test_text_that_only_looked_like_a_stop_is_released() -> None:
    stream = TextStream(stop=["STOP"])
    assert stream.feed(b"ST") == ""
    assert stream.feed(b"AR") == "STAR"


def test_newline_marker_becomes_newline_and_stop_uses_newlines() -> None:
    stream = TextStream(stop=["<NL>ユーザー:"], newline_marker="<NL>")
    pieces = feed_all(stream, ["一行目<N".encode(), "L>二行目<NL>ユー".encode(), "ザー: 次".encode()])
    assert "".join(pieces) == "一行目\n二行目"
    assert stream.stopped


def test_a_character_cut_off_at_the_end_is_dropped() -> None:
    stream = TextStream()
    assert stream.feed(b"ok\xe6\x9d") == "ok"  # the first two of 本's three bytes: the limit came
    assert stream.flush() == "" and stream.text == "ok"


def test_invalid_bytes_inside_become_replacement_character() -> None:
    stream = TextStream()
    assert stream.feed(b"a\xff") + stream.feed(b"b") + stream.flush() == "a\ufffdb"
