"""Chat retrieval quality on our own test set (tests/models/retrieval_set.py). Run by hand:

    PYTHONPATH=$PWD .venv/bin/python bench/bench_chat_retrieval.py [-k 3]

Eight notes (four Japanese, four English) and eighteen questions, each with the file it should
find: ten share words (or 3-character runs) with their passage, eight are paraphrases that share
none. Hit@1 and hit@k for the chat's retrieval (``models.documents.answer.gather``) three ways:

1. keyword only (FTS5 trigram BM25; what the chat uses when no embedding model is installed),
2. hybrid with a tiny generated embedding GGUF (tests/models/tiny_embedding.py: a lexical
   bag-of-tokens embedder, which tests the path, not meaning),
3. hybrid with the bundled SmolLM2-135M's pooled embeddings (a chat model, not an embedder).

All three in this one run, on the same index.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=3)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="tomoshibi-bench-"))
    os.environ["TOMOSHIBI_HOME"] = str(home)

    from models.bundled import bundled_model_path
    from models.documents import index_collection, open_collection
    from models.documents.answer import gather
    from models.documents.embedder import open_embedder
    from tests.models.retrieval_set import QUESTIONS, hit_rates, write_documents
    from tests.models.tiny_embedding import write_tiny_embedding_gguf

    folder = write_documents(home / "notes")
    bundled = bundled_model_path()
    tiny = write_tiny_embedding_gguf(home / "tiny-embedder.gguf", bundled)
    rows = []
    for label, model in (("tiny embedding GGUF", tiny), ("bundled SmolLM2-135M", bundled)):
        name = "tiny" if model == tiny else "bundled"
        collection = open_collection(name, create=True)
        collection.add_sources([folder])
        with open_embedder(model, n_threads=1) as embedder:
            began = time.perf_counter()
            report = index_collection(collection, embedder)
            seconds = time.perf_counter() - began
            chunks = report.embedded_chunks
            if model == tiny:  # the same index, searched without vectors
                rows.append(
                    ("keyword only (FTS5 trigram)", hit_rates(_search(gather, name, None), args.k), None)
                )
            rows.append(
                (label, hit_rates(_search(gather, name, lambda _c, e=embedder: e), args.k), chunks / seconds)
            )
    kinds = ("keyword", "paraphrase", "all")
    counts = {kind: sum(1 for q in QUESTIONS if kind in (q[2], "all")) for kind in kinds}
    print(
        f"{len(QUESTIONS)} questions ({counts['keyword']} keyword, {counts['paraphrase']} paraphrase), k={args.k}"
    )
    print(
        f"{'retrieval':<30}"
        + "".join(f"{kind + ' @1/@' + str(args.k):>22}" for kind in kinds)
        + "   index chunks/s"
    )
    for label, rates, speed in rows:
        cells = "".join(f"{rates[kind][0]:>14.0%} / {rates[kind][1]:<5.0%}" for kind in kinds)
        print(f"{label:<30}{cells}   {'' if speed is None else f'{speed:.1f}'}")
    return 0


def _search(gather, name, embedder_for):
    return lambda question, k: [s.path for s in gather([name], question, embedder_for, k=k).sources]


if __name__ == "__main__":
    raise SystemExit(main())
