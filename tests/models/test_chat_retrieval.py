"""The chat's retrieval on our own Japanese/English test set: keyword search finds every keyword
question; a generated tiny embedding GGUF runs the whole vector path (hybrid ranking, vector
scores); several collections merge; a missing one is named. Figures: bench/bench_chat_retrieval.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from models.documents import index_collection, open_collection
from models.documents.answer import gather
from models.documents.embedder import EngineEmbedder, is_embedding_model, open_embedder
from tests.models.retrieval_set import QUESTIONS, hit_rates, write_documents
from tests.models.tiny_embedding import write_tiny_embedding_gguf


@pytest.fixture(scope="module")
def tiny_embedder(tmp_path_factory, bundled_model: Path) -> Iterator[EngineEmbedder]:
    path = write_tiny_embedding_gguf(tmp_path_factory.mktemp("tiny") / "tiny-embedder.gguf", bundled_model)
    assert is_embedding_model(path)
    with open_embedder(path, n_threads=1) as embedder:
        assert embedder.note == ""  # an embedding model: no "chat model embeddings" note
        yield embedder


def _indexed(tmp_path: Path, embedder: EngineEmbedder, name: str = "notes"):
    collection = open_collection(name, create=True)
    collection.add_sources([write_documents(tmp_path / name)])
    report = index_collection(collection, embedder)
    assert report.failed == [] and report.added == 8
    return collection


def _search(name, embedder_for):
    return lambda question, k: [s.path for s in gather([name], question, embedder_for, k=k).sources]


def test_keyword_search_finds_every_keyword_question(tmp_path, tiny_embedder) -> None:
    _indexed(tmp_path, tiny_embedder)
    rates = hit_rates(_search("notes", None), k=3)
    assert rates["keyword"] == (1.0, 1.0)
    found = gather(["notes"], "有給休暇の申請", None)
    assert found.keyword_only == ["notes"] and Path(found.sources[0].path).name == "休暇.txt"


def test_tiny_embedding_model_runs_the_vector_path(tmp_path, tiny_embedder) -> None:
    collection = _indexed(tmp_path, tiny_embedder)
    result = collection.search("Where do visitors park?", tiny_embedder, k=3)
    assert result.notes == () and any(p.vector_score is not None for p in result.passages)
    assert Path(result.passages[0].path).name == "parking.md"
    rates = hit_rates(_search("notes", lambda _c: tiny_embedder), k=3)
    assert rates["keyword"][1] == 1.0  # vectors never push a keyword match out of the top 3
    assert 0.0 <= rates["paraphrase"][1] <= 1.0 and len(QUESTIONS) == 18


def test_gather_merges_collections_and_names_missing_ones(tmp_path, tiny_embedder) -> None:
    _indexed(tmp_path, tiny_embedder, "first")
    _indexed(tmp_path, tiny_embedder, "second")
    found = gather(["first", "second", "gone"], "coffee machine descaled", None, k=4)
    assert found.missing == ["gone"]
    assert {s.collection for s in found.sources} == {"first", "second"}
    assert [s.score for s in found.sources] == sorted((s.score for s in found.sources), reverse=True)
