"""Quantization names read from GGUF file names, as hub repositories spell them.

``llama-2-7b-chat.Q4_K_M.gguf`` → ``Q4_K_M``; ``ELYZA-...-q4_K_M.gguf`` → ``Q4_K_M``;
``model-f16.gguf`` → ``F16``. Used to label hub files before they are downloaded; once a file is
local, its own metadata (``general.file_type``) is the authority.
"""

from __future__ import annotations

import re

# Longest alternatives first so that "Q4_K_M" wins over "Q4_K". The separators around the name
# (start, ".", "-", "_") keep "BQ4_0X" or a repo called "q8_0tools" from matching.
_QUANT = re.compile(
    r"(?:^|[._-])("
    r"IQ[1-4]_(?:XXS|XS|NL|S|M|L)"
    r"|Q[2-8]_K_(?:XL|S|M|L)"
    r"|Q[2-8]_K"
    r"|Q[4-8]_[01]"
    r"|TQ[12]_0"
    r"|MXFP4"
    r"|BF16|FP16|F16|FP32|F32"
    r")(?=$|[._-])",
    re.IGNORECASE,
)
# Split GGUF files: "model-Q4_K_M-00001-of-00003.gguf".
_SPLIT = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)


def quant_from_filename(name: str) -> str | None:
    """The quantization a file name announces (upper case, ``FP16`` → ``F16``), or None."""
    stem = name.rsplit("/", 1)[-1]
    if stem.lower().endswith(".gguf"):
        stem = stem[: -len(".gguf")]
    stem = _SPLIT.sub("", stem + ".gguf").removesuffix(".gguf")
    found = _QUANT.findall(stem)
    if not found:
        return None
    quant = found[-1].upper()
    return {"FP16": "F16", "FP32": "F32"}.get(quant, quant)


def split_part(name: str) -> tuple[int, int] | None:
    """``(part, total)`` for a split GGUF file name, else None."""
    match = _SPLIT.search(name)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))
