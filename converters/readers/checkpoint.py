"""A Hugging Face checkpoint folder: its config and its tensors, from safetensors or torch .bin files."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.errors import ConversionError

from .base import TensorRef
from .safetensors_file import read_safetensors
from .torch_bin import read_torch_bin

if TYPE_CHECKING:
    from models.download import ProgressCallback

log = logging.getLogger(__name__)


@dataclass
class Checkpoint:
    """A checkpoint folder with its ``config.json`` and the header of every tensor (no data read yet)."""

    folder: Path
    config: dict[str, Any]
    tensors: dict[str, TensorRef] = field(default_factory=dict)
    weight_files: list[Path] = field(default_factory=list)

    def __iter__(self) -> Iterator[TensorRef]:
        return iter(self.tensors.values())

    @property
    def total_bytes(self) -> int:
        return sum(t.nbytes for t in self.tensors.values())


def read_json_object(path: Path, missing: tuple[str, str], redo: str) -> dict[str, Any]:
    """A JSON file that must hold an object (a config); ConversionError with ``missing`` (problem,
    fix) when it is not there, and ``redo`` as the fix when it cannot be read or is not an object."""
    if not path.is_file():
        raise ConversionError(*missing)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConversionError(f"{path} cannot be read ({e}).", redo) from e
    if not isinstance(data, dict):
        raise ConversionError(f"{path} is not a JSON object.", redo)
    return data


def read_config(folder: Path) -> dict[str, Any]:
    return read_json_object(
        folder / "config.json",
        (
            f"{folder} has no config.json, so it is not a Hugging Face checkpoint folder.",
            "Point to the folder that holds config.json and the weight files.",
        ),
        "Download the checkpoint again.",
    )


def _pick_weights(folder: Path) -> list[Path]:
    """Weight files, preferring safetensors (memory-mapped, no pickle) over torch .bin."""
    for index_name, single, pattern in (
        ("model.safetensors.index.json", "model.safetensors", "*.safetensors"),
        ("pytorch_model.bin.index.json", "pytorch_model.bin", "pytorch_model*.bin"),
    ):
        index = folder / index_name
        if index.is_file():
            try:
                weight_map = json.loads(index.read_text(encoding="utf-8"))["weight_map"]
            except (OSError, ValueError, KeyError) as e:
                raise ConversionError(
                    f"{index} cannot be read ({e}).", "Download the checkpoint again."
                ) from e
            files = sorted({folder / f for f in weight_map.values()})
            missing = [f.name for f in files if not f.is_file()]
            if missing:
                raise ConversionError(
                    f"Shards listed in {index_name} are missing: {', '.join(missing)}.",
                    "Download the whole checkpoint (every shard) again.",
                )
            return files
        if (folder / single).is_file():
            return [folder / single]
        found = sorted(p for p in folder.glob(pattern) if p.is_file())
        if found:
            return found
    raise ConversionError(
        f"{folder} has no weight files (*.safetensors or pytorch_model*.bin).",
        "Download the checkpoint's weights into this folder.",
    )


def open_checkpoint(folder: Path) -> Checkpoint:
    """Read the config and every tensor header of a local checkpoint folder."""
    folder = Path(folder)
    config = read_config(folder)
    checkpoint = Checkpoint(folder=folder, config=config, weight_files=_pick_weights(folder))
    for path in checkpoint.weight_files:
        refs = read_safetensors(path) if path.suffix == ".safetensors" else read_torch_bin(path)
        for ref in refs:
            if ref.name in checkpoint.tensors:
                raise ConversionError(
                    f"Tensor {ref.name} appears in two weight files.", "Download the checkpoint again."
                )
            checkpoint.tensors[ref.name] = ref
    return checkpoint


def resolve_source(
    src: str | Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """A local folder as is; a hub repo id (``owner/name``) through ``models.hub_checkpoint``, which
    reuses a finished download and otherwise downloads config, tokenizer and weights (never code)."""
    from models.hub_checkpoint import fetch_checkpoint, is_repo_id

    path = Path(src).expanduser()
    if path.is_dir():
        return path
    if path.exists() or not is_repo_id(str(src)):
        raise ConversionError(
            f"{src} is neither a checkpoint folder nor a Hugging Face repo id (owner/name).",
            "Give the path of a folder holding config.json, or a repo id such as rinna/japanese-gpt-neox-3.6b.",
        )
    return fetch_checkpoint(str(src), progress=progress, cancel=cancel)
