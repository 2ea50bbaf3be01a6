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
