"""Tokenizer files of a checkpoint → the GGUF vocabulary, chat template and Tomoshibi tokenizer keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.errors import ConversionError

from .base import Vocab, checkpoint_chat_template
from .bpe_vocab import load_bpe_vocab
from .sentencepiece_vocab import find_spm_file, load_sentencepiece_vocab

# Built-in chat format (models.chat_templates) for a checkpoint without its own Jinja template,
# keyed by GGUF architecture and tokenizer family.
_DEFAULT_CHAT_FORMATS: dict[tuple[str, str], str] = {
    ("gptneox", "llama"): "rinna",  # rinna japanese/bilingual GPT-NeoX: ユーザー: …<NL>システム:
    ("llama", "llama"): "llama2",  # Llama 2 chat, ELYZA-japanese-Llama-2 instruct: [INST] <<SYS>>
}


# "ユーザー: …\nシステム: …" as a Jinja template, for rinna models whose tokenizer keeps newlines; no
# system role, so a system prompt goes in front of the first user turn (as in models.chat_templates).
# Newlines are Jinja expressions: a literal one right after a block tag is eaten by trim_blocks.
RINNA_NEWLINE_TEMPLATE = (
    "{% if messages and messages[0]['role'] == 'system' %}"
    "{% set system = messages[0]['content'] %}{% set turns = messages[1:] %}"
    "{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}"
    "{% for m in turns %}"
    "{% if not loop.first %}{{ '\\n' }}{% endif %}"
    "{% if m['role'] == 'user' %}ユーザー: {% if loop.first and system %}{{ system }}{{ '\\n' }}{% endif %}"
    "{% else %}システム: {% endif %}"
    "{{ m['content'] }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '\\n' }}システム: {% endif %}"
)


def load_vocab(folder: Path, config: dict[str, Any], n_vocab: int, gguf_arch: str) -> Vocab:
    """Read the checkpoint's tokenizer: SentencePiece model first (exact), else a BPE tokenizer.json."""
    spm = find_spm_file(folder)
    if spm is not None:
        vocab = load_sentencepiece_vocab(spm, n_vocab, default_add_bos=gguf_arch == "llama")
    elif (folder / "tokenizer.json").is_file():
        vocab = load_bpe_vocab(folder / "tokenizer.json", n_vocab, config)
    else:
        raise ConversionError(
            f"{folder} has no tokenizer (tokenizer.model, spiece.model or tokenizer.json).",
            "Download the checkpoint's tokenizer files into the same folder.",
        )
    vocab.chat_template = checkpoint_chat_template(folder)
    if vocab.chat_template is None:
        vocab.chat_format = _DEFAULT_CHAT_FORMATS.get((gguf_arch, vocab.model))
        if vocab.chat_format == "rinna" and vocab.newline_marker is None:
            # rinna bilingual-gpt-neox: the same turns joined by real newlines (its tokenizer keeps them).
            vocab.chat_format, vocab.chat_template = None, RINNA_NEWLINE_TEMPLATE
    return vocab


__all__ = ["Vocab", "load_vocab"]
