"""SentencePiece (``spiece.model`` / ``tokenizer.model``) → GGUF ``llama`` vocabulary.

llama.cpp's "llama" tokenizer reproduces BPE SentencePiece models but only approximates unigram
ones (it merges by score rather than running Viterbi), so the exact .model bytes are embedded too
(``models.gguf_keys.SPM_MODEL``) and Tomoshibi's engine tokenizes with ``sentencepiece`` itself.
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any

from models.errors import ConversionError

from .base import (
    CONTROL,
    USER_DEFINED,
    Vocab,
    added_tokens,
    pad_vocab,
    read_json,
    special_token_texts,
)
from .spm_proto import parse_spm_model

log = logging.getLogger(__name__)

SPM_FILES = ("tokenizer.model", "spiece.model")


def find_spm_file(folder: Path) -> Path | None:
    for name in SPM_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def load_sentencepiece_vocab(path: Path, n_vocab: int, default_add_bos: bool) -> Vocab:
    """Read a SentencePiece model (and the HF tokenizer files next to it) into a GGUF vocabulary."""
    data = path.read_bytes()
    spm = parse_spm_model(data)
    processor = _load_with_sentencepiece(data, len(spm.pieces), path)
    if spm.treat_whitespace_as_suffix:
        raise ConversionError(
            f"{path.name} puts whitespace after words (treat_whitespace_as_suffix); llama.cpp cannot do that.",
            "This tokenizer is not supported.",
        )
    if len(spm.pieces) > n_vocab:
        raise ConversionError(
            f"{path.name} has {len(spm.pieces)} pieces but the model's embedding only {n_vocab} rows.",
            "The tokenizer does not belong to these weights; download the checkpoint again.",
        )
    tokens = [p.text for p in spm.pieces]
    scores = [p.score for p in spm.pieces]
    types = [p.type for p in spm.pieces]
    folder = path.parent
    for token_id, (text, special) in added_tokens(folder).items():
        if len(spm.pieces) <= token_id < n_vocab:
            pad_vocab(tokens, types, scores, token_id + 1)
            tokens[token_id] = text
            types[token_id] = CONTROL if special else USER_DEFINED
            scores[token_id] = 0.0
    pad_vocab(tokens, types, scores, n_vocab)

    index = {t: i for i, t in enumerate(tokens)}
    special_ids = {"unk": spm.unk_id, "bos": spm.bos_id, "eos": spm.eos_id, "pad": spm.pad_id}
    for key, text in special_token_texts(folder).items():
        if text in index:
            special_ids[key] = index[text]
    special_ids = {k: v for k, v in special_ids.items() if v >= 0}

    config = read_json(folder / "tokenizer_config.json")
    add_bos = config.get("add_bos_token")
    add_eos = config.get("add_eos_token")
    # rinna's japanese-gpt-neox models cannot encode "\n" (normalized away) and write "<NL>" instead;
    # a model whose tokenizer keeps newlines (rinna bilingual) needs no marker even with such a piece.
    keeps_newline = "\n" in processor.decode(processor.encode("a\nb"))
    newline_marker = "<NL>" if "<NL>" in index and not keeps_newline else None
    return Vocab(
        kind=f"sentencepiece-{spm.model_type}",
        model="llama",
        pre="default",
        tokens=tokens,
        scores=scores,
        types=types,
        special_ids=special_ids,
        # T5Tokenizer-style configs (rinna) append </s> when *training*; generation wants neither.
        add_bos=bool(add_bos) if isinstance(add_bos, bool) else default_add_bos,
        add_eos=bool(add_eos) if isinstance(add_eos, bool) else False,
        add_space_prefix=spm.add_dummy_prefix,
        remove_extra_whitespaces=spm.remove_extra_whitespaces,
        spm_model_b64=base64.b64encode(data).decode("ascii"),
        newline_marker=newline_marker,
    )


def _load_with_sentencepiece(data: bytes, n_pieces: int, path: Path) -> Any:
    """The engine will load these exact bytes with sentencepiece; make sure that works now."""
    try:
        import sentencepiece
    except ImportError as e:  # pragma: no cover - a dependency of the app
        raise ConversionError("The sentencepiece package is missing.", "Reinstall Tomoshibi.") from e
    try:
        processor = sentencepiece.SentencePieceProcessor(model_proto=data)
    except Exception as e:  # sentencepiece raises RuntimeError/OSError depending on version
        raise ConversionError(
            f"sentencepiece cannot load {path.name} ({e}).", "Download the tokenizer again."
        ) from e
    if processor.get_piece_size() != n_pieces:
        raise ConversionError(
            f"{path.name}: {processor.get_piece_size()} pieces per sentencepiece, {n_pieces} decoded.",
            "Download the tokenizer again.",
        )
    return processor
