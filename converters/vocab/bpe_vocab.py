"""Byte-level BPE ``tokenizer.json`` (GPT-2 style: OpenCALM, Llama-family BPE) → GGUF ``gpt2`` vocabulary."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from models.errors import ConversionError

from .base import CONTROL, NORMAL, USER_DEFINED, Vocab, pad_vocab, read_json, token_text

log = logging.getLogger(__name__)

# Pre-tokenizer regex (tokenizer.json "Split" pattern) → llama.cpp tokenizer.ggml.pre name.
# llama.cpp identifies pre-tokenizers by hashing the output of transformers' tokenizer; Tomoshibi
# reads the declared pattern instead so conversion never needs transformers.
_SPLIT_PATTERNS: tuple[tuple[str, str], ...] = (
    # Llama 3 family
    (
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        "llama-bpe",
    ),
    # Qwen2 family
    (
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        "qwen2",
    ),
)


def load_bpe_vocab(path: Path, n_vocab: int, config: dict[str, Any]) -> Vocab:
    """Read a Hugging Face ``tokenizer.json`` whose model is byte-level BPE."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ConversionError(f"{path} cannot be read ({e}).", "Download the tokenizer again.") from e
    model = data.get("model") or {}
    if model.get("type") != "BPE":
        raise ConversionError(
            f"{path.name} holds a {model.get('type')!r} tokenizer; Tomoshibi converts BPE tokenizer.json "
            "files and SentencePiece .model files.",
            "Use a checkpoint that ships a SentencePiece model or a BPE tokenizer.json.",
        )
    vocab: dict[str, int] = model.get("vocab") or {}
    by_id: dict[int, tuple[str, int]] = {int(i): (t, NORMAL) for t, i in vocab.items()}
    for added in data.get("added_tokens") or []:
        by_id[int(added["id"])] = (added["content"], CONTROL if added.get("special") else USER_DEFINED)
    size = max(by_id) + 1 if by_id else 0
    if size > n_vocab:
        raise ConversionError(
            f"{path.name} has {size} tokens but the model's embedding only {n_vocab} rows.",
            "The tokenizer does not belong to these weights; download the checkpoint again.",
        )
    tokens: list[str] = []
    types: list[int] = []
    for i in range(size):
        text, kind = by_id.get(i, (f"[PAD{i}]", 5))
        tokens.append(text)
        types.append(kind)
    pad_vocab(tokens, types, None, n_vocab)

    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges") or []]
    index = {t: i for i, t in enumerate(tokens)}
    tk_config = read_json(path.parent / "tokenizer_config.json")
    special_ids: dict[str, int] = {}
    for key in ("bos", "eos", "unk", "pad"):
        special = token_text(tk_config.get(f"{key}_token"))
        if special and special in index:
            special_ids[key] = index[special]
        elif isinstance(config.get(f"{key}_token_id"), int):
            special_ids[key] = int(config[f"{key}_token_id"])
    add_bos = tk_config.get("add_bos_token")
    add_eos = tk_config.get("add_eos_token")
    return Vocab(
        kind="bpe",
        model="gpt2",
        pre=_pre_tokenizer_name(data.get("pre_tokenizer")),
        tokens=tokens,
        types=types,
        merges=merges,
        special_ids=special_ids,
        add_bos=bool(add_bos) if isinstance(add_bos, bool) else _post_processor_adds_bos(data, special_ids),
        add_eos=bool(add_eos) if isinstance(add_eos, bool) else False,
    )


def _pre_tokenizer_name(pre: Any) -> str:
    steps = pre.get("pretokenizers", [pre]) if isinstance(pre, dict) else []
    kinds = [s.get("type") for s in steps if isinstance(s, dict)]
    for step in steps:
        if isinstance(step, dict) and step.get("type") == "Split":
            pattern = (step.get("pattern") or {}).get("Regex")
            for known, name in _SPLIT_PATTERNS:
                if pattern == known:
                    return name
    if kinds == ["ByteLevel"] and steps[0].get("use_regex", True):
        return "gpt-2"  # GPT-2's own regex (OpenCALM, GPT-NeoX tokenizers)
    if kinds == ["Digits", "ByteLevel"] and steps[0].get("individual_digits"):
        return "smollm"  # digits split one by one, then GPT-2's regex (SmolLM/StarCoder family)
    log.warning("unknown pre-tokenizer %s; llama.cpp will use its default splitting", kinds)
    return "default"


def _post_processor_adds_bos(data: dict[str, Any], special_ids: dict[str, int]) -> bool:
    post = data.get("post_processor") or {}
    single = post.get("single") if isinstance(post, dict) else None
    if not isinstance(single, list) or "bos" not in special_ids:
        return False
    first = single[0] if single else {}
    special = first.get("SpecialToken") if isinstance(first, dict) else None
    return isinstance(special, dict) and bool(special.get("id"))
