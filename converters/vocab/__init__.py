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
    return vocab


__all__ = ["Vocab", "load_vocab"]
