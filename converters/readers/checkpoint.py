"""A Hugging Face checkpoint folder: its config and its tensors, from safetensors or torch .bin files."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.errors import ConversionError, DownloadError

from .base import TensorRef
from .safetensors_file import read_safetensors
from .torch_bin import read_torch_bin

log = logging.getLogger(__name__)

# Files a conversion needs from a hub repo (weights in one format are enough; see _pick_weights).
_HUB_PATTERNS = [
    "config.json",
    "generation_config.json",
    "tokenizer*",
    "special_tokens_map.json",
    "added_tokens.json",
    "*.model",
    "*.safetensors",
    "*.safetensors.index.json",
    "pytorch_model*.bin",
    "pytorch_model*.bin.index.json",
]


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


def hub_patterns(files: list[str]) -> list[str]:
    """What to download from a repo holding ``files``: one weight format only (safetensors when the
    repo has it, so a repo with both never costs twice the bandwidth), tokenizer and config files."""
    if any(f.endswith(".safetensors") for f in files):
        return [p for p in _HUB_PATTERNS if not p.startswith("pytorch_model")]
    return list(_HUB_PATTERNS)


def _list_repo_files(repo_id: str, endpoint: str | None) -> list[str]:
    from huggingface_hub import HfApi

    info = HfApi(endpoint=endpoint).model_info(repo_id)
    return [s.rfilename for s in info.siblings or []]


def resolve_source(
    src: str | Path,
    downloader: Callable[..., str] | None = None,
    lister: Callable[[str, str | None], list[str]] | None = None,
) -> Path:
    """A local folder as is; anything else is taken as a hub repo id and downloaded (never code).

    ``downloader`` (``snapshot_download``) and ``lister`` (repo id, endpoint → file names) are
    replaceable for tests.
    """
    path = Path(src).expanduser()
    if path.is_dir():
        return path
    if path.exists() or str(src).count("/") != 1 or str(src).startswith((".", "/", "~")):
        raise ConversionError(
            f"{src} is neither a checkpoint folder nor a Hugging Face repo id (owner/name).",
            "Give the path of a folder holding config.json, or a repo id such as rinna/japanese-gpt-neox-3.6b.",
        )
    if downloader is None:
        try:
            from huggingface_hub import snapshot_download
        except ImportError as e:  # pragma: no cover - a dependency of the app
            raise DownloadError("huggingface-hub is not installed.", "Reinstall Tomoshibi.") from e
        downloader = snapshot_download
    # Into Tomoshibi's own data folder (not the shared HF cache), one folder per repo; the endpoint is
    # read now because huggingface_hub reads HF_ENDPOINT only once, at import.
    from models.paths import data_dir

    endpoint = os.environ.get("HF_ENDPOINT") or None
    target = data_dir() / "checkpoints" / str(src).replace("/", "--")
    log.info("downloading %s from the hub into %s", src, target)
    try:
        files = (lister or _list_repo_files)(str(src), endpoint)
        return Path(
            downloader(
                repo_id=str(src),
                allow_patterns=hub_patterns(files),
                local_dir=str(target),
                endpoint=endpoint,
            )
        )
    except Exception as e:  # huggingface_hub raises many types; the user needs one message
        raise DownloadError(
            f"Could not download {src} ({type(e).__name__}: {e}).",
            "Check the repo id and your connection, or download the folder yourself and convert it.",
        ) from e
