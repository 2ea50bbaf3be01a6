"""Token ids ↔ bytes inside the engine process.

Two implementations behind one interface: llama.cpp's own vocabulary, and the original SentencePiece
model that Tomoshibi's converter embeds in a GGUF (llama.cpp does not reproduce a unigram vocabulary
with byte fallback exactly; ``sentencepiece`` does, by definition).
"""

from __future__ import annotations

import base64
import ctypes
import re
from collections.abc import Mapping
from typing import Any, Protocol


class Tokenizer(Protocol):
    name: str

    def encode(self, text: str, add_bos: bool) -> list[int]: ...

    def piece(self, token: int) -> bytes: ...

    def decode(self, tokens: list[int]) -> str: ...


class LlamaCppTokenizer:
    """llama.cpp's tokenizer, with a detokenizer that never truncates long pieces."""

    name = "llama.cpp"

    def __init__(self, llm: Any) -> None:
        import llama_cpp

        self._llama_cpp = llama_cpp
        self._llm = llm
        self._vocab = llm._model.vocab
        self._buffer = ctypes.create_string_buffer(64)
        self._cache: dict[int, bytes] = {}

    def encode(self, text: str, add_bos: bool) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True))

    def piece(self, token: int) -> bytes:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        # llama-cpp-python's own detokenize uses a fixed 32-byte buffer and silently truncates longer
        # pieces; llama_token_to_piece returns -needed when the buffer is too small, so grow and retry.
        size = len(self._buffer)
        n = self._llama_cpp.llama_token_to_piece(self._vocab, token, self._buffer, size, 0, False)
        if n < 0:
            self._buffer = ctypes.create_string_buffer(-n)
            n = self._llama_cpp.llama_token_to_piece(self._vocab, token, self._buffer, -n, 0, False)
        data = self._buffer.raw[: max(n, 0)]
        self._cache[token] = data
        return data

    def decode(self, tokens: list[int]) -> str:
        return b"".join(self.piece(t) for t in tokens).decode("utf-8", errors="replace")

    def piece_special(self, token: int) -> str:
        """The text of a special token such as BOS ("<s>", "<|im_start|>")."""
        buffer = ctypes.create_string_buffer(256)
        n = self._llama_cpp.llama_token_to_piece(self._vocab, token, buffer, len(buffer), 0, True)
        return buffer.raw[: max(n, 0)].decode("utf-8", errors="replace")


class SentencePieceTokenizer:
    """The checkpoint's own SentencePiece model, embedded in the GGUF by Tomoshibi's converter."""

    name = "sentencepiece"
    _BYTE = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")

    def __init__(self, model_b64: str, bos_id: int, specials: Mapping[str, int]) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_proto=base64.b64decode(model_b64))
        self._bos = bos_id
        # Special-token texts that a chat template writes literally ("<s>", "</s>") map to their ids.
        self._specials = {text: token for text, token in specials.items() if text}
        pattern = "|".join(re.escape(t) for t in sorted(self._specials, key=len, reverse=True))
        self._split = re.compile(f"({pattern})") if pattern else None
        self._cache: dict[int, bytes] = {}

    def encode(self, text: str, add_bos: bool) -> list[int]:
        ids: list[int] = [self._bos] if add_bos and self._bos >= 0 else []
        parts = self._split.split(text) if self._split else [text]
        for part in parts:
            if not part:
                continue
            special = self._specials.get(part)
            if special is not None:
                ids.append(special)
            else:
                ids.extend(self._sp.encode(part))
        return ids

    def piece(self, token: int) -> bytes:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        sp = self._sp
        if token < 0 or token >= sp.get_piece_size() or sp.is_control(token) or sp.is_unknown(token):
            data = b""
        elif sp.is_byte(token):
            match = self._BYTE.match(sp.id_to_piece(token))
            data = bytes([int(match.group(1), 16)]) if match else b""
        else:
            data = sp.id_to_piece(token).replace("\u2581", " ").encode("utf-8")
        self._cache[token] = data
        return data

    def decode(self, tokens: list[int]) -> str:
        return str(self._sp.decode([t for t in tokens if 0 <= t < self._sp.get_piece_size()]))
