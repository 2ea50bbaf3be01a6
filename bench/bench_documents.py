"""Local documents: indexing throughput and query latency. Run by hand:

    .venv/bin/python bench/bench_documents.py [--sizes 10000 100000] [--files 24] [--queries 30]
    .venv/bin/python bench/bench_documents.py --embedding-model random-e5-small --type q8_0 --threads 2 --indexing-only
    .venv/bin/python bench/bench_documents.py --embedding-model random-ruri-v3-30m --type q4_0 --threads 2 --indexing-only

1. Indexing: a generated corpus (English and Japanese .txt/.md) indexed with the real bundled
   model's pooled embeddings (SmolLM2-135M in an engine process): chunks per second, end to end.
2. Query latency at N chunks: a collection filled with synthetic text (FTS5 trigram rows, Zipf
   word frequencies) and vectors of the bundled model's size, twice: isotropic random vectors
   (the worst case: exact brute force) and vectors shaped like sentence embeddings (a shared
   direction, topics, noise: the exact pruned search applies). Medians of repeated hybrid searches
   (vector top-k + BM25 + fusion + passage lookup) with the query vector given; the time to embed
   a query with the real model is reported by part 1. All figures come from this one run.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

FUNCTION_WORDS = "the of and to in is for on that with as by it was be at from this are or an".split()
TOPIC_WORDS = (
    "model memory file document answer question search index vector engine token context window "
    "solar battery panel bread starter volcano mountain river train station ticket library report "
    "budget meeting schedule invoice contract policy customer server network backup password kernel "
    "driver compiler pointer thread process signal socket database migration schema table"
).split()
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["an", "en", "in", "on", "ar", "er"]


def _vocabulary(size: int = 20000) -> tuple[list[str], list[float]]:
    """Function words, topic words, then pseudo-words, with Zipf weights: text with a realistic spread."""
    rng = random.Random(42)
    words = list(FUNCTION_WORDS) + list(TOPIC_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))


EN_VOCAB, EN_WEIGHTS = _vocabulary()
JA_CHARS = [chr(0x4E00 + i) for i in range(2500)]  # 2,500 kanji, Zipf-weighted like real text
JA_WEIGHTS = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(JA_CHARS))))
JA_KANA = "のはがをにでとへもやかなするいます"


def english_text(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    length = 0
    while length < chars:
        sentence = (
            " ".join(rng.choices(EN_VOCAB, cum_weights=EN_WEIGHTS, k=rng.randint(6, 16))).capitalize() + ". "
        )
        out.append(sentence)
        length += len(sentence)
    return "".join(out)


def japanese_text(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    length = 0
    while length < chars:
        pieces = []
        for _ in range(rng.randint(4, 10)):
            pieces.append("".join(rng.choices(JA_CHARS, cum_weights=JA_WEIGHTS, k=rng.randint(1, 3))))
            pieces.append(rng.choice(JA_KANA))
        body = "".join(pieces) + "。"
        out.append(body)
        length += len(body)
    return "".join(out)


class FixedQueryEmbedder:
    """Returns prepared query vectors: isolates retrieval latency from model speed."""

    def __init__(self, identity: str, dims: int, vectors: np.ndarray) -> None:
        self.identity, self.dims, self.note = identity, dims, ""
        self._vectors = vectors
        self._next = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        row = self._vectors[self._next % len(self._vectors)]
        self._next += 1
        return row.reshape(1, -1)


# Random-weight encoders of real models' shapes (bench/random_e5_small.py): name, writer.
RANDOM_ENCODERS = {
    "random-e5-small": ("multilingual-e5-small", "write_random_e5_small"),
    "random-ruri-v3-30m": ("ruri-v3-30m", "write_random_ruri_v3_30m"),
}


def bench_indexing(
    files: int, workdir: Path, threads: int | None, model: Path | None = None, japanese_only: bool = False
) -> tuple[float, int, float, int]:
    from models.documents import index_collection, open_collection, open_embedder

    rng = random.Random(1)
    folder = workdir / "corpus"
    folder.mkdir()
    for n in range(files):
        if n % 2 and not japanese_only:
            (folder / f"en{n}.txt").write_text(english_text(rng, 1200), encoding="utf-8")
        else:
            (folder / f"ja{n}.md").write_text("# 見出し\n\n" + japanese_text(rng, 800), encoding="utf-8")
    collection = open_collection("bench-index", create=True)
    collection.add_sources([folder])
    import psutil

    with open_embedder(model, n_threads=threads) as embedder:
        # The engine's own CPU time as well as the wall time: on a machine shared with other busy
        # processes the wall figure measures the load; chunks per engine CPU-second does not.
        engine = psutil.Process(embedder._engine.pid)
        cpu_before = sum(engine.cpu_times()[:2])
        started = time.perf_counter()
        report = index_collection(collection, embedder)
        seconds = time.perf_counter() - started
        cpu_seconds = sum(engine.cpu_times()[:2]) - cpu_before
        print(
            f"indexing CPU: {report.embedded_chunks / max(cpu_seconds, 1e-9):.1f} chunks per engine CPU-second "
            f"({cpu_seconds:.1f} CPU-s over {seconds:.1f} s wall)"
        )
        # Query embedding with the real model (what a search pays on top of retrieval).
        timings = []
        for query in [
            "How do I back up the database?",
            "東京の会議の予算について",
            "solar battery",
            "図書館",
        ] * 3:
            t0 = time.perf_counter()
            embedder.embed([query])
            timings.append(time.perf_counter() - t0)
        dims = embedder.dims
    return report.embedded_chunks / seconds, report.embedded_chunks, statistics.median(timings) * 1000, dims


def structured_vectors(rng: np.random.Generator, count: int, dims: int) -> np.ndarray:
    """Vectors shaped like sentence embeddings: a shared direction, a few dozen topics, noise."""
    topics = np.random.default_rng(7).standard_normal((32, dims)).astype(np.float32)
    mix = rng.standard_normal((count, 32)).astype(np.float32)
    out = 3.0 + mix @ topics + 0.3 * rng.standard_normal((count, dims)).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def random_vectors(rng: np.random.Generator, count: int, dims: int) -> np.ndarray:
    """Isotropic unit vectors: the worst case, no structure for pruning to use."""
    out = rng.standard_normal((count, dims)).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


KINDS = {"random": random_vectors, "structured": structured_vectors}


def build_synthetic(
    name: str, chunks: int, dims: int, rng: random.Random
) -> tuple[Any, dict[str, np.ndarray]]:
    """A collection of ``chunks`` synthetic passages with random vectors (and the structured set to swap in)."""
    from models.documents import open_collection, store

    collection = open_collection(name, create=True)
    db = collection.db
    nprng = np.random.default_rng(0)
    per_doc = 50
    matrices = {kind: make(nprng, chunks, dims) for kind, make in KINDS.items()}
    with db:
        for start in range(0, chunks, per_doc):
            doc = db.execute(
                "INSERT INTO documents (path, hash, size, mtime, status) VALUES (?, '', 0, 0, 'ok')",
                (f"/synthetic/{name}/doc{start // per_doc}.txt",),
            ).lastrowid
            count = min(per_doc, chunks - start)
            texts = [
                english_text(rng, 300) if (start + i) % 3 else japanese_text(rng, 200) for i in range(count)
            ]
            store.add_trigram_stats(db, texts)
            for i, text in enumerate(texts):
                cid = db.execute(
                    "INSERT INTO chunks (document_id, ord, text, page, section, start) VALUES (?, ?, ?, NULL, NULL, 0)",
                    (doc, i, text),
                ).lastrowid
                db.execute(
                    "INSERT INTO vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
                    (cid, f"random|bench|{dims}", matrices["random"][start + i].tobytes()),
                )
        store.bump_generation(db)
    return collection, matrices


def bench_latency(size: int, dims: int, queries: int) -> dict[str, dict[str, float]]:
    from models.documents import store

    rng = random.Random(size)
    started = time.perf_counter()
    collection, matrices = build_synthetic(f"bench-{size}", size, dims, rng)
    build_seconds = time.perf_counter() - started
    kanji = JA_CHARS
    texts = [
        "How do I back up the database server?",
        "contract invoice customer",
        f"{kanji[40]}{kanji[300]}の{kanji[7]}{kanji[900]}について教えてください",  # a Japanese question
        f"{kanji[120]}{kanji[450]}{kanji[33]}",
        f"{kanji[5]}{kanji[60]}",  # two characters: expanded through the trigram counts
        "kernel driver thread signal",
        f"{EN_VOCAB[5000]} {EN_VOCAB[12000]}",  # rare words
    ]
    results: dict[str, dict[str, float]] = {}
    nprng = np.random.default_rng(1)
    for kind, matrix in matrices.items():
        identity = f"{kind}|bench|{dims}"
        db = collection.db
        with db:
            store.set_meta(db, "embedder", identity)
            if kind != "random":  # one vector per chunk: swap the set in
                ids = [r[0] for r in db.execute("SELECT id FROM chunks ORDER BY id")]
                db.execute("DELETE FROM vectors")
                db.executemany(
                    "INSERT INTO vectors (chunk_id, model, vector) VALUES (?, ?, ?)",
                    [(cid, identity, matrix[i].tobytes()) for i, cid in enumerate(ids)],
                )
                store.bump_generation(db)
        # Queries close to some passage, as real questions are.
        qvec = matrix[nprng.choice(size, queries)] + 0.05 * nprng.standard_normal((queries, dims)).astype(
            np.float32
        )
        qvec /= np.linalg.norm(qvec, axis=1, keepdims=True)
        embedder = FixedQueryEmbedder(identity, dims, qvec)
        t0 = time.perf_counter()
        index = collection.vector_index(embedder)  # loaded once per collection; reported separately
        load_ms = (time.perf_counter() - t0) * 1000
        collection.search(texts[0], embedder, k=5)  # warm the page cache
        hybrid: list[float] = []
        per_kind: dict[str, list[float]] = {t: [] for t in texts}
        vector_only: list[float] = []
        keyword_only: list[float] = []
        for n in range(queries):
            text = texts[n % len(texts)]
            t = time.perf_counter()
            collection.search(text, embedder, k=5)
            elapsed = (time.perf_counter() - t) * 1000
            hybrid.append(elapsed)
            per_kind[text].append(elapsed)
            t = time.perf_counter()
            index.search(qvec[n], 20)
            vector_only.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            collection.search(text, None, k=5)
            keyword_only.append((time.perf_counter() - t) * 1000)
        figures = {
            "build_s": build_seconds,
            "load_ms": load_ms,
            "pruning": float(index.pruning),
            "hybrid_median_ms": statistics.median(hybrid),
            "hybrid_max_ms": max(hybrid),
            "vector_median_ms": statistics.median(vector_only),
            "keyword_median_ms": statistics.median(keyword_only),
        }
        for text, values in per_kind.items():
            figures[f"q:{text}"] = statistics.median(values)
        results[kind] = figures
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--files", type=int, default=12, help="files in the indexing corpus")
    parser.add_argument("--queries", type=int, default=36, help="searches per size (median reported)")
    parser.add_argument("--skip-indexing", action="store_true")
    parser.add_argument("--indexing-only", action="store_true", help="skip the query-latency part")
    parser.add_argument(
        "--embedding-model",
        default="bundled",
        help="'bundled' (SmolLM2-135M's pooled states), 'random-e5-small' or 'random-ruri-v3-30m' (a "
        "random-weight GGUF of that model's architecture and size, generated once into --cache; "
        "Japanese text only), or a GGUF path",
    )
    parser.add_argument(
        "--type",
        choices=["f16", "bf16", "q8_0", "q4_0"],
        default="q8_0",
        help="weight type of the random e5-small GGUF (q8_0: what the library's CPU recommendation downloads)",
    )
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tomoshibi-bench-models")
    parser.add_argument(
        "--threads", type=int, default=None, help="embedding engine threads (default: the engine's)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tomoshibi-bench-") as tmp:
        os.environ["TOMOSHIBI_HOME"] = tmp
        dims = 576  # SmolLM2-135M's hidden size: what the bundled model's vectors have
        if not args.skip_indexing:
            model, label, japanese_only = None, "bundled SmolLM2-135M embeddings", False
            if args.embedding_model in RANDOM_ENCODERS:
                import random_e5_small

                name, writer = RANDOM_ENCODERS[args.embedding_model]
                model = args.cache / f"random-{name}-{args.type}.gguf"
                if not model.exists():
                    args.cache.mkdir(parents=True, exist_ok=True)
                    getattr(random_e5_small, writer)(model, japanese_text, args.type)
                label = f"random-weight {name} {args.type.upper()}, Japanese text"
                japanese_only = True
            elif args.embedding_model != "bundled":
                model, label = Path(args.embedding_model), f"{Path(args.embedding_model).name}, Japanese text"
                japanese_only = True  # the goal (issue 14) is stated for Japanese text
            rate, count, query_ms, dims = bench_indexing(
                args.files, Path(tmp), args.threads, model, japanese_only
            )
            print(
                f"indexing: {count} chunks at {rate:.1f} chunks/s ({label}, {os.cpu_count()} CPUs, "
                f"threads {args.threads or 'default'}, load average {os.getloadavg()[0]:.1f})"
            )
            print(f"query embedding: median {query_ms:.1f} ms")
        for size in [] if args.indexing_only else args.sizes:
            for kind, figures in bench_latency(size, dims, args.queries).items():
                print(
                    f"{size:>7} chunks, {dims} dims, {kind} vectors"
                    f"{' (pruned, exact)' if figures['pruning'] else ' (brute force)'}: hybrid search median "
                    f"{figures['hybrid_median_ms']:.1f} ms (max {figures['hybrid_max_ms']:.1f}); vector top-k alone "
                    f"{figures['vector_median_ms']:.1f} ms; keyword alone {figures['keyword_median_ms']:.1f} ms; "
                    f"matrix load {figures['load_ms']:.0f} ms (once); build {figures['build_s']:.0f} s"
                )
                for key, value in figures.items():
                    if key.startswith("q:"):
                        print(f"         {value:6.1f} ms  {key[2:]}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (this process): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
