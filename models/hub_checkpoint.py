"""A hub repo id → a local checkpoint folder: the one path the CLI, the converters and the wizard share.

A catalog checkpoint keeps its catalog folder (``checkpoints/<catalog id>/``), any other repo gets
``checkpoints/<owner>--<name>/``, both inside the models folder; the transfer is ``models.fetch`` +
``models.download`` (resume, sha256, progress, cancel, free-disk check). A folder whose download
finished (its ``.tomoshibi-source.json`` lists files that are all there) is used without asking the
hub, so ``tomoshibi convert OWNER/REPO`` after ``tomoshibi models download`` converts what is on disk,
and works offline.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from .catalog import CatalogEntry, find_entry
from .download import ProgressCallback
from .fetch import SOURCE_RECORD, download_entry, entry_destination

# What a conversion needs from a repo: config, tokenizer, weights. Never code (``*.py``); one weights
# format only (``fetch.select_checkpoint_files`` drops ``.bin`` files when safetensors exist).
CHECKPOINT_PATTERNS = (
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
)

_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def is_repo_id(text: str) -> bool:
    """``owner/name`` (and not a path that merely has one slash, such as ``./x`` or ``~/x``)."""
    return bool(_REPO_ID.match(text)) and not Path(text).expanduser().exists()


def checkpoint_entry(repo: str) -> CatalogEntry:
    """The catalog's checkpoint entry for ``repo``, or an ad-hoc one with the converter's patterns."""
    known = find_entry(repo)
    if known is not None and known.kind == "checkpoint" and known.repo and known.repo.lower() == repo.lower():
        return known
    return CatalogEntry(
        id=repo.replace("/", "--"),
        name=repo,
        kind="checkpoint",
        source="hub",
        repo=repo,
        files=(),
        architecture="",
        parameters=0,
        quantization="",
        licence="",
        gated=False,
        licence_acceptance=False,
        prompt_format=None,
        languages=(),
        allow_patterns=CHECKPOINT_PATTERNS,
    )


def checkpoint_folder(repo: str) -> Path:
    """Where ``repo``'s checkpoint is (or will be) on disk."""
    return entry_destination(checkpoint_entry(repo))


def downloaded_checkpoint(repo: str) -> Path | None:
    """The folder when an earlier download of ``repo`` finished and every file is still there."""
    folder = checkpoint_folder(repo)
    try:
        record = json.loads((folder / SOURCE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, list) or not files or str(record.get("repo", "")).lower() != repo.lower():
        return None
    return folder if all((folder / str(name)).is_file() for name in files) else None


def fetch_checkpoint(
    repo: str,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The local folder of ``repo``'s checkpoint, downloading (or resuming) what is missing.

    Raises Cancelled when ``cancel`` is set (partial files stay for a resume), DownloadError or
    InsufficientDiskError otherwise.
    """
    done = downloaded_checkpoint(repo)
    if done is not None:
        return done
    return download_entry(checkpoint_entry(repo), progress=progress, cancel=cancel)
