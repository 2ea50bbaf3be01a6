"""Exact cosine top-k over a collection's vectors, kept in memory as one float32 matrix.

Brute force reads the whole matrix for every query: 230 MB at 100k chunks of 576 dimensions,
so memory bandwidth, not arithmetic, sets its time. Large collections therefore get an exact
pruning step: a low-rank copy of the matrix (the top principal directions of a sample) gives
for every row an upper bound of its score, q·x ≤ (Pᵀq)·(Pᵀx) + ‖q − PPᵀq‖·‖x − PPᵀx‖, and only
rows whose bound can still beat the k-th best exact score are read in full. The result is the
same as brute force; it is faster whenever the vectors share a few dominant directions, as
sentence embeddings do. When they do not (the low-rank copy misses too much), brute force is used.
"""

from __future__ import annotations

import sqlite3

import numpy as np

PRUNE_MIN_ROWS = 20_000  # below this brute force is already fast
PRUNE_RANK = 64
PRUNE_MAX_RESIDUAL = 0.2  # mean ‖x − PPᵀx‖² above which the bounds are too loose to prune
PRUNE_MAX_FRACTION = 0.3  # when more rows than this need a full read, brute force is cheaper
_SAMPLE = 2048
_SLACK = 1e-4  # float32 rounding in the bound: never prune a row that could tie


class VectorIndex:
    """Normalized vectors and their chunk ids; ``search`` returns the exact top-k by cosine."""

    def __init__(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        self.ids = ids
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self._basis: np.ndarray | None = None  # d × r, orthonormal columns
        self._low: np.ndarray | None = None  # N × r: the matrix in the basis
        self._residual: np.ndarray | None = None  # N: ‖x − PPᵀx‖
        if len(ids) >= PRUNE_MIN_ROWS and self.matrix.shape[1] > PRUNE_RANK:
            self._prepare()

    @classmethod
    def load(cls, db: sqlite3.Connection, model: str, dims: int) -> VectorIndex:
        rows = db.execute(
            "SELECT chunk_id, vector FROM vectors WHERE model = ? ORDER BY chunk_id", (model,)
        ).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), dims)
        return cls(ids, matrix)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def pruning(self) -> bool:
        return self._basis is not None

    def _prepare(self) -> None:
        # The dominant directions of a sample by randomized range finding (two power steps and a
        # QR): cheap next to an SVD, and any orthonormal basis keeps the search exact.
        rng = np.random.default_rng(0)
        rows = rng.choice(len(self.ids), size=min(_SAMPLE, len(self.ids)), replace=False)
        sample = self.matrix[np.sort(rows)]
        block = rng.standard_normal((self.matrix.shape[1], PRUNE_RANK)).astype(np.float32)
        for _ in range(2):
            block, _r = np.linalg.qr(sample.T @ (sample @ block))
        basis = np.ascontiguousarray(block, dtype=np.float32)
        low = self.matrix @ basis
        norms = np.einsum("ij,ij->i", self.matrix, self.matrix)
        residual_sq = np.maximum(norms - np.einsum("ij,ij->i", low, low), 0.0)
        if float(residual_sq.mean()) > PRUNE_MAX_RESIDUAL:
            return
        self._basis, self._low, self._residual = basis, low, np.sqrt(residual_sq).astype(np.float32)

    def search(self, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best (chunk id, cosine) pairs, best first."""
        if not len(self.ids) or limit <= 0:
            return []
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        limit = min(limit, len(self.ids))
        rows, scores = self._pruned(q, limit) if self._basis is not None else (None, self.matrix @ q)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top])]
        chosen = top if rows is None else rows[top]
        return [(int(self.ids[i]), float(s)) for i, s in zip(chosen, scores[top], strict=True)]

    def _pruned(self, q: np.ndarray, limit: int) -> tuple[np.ndarray | None, np.ndarray]:
        assert self._basis is not None and self._low is not None and self._residual is not None
        q_low = q @ self._basis
        q_rest = float(np.sqrt(max(float(q @ q) - float(q_low @ q_low), 0.0)))
        bound = self._low @ q_low + (q_rest * self._residual + _SLACK)
        first = min(len(bound), max(limit * 8, 256))
        rows = np.argpartition(-bound, first - 1)[:first]
        exact = self.matrix[rows] @ q
        kth = np.partition(exact, len(exact) - limit)[len(exact) - limit]
        # Every row whose bound reaches the k-th exact score may belong to the top-k: read it.
        needed = np.flatnonzero(bound >= kth)
        if len(needed) > first:
            if len(needed) > PRUNE_MAX_FRACTION * len(bound):
                return None, self.matrix @ q
            rows, exact = needed, self.matrix[needed] @ q
        return rows, exact
