"""Chunker properties for Japanese and English: whole sentences, bounded sizes, real overlap."""

from __future__ import annotations

import random

import pytest

from models.documents.chunking import chunk_text, split_sentences

JA_ENDS = "。！？｡!?"


def japanese_text(seed: int, sentences: int = 60) -> tuple[str, list[str]]:
    rng = random.Random(seed)
    pool = "日本語の文章を区切るときは句読点を手がかりにします東京大阪京都名古屋桜雪山川海空"
    made = []
    for _ in range(sentences):
        body = "".join(rng.choice(pool) for _ in range(rng.randint(4, 45)))
        if rng.random() < 0.2:
            body = "「" + body + rng.choice(JA_ENDS) + "」"
            made.append(body)
        else:
            made.append(body + rng.choice(JA_ENDS))
    return "".join(made), made


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("size", "overlap"), [(60, 20), (120, 40), (200, 0)])
def test_japanese_chunks_keep_sentences_whole_and_bounded(seed: int, size: int, overlap: int) -> None:
    text, sentences = japanese_text(seed)
    chunks = chunk_text(text, size, overlap)
    assert all(0 < len(c.text) <= size for c in chunks)
    assert all(text[c.start : c.end] == c.text for c in chunks)
    # Every sentence that fits in a chunk lies whole inside one chunk: no cut in mid-sentence.
    for sentence in sentences:
        if len(sentence) <= size:
            assert any(sentence in c.text for c in chunks), sentence
    # Chunks end at a sentence end (the text is one run of sentences, no over-long ones here).
    for c in chunks[:-1]:
        assert c.text[-1] in JA_ENDS + "」", c.text[-12:]
    # Together they cover the text, in order, with the overlap respected.
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for prev, nxt in zip(chunks, chunks[1:], strict=False):
        assert prev.start < nxt.start <= prev.end  # progress, and no gap
        assert prev.end - nxt.start <= overlap


def test_overlap_repeats_the_last_sentence_when_it_fits() -> None:
    text = "一つ目の文です。二つ目の文です。三つ目の文です。四つ目の文です。五つ目の文です。"
    chunks = chunk_text(text, size=24, overlap=10)
    assert [c.text for c in chunks] == [
        "一つ目の文です。二つ目の文です。三つ目の文です。",
        "三つ目の文です。四つ目の文です。五つ目の文です。",
    ]


def test_no_overlap_means_disjoint_chunks() -> None:
    text, _ = japanese_text(7)
    chunks = chunk_text(text, 80, 0)
    assert "".join(c.text for c in chunks) == text


def test_a_sentence_longer_than_the_size_is_cut_at_commas_then_hard() -> None:
    long_sentence = "、".join(["東京から大阪まで"] * 20) + "。"
    chunks = chunk_text(long_sentence, 50, 10)
    assert all(len(c.text) <= 50 for c in chunks)
    assert all(c.text.endswith(("、", "。")) for c in chunks)
    no_breaks = "あ" * 130
    hard = chunk_text(no_breaks, 50, 0)
    assert [len(c.text) for c in hard] == [50, 50, 30]


def test_halfwidth_and_fullwidth_sentence_ends() -> None:
    spans = split_sentences("ｶﾀｶﾅです｡はい!本当?ええ！そう？うん．")
    parts = ["ｶﾀｶﾅです｡", "はい!", "本当?", "ええ！", "そう？", "うん．"]
    text = "".join(parts)
    assert [text[s:e] for s, e in spans] == parts


def test_english_sentences_paragraphs_and_abbreviations() -> None:
    text = (
        "Mr. Smith went to Washington. He took the train!\n\n"
        "A new paragraph starts here. It mentions e.g. apples and 3.14 as a number."
    )
    sentences = [text[s:e].strip() for s, e in split_sentences(text)]
    sentences = [s for s in sentences if s]
    assert sentences == [
        "Mr. Smith went to Washington.",
        "He took the train!",
        "A new paragraph starts here.",
        "It mentions e.g. apples and 3.14 as a number.",
    ]
    chunks = chunk_text(text, 60, 0)
    assert all(len(c.text) <= 60 for c in chunks)
    assert any(c.text == "Mr. Smith went to Washington. He took the train!" for c in chunks)


def test_empty_and_invalid_arguments() -> None:
    assert chunk_text("") == []
    assert chunk_text("   \n\n  ") == []
    with pytest.raises(ValueError):
        chunk_text("x", 10, 10)
    with pytest.raises(ValueError):
        chunk_text("x", 0, 0)
