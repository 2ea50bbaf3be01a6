"""What an architecture module provides: hyper-parameters → GGUF keys, tensor names → GGUF names, and
per-tensor reshaping. Subclasses keep their tensor-name map as data (``TENSOR_MAP``)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import numpy as np

from models.errors import ConversionError


class Architecture:
    """Base of the per-architecture converters (registered in ``converters.arch``).

    ``TENSOR_MAP`` pairs a checkpoint tensor stem (without ``.weight``/``.bias``; ``{bid}`` is the
    block number) with its GGUF stem. ``SKIP`` lists regexes of tensors that carry no weights
    (causal-mask buffers, rotary caches).
    """

    gguf_arch: ClassVar[str]
    hf_names: ClassVar[tuple[str, ...]]
    TENSOR_MAP: ClassVar[tuple[tuple[str, str], ...]]
    SKIP: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self._compiled = [(_compile(hf), gguf) for hf, gguf in self.TENSOR_MAP]
        self._skip = [re.compile(p) for p in self.SKIP]

    # --- hyper-parameters -------------------------------------------------------------------------
    def write_parameters(self, writer: Any) -> None:
        """Add ``<arch>.*`` hyper-parameter keys to a ``gguf.GGUFWriter``."""
        raise NotImplementedError

    @property
    def block_count(self) -> int:
        return int(self.require("num_hidden_layers"))

    # --- tensors ------------------------------------------------------------------------------------
    def gguf_name(self, name: str) -> str | None:
        """The GGUF name of a checkpoint tensor; None for tensors to leave out; error for unknown ones."""
        if any(p.search(name) for p in self._skip):
            return None
        stem, dot, suffix = name.rpartition(".")
        if suffix not in ("weight", "bias"):
            stem, suffix = name, ""
        for pattern, gguf in self._compiled:
            m = pattern.fullmatch(stem)
            if m:
                out = gguf.format(bid=m.group("bid")) if "bid" in pattern.groupindex else gguf
                return f"{out}.{suffix}" if suffix else out
        raise ConversionError(
            f"The checkpoint has a tensor Tomoshibi does not know for {self.hf_names[0]}: {name}.",
            "This may be a variant of the architecture that is not supported yet; please report it.",
        )

    def aliases(self, names: set[str]) -> dict[str, str]:
        """GGUF tensors to write as a copy of a checkpoint tensor (``{gguf_name: hf_name}``), e.g. an
        output matrix tied to the embedding, given the checkpoint's tensor names."""
        return {}

    def extra_tensors(self) -> dict[str, np.ndarray]:
        """GGUF tensors computed from the config rather than read (e.g. Llama 3 RoPE factors)."""
        return {}

    def transform(self, name: str, array: np.ndarray) -> np.ndarray:
        """Reorder or permute one tensor for llama.cpp (identity by default). Shape must not change."""
        return array

    # --- helpers ------------------------------------------------------------------------------------
    def require(self, *keys: str) -> Any:
        """The first of ``keys`` present in config.json (architectures renamed keys over time)."""
        for key in keys:
            if self.config.get(key) is not None:
                return self.config[key]
        raise ConversionError(
            f"config.json lacks {' / '.join(keys)}, which a {self.hf_names[0]} checkpoint must have.",
            "Download the checkpoint's config.json again.",
        )

    def rope_theta(self, *legacy_keys: str, default: float = 10000.0) -> float:
        """RoPE base: ``rope_parameters.rope_theta`` (newer transformers) or the older top-level keys."""
        params = self.config.get("rope_parameters") or {}
        if isinstance(params, dict) and params.get("rope_theta") is not None:
            return float(params["rope_theta"])
        for key in (*legacy_keys, "rope_theta"):
            if self.config.get(key) is not None:
                return float(self.config[key])
        return default


def _compile(stem: str) -> re.Pattern[str]:
    return re.compile(re.escape(stem).replace(re.escape("{bid}"), r"(?P<bid>\d+)"))
