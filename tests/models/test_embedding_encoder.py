"""An encoder embedding model (BERT/e5 architecture) embeds many texts in one call without llama.cpp
aborting ("encoder requires n_ubatch >= n_tokens"): the engine keeps each batch within one physical
batch. Uses a small random-weight BERT with the bench's unigram vocabulary (bench/random_e5_small.py)."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench_module(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(BENCH))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


@pytest.mark.timeout(300)
def test_encoder_embeds_a_batch_larger_than_one_physical_batch(tmp_path: Path) -> None:
    from models.documents import open_embedder

    corpus = _bench_module("bench_documents")
    generator = _bench_module("random_e5_small")
    model = generator.write_random_e5_small(
        tmp_path / "bert.gguf", corpus.japanese_text, n_layer=1, n_vocab=6000
    )
    texts = [corpus.japanese_text(random.Random(i), 380) for i in range(12)]  # ~200 tokens each
    with open_embedder(model, n_threads=1) as embedder:
        assert embedder.note == ""  # recognised as an embedding model
        vectors = embedder.embed(texts)
    assert vectors.shape == (12, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-4)


@pytest.mark.timeout(300)
def test_e5_gets_its_query_and_passage_prefixes(tmp_path: Path) -> None:
    """multilingual-e5 was trained on "query: …" and "passage: …"; without them it finds less."""
    from models.documents import open_collection, open_embedder
    from models.documents.embedder import embed_query, make_identity

    corpus = _bench_module("bench_documents")
    generator = _bench_module("random_e5_small")

    def sample(rng: random.Random, chars: int) -> str:  # a vocabulary that can spell the prefixes
        return corpus.japanese_text(rng, chars) + " query: passage: " * 200

    model = generator.write_random_e5_small(
        tmp_path / "multilingual-e5-small-q8_0.gguf", sample, n_layer=1, n_vocab=6000
    )
    plain = tmp_path / "plain-bert.gguf"
    plain.write_bytes(model.read_bytes())
    text = corpus.japanese_text(random.Random(3), 60)
    with open_embedder(model, n_threads=1) as e5, open_embedder(plain, n_threads=1) as bert:
        raw = bert.embed([text, f"passage: {text}", f"query: {text}"])  # no prefixes of its own
        np.testing.assert_allclose(e5.embed([text])[0], raw[1], atol=1e-5)
        np.testing.assert_allclose(embed_query(e5, text), raw[2], atol=1e-5)
        assert not np.allclose(raw[0], raw[1], atol=1e-3)
        # Vectors made without the prefixes are not mixed with new ones: the identity differs.
        assert e5.identity.endswith("|prefixed") and not bert.identity.endswith("|prefixed")
        assert e5.identity == make_identity(model, 384)
        # Search goes through the query prefix too.
        folder = tmp_path / "notes"
        folder.mkdir()
        (folder / "a.md").write_text(text, encoding="utf-8")
        collection = open_collection("prefixed", create=True)
        collection.add_sources([folder])
        from models.documents import index_collection

        index_collection(collection, e5)
        calls = e5.calls
        assert collection.search(text[:10], e5, k=1).passages
        assert e5.calls == calls + 1
