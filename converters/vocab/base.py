"""The GGUF vocabulary a converter writes, whatever tokenizer file it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models import gguf_keys

# gguf.TokenType values (kept here so vocab code does not need gguf at import time).
NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE = 1, 2, 3, 4, 5, 6


@dataclass
class Vocab:
    """Everything under ``tokenizer.ggml.*`` plus Tomoshibi's own tokenizer keys."""

    kind: str  # "sentencepiece-unigram", "sentencepiece-bpe", "bpe"
    model: str  # tokenizer.ggml.model: "llama" (SentencePiece) or "gpt2" (byte-level BPE)
    pre: str  # tokenizer.ggml.pre
    tokens: list[str]
    types: list[int]
    scores: list[float] | None = None
    merges: list[str] | None = None
    special_ids: dict[str, int] = field(default_factory=dict)  # bos, eos, unk, pad → id
    add_bos: bool = False
    add_eos: bool = False
    add_space_prefix: bool | None = None
    remove_extra_whitespaces: bool | None = None
    spm_model_b64: str | None = None
    chat_template: str | list[dict[str, str]] | None = None
    chat_format: str | None = None
    newline_marker: str | None = None

    def write(self, writer: Any) -> None:
        """Add the vocabulary keys to a ``gguf.GGUFWriter``."""
        writer.add_tokenizer_model(self.model)
        writer.add_tokenizer_pre(self.pre)
        writer.add_token_list(self.tokens)
        writer.add_token_types(self.types)
        if self.scores is not None:
            writer.add_token_scores(self.scores)
        if self.merges is not None:
            writer.add_token_merges(self.merges)
        adders = {
            "bos": writer.add_bos_token_id,
            "eos": writer.add_eos_token_id,
            "unk": writer.add_unk_token_id,
            "pad": writer.add_pad_token_id,
        }
        for key, token_id in self.special_ids.items():
            if 0 <= token_id < len(self.tokens):
                adders[key](token_id)
        writer.add_add_bos_token(self.add_bos)
        writer.add_add_eos_token(self.add_eos)
        if self.add_space_prefix is not None:
            writer.add_add_space_prefix(self.add_space_prefix)
        if self.remove_extra_whitespaces is not None:
            writer.add_remove_extra_whitespaces(self.remove_extra_whitespaces)
        if self.chat_template:
            writer.add_chat_template(self.chat_template)
        if self.spm_model_b64 is not None:
            writer.add_string(gguf_keys.SPM_MODEL, self.spm_model_b64)
        if self.chat_format:
            writer.add_string(gguf_keys.CHAT_FORMAT, self.chat_format)
        if self.newline_marker:
            writer.add_string(gguf_keys.NEWLINE_MARKER, self.newline_marker)


def read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def token_text(value: Any) -> str | None:
    """A special token as tokenizer_config writes it: a string or {"content": ...}."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("content"), str):
        return value["content"]
    return None


def special_token_texts(folder: Path) -> dict[str, str]:
    """bos/eos/unk/pad token strings from tokenizer_config.json and special_tokens_map.json."""
    texts: dict[str, str] = {}
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        data = read_json(folder / name)
        for key in ("bos", "eos", "unk", "pad"):
            text = token_text(data.get(f"{key}_token"))
            if text:
                texts[key] = text
    return texts


def added_tokens(folder: Path) -> dict[int, tuple[str, bool]]:
    """Tokens added on top of the base vocabulary: id → (text, special)."""
    found: dict[int, tuple[str, bool]] = {}
    for text, token_id in read_json(folder / "added_tokens.json").items():
        if isinstance(token_id, int):
            found[token_id] = (text, True)
    decoder = read_json(folder / "tokenizer_config.json").get("added_tokens_decoder") or {}
    for key, info in decoder.items():
        if isinstance(info, dict) and isinstance(info.get("content"), str):
            found[int(key)] = (info["content"], bool(info.get("special", False)))
    return found


def checkpoint_chat_template(folder: Path) -> str | list[dict[str, str]] | None:
    """The checkpoint's own chat template: chat_template.jinja, or tokenizer_config.json's."""
    jinja = folder / "chat_template.jinja"
    if jinja.is_file():
        return jinja.read_text(encoding="utf-8")
    template = read_json(folder / "tokenizer_config.json").get("chat_template")
    if isinstance(template, str) and template.strip():
        return template
    if isinstance(template, list) and template:
        return [{"name": str(t["name"]), "template": str(t["template"])} for t in template]
    return None


def pad_vocab(tokens: list[str], types: list[int], scores: list[float] | None, n_vocab: int) -> None:
    """Fill the table up to the embedding's row count (llama.cpp requires them equal)."""
    for i in range(len(tokens), n_vocab):
        tokens.append(f"[PAD{i}]")
        types.append(UNUSED)
        if scores is not None:
            scores.append(-1000.0)
