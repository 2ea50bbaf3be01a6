"""Turning text into vectors: the Embedder protocol and the llama.cpp-backed implementation.

A dedicated GGUF embedding model (BERT-family, with a pooling type in its metadata) is preferred;
when none is installed the chat model's own pooled hidden states are used, which works but finds
paraphrases less reliably, so the embedder carries a note the UI shows.

Every vector is stored with the embedder's ``identity`` (file name, content digest, dimensions):
a collection embedded with another model is stale and gets re-embedded.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from models.errors import EngineError, ModelFileError

if TYPE_CHECKING:
    from models.engine import Engine

log = logging.getLogger(__name__)

# Architectures llama.cpp loads as encoders that produce sentence embeddings.
EMBEDDING_ARCHITECTURES = frozenset(
    {
        "bert",
        "nomic-bert",
        "nomic-bert-moe",
        "jina-bert-v2",
        "jina-bert-v3",
        "neo-bert",
        "modern-bert",
        "t5encoder",
    }
)
CHAT_MODEL_NOTE = (
    "No embedding model is installed, so the chat model's own embeddings are used; search finds "
    "reworded questions less reliably. Install a multilingual embedding model from the catalog."
)
EMBED_N_CTX = 2048
# llama.cpp embeds one text per batch of at most n_batch tokens (512 in the engine). A Japanese
# chunk can take two or three tokens a character in an English BPE, so long texts are shortened.
MAX_EMBED_TOKENS = 500


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalized float32 vectors of a fixed size."""

    @property
    def identity(self) -> str: ...

    @property
    def dims(self) -> int: ...

    @property
    def note(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def model_digest(path: Path) -> str:
    """A quick content digest: size plus the first and last MiB (hashing a multi-GB file would be slow)."""
    size = path.stat().st_size
    hasher = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        hasher.update(handle.read(1 << 20))
        if size > 2 << 20:
            handle.seek(-(1 << 20), 2)
            hasher.update(handle.read(1 << 20))
    return hasher.hexdigest()[:16]


def make_identity(path: Path, dims: int) -> str:
    query, passage = text_prefixes(path)
    # The prefixes change every vector: a collection embedded without them is re-embedded.
    marker = "|prefixed" if query or passage else ""
    return f"{path.name}|{model_digest(path)}|{dims}{marker}"


# Embedding models trained with a marker in front of queries and passages find far less without it
# (their model cards say so). Matched on the file name, which is what the catalog and users name.
_PREFIXES: tuple[tuple[str, tuple[str, str]], ...] = (
    ("ruri", ("検索クエリ: ", "検索文書: ")),
    ("e5", ("query: ", "passage: ")),  # multilingual-e5-small/base/large, e5-*-v2
    ("nomic-embed", ("search_query: ", "search_document: ")),
    (
        "qwen3-embedding",
        ("Instruct: Given a question, retrieve the passages that answer it\nQuery:", ""),
    ),
)


def text_prefixes(path: Path) -> tuple[str, str]:
    """(query prefix, passage prefix) the embedding model at ``path`` expects; empty when none."""
    name = path.name.lower()
    for key, prefixes in _PREFIXES:
        if re.search(rf"(^|[^a-z0-9]){re.escape(key)}([^a-z0-9]|$)", name):
            return prefixes
    return "", ""


def embed_query(embedder: Embedder, query: str) -> np.ndarray:
    """The vector of a search query (with the model's query prefix, when the embedder has one)."""
    method = getattr(embedder, "embed_query", None)
    return method(query) if method is not None else embedder.embed([query])[0]


def normalize(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


def is_embedding_model(path: Path) -> bool:
    """True when the GGUF is an encoder meant for sentence embeddings (not a chat model)."""
    from gguf import GGUFReader

    try:
        reader = GGUFReader(str(path))
    except Exception as error:
        raise ModelFileError(
            f"{path.name} is not a readable GGUF file ({error}).", "Choose another file."
        ) from error
    arch_field = reader.fields.get("general.architecture")
    if arch_field is None:
        return False
    if hasattr(arch_field, "contents"):
        arch = str(arch_field.contents())
    else:  # older gguf-py
        arch = bytes(arch_field.parts[arch_field.data[0]]).decode("utf-8", "replace")
    return arch in EMBEDDING_ARCHITECTURES or f"{arch}.pooling_type" in reader.fields


def find_embedding_models(folder: Path | None = None) -> list[Path]:
    """Embedding GGUFs installed in the models folder, by name."""
    from models.paths import models_dir

    root = folder or models_dir()
    found = []
    for path in sorted(root.rglob("*.gguf")):
        try:
            if is_embedding_model(path):
                found.append(path)
        except ModelFileError:
            log.debug("skipping unreadable GGUF %s", path)
    return found


class EngineEmbedder:
    """Embeddings from a running engine started with ``LoadConfig(embedding=True)``."""

    def __init__(self, engine: Engine, model_path: Path, note: str = "", owns_engine: bool = False) -> None:
        self._engine = engine
        self._owns = owns_engine
        self.model_path = Path(model_path)
        self._note = note
        self._query_prefix, self._passage_prefix = text_prefixes(self.model_path)
        probe = self._raw(["dimension probe"])
        self._dims = int(probe.shape[1])
        self._identity = make_identity(self.model_path, self._dims)
        self.calls = 0  # texts embedded so far: lets callers and tests see what was re-embedded

    @property
    def identity(self) -> str:
        return self._identity

    @property
    def dims(self) -> int:
        return self._dims

    @property
    def note(self) -> str:
        return self._note

    def _fit(self, text: str) -> str:
        """Shorten ``text`` (from the end) until it fits in one embedding batch."""
        if not text.strip():
            return " "
        if len(text) * 4 <= MAX_EMBED_TOKENS:  # no tokenizer gives more than ~4 tokens a character
            return text
        while True:
            count = len(self._engine.tokenize(text, add_special=True))
            if count <= MAX_EMBED_TOKENS:
                return text
            text = text[: max(1, int(len(text) * MAX_EMBED_TOKENS / count * 0.95))]

    def _raw(self, texts: Sequence[str]) -> np.ndarray:
        clipped = [self._fit(t) for t in texts]
        rows: Any = self._engine.embed(clipped)
        if len(rows) != len(clipped):
            raise EngineError(
                f"The embedding model returned {len(rows)} vectors for {len(clipped)} texts.",
                "Choose another embedding model.",
            )
        return normalize(np.asarray(rows, dtype=np.float32))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of passages (what is indexed)."""
        if not texts:
            return np.zeros((0, self._dims), dtype=np.float32)
        self.calls += len(texts)
        return self._raw([self._passage_prefix + text for text in texts])

    def embed_query(self, query: str) -> np.ndarray:
        """The vector of one search query."""
        self.calls += 1
        return self._raw([self._query_prefix + query])[0]

    def close(self) -> None:
        if self._owns:
            self._engine.close()

    def __enter__(self) -> EngineEmbedder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_embedder(
    model_path: Path | None = None, chat_model: Path | None = None, n_threads: int | None = None
) -> EngineEmbedder:
    """Start an embedding engine: ``model_path`` if given, else an installed embedding model, else
    ``chat_model`` (default: the bundled model) with a note that quality is lower.

    ``n_threads`` None lets the engine choose (physical cores); on a machine shared with other
    busy processes one thread can be much faster, as llama.cpp's threads wait for each other.
    """
    from models.engine import Engine
    from models.events import LoadConfig

    note = ""
    if model_path is None:
        installed = find_embedding_models()
        if installed:
            model_path = installed[0]
        else:
            from models.bundled import bundled_model_path

            model_path = chat_model or bundled_model_path()
            note = CHAT_MODEL_NOTE
    elif not is_embedding_model(model_path):
        note = CHAT_MODEL_NOTE
    engine = Engine.start(
        LoadConfig(model_path=str(model_path), n_ctx=EMBED_N_CTX, embedding=True, n_threads=n_threads)
    )
    try:
        return EngineEmbedder(engine, model_path, note=note, owns_engine=True)
    except BaseException:
        engine.close()
        raise
