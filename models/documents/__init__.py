"""Local documents: collections of the user's files, indexed on this machine, searched and quoted.

Parsing (``parsing``) → chunking (``chunking``) → SQLite store with FTS5 trigram and vectors
(``store``, ``collection``) → incremental indexing (``indexer``) → hybrid retrieval
(``retrieval``) → answers with sources (``answer``). No Qt here; the desktop panel adapts it.
"""

from __future__ import annotations

from .answer import Answer, Sources, ask, ask_stream
from .collection import (
    Collection,
    DocumentStatus,
    Passage,
    SearchResult,
    list_collections,
    open_collection,
    remove_collection,
)
from .embedder import Embedder, EngineEmbedder, open_embedder
from .indexer import IndexProgress, IndexReport, index_collection

__all__ = [
    "Answer",
    "Collection",
    "DocumentStatus",
    "Embedder",
    "EngineEmbedder",
    "IndexProgress",
    "IndexReport",
    "Passage",
    "SearchResult",
    "Sources",
    "ask",
    "ask_stream",
    "index_collection",
    "list_collections",
    "open_collection",
    "open_embedder",
    "remove_collection",
]
