"""Token ids ↔ bytes inside the engine process.

Two implementations behind one interface: llama.cpp's own vocabulary, and the original SentencePiece
model that Tomoshibi's converter embeds in a GGUF (llama.cpp does not reproduce a unigram vocabulary
with byte fallback exactly; ``sentencepiece`` does, by definition).

Special tokens: ``encode`` takes plain text (a user's message, a document, a raw completion prompt)
and never turns any of it into a control token, so a typed ``</s>`` or ``<|im_end|>`` stays text.
``encode_segments`` takes a rendered chat prompt as (text, is_template) pieces and reads special
tokens only in the template's own pieces, the way llama.cpp would read the whole prompt.
"""

from __future__ import annotations

import base64
import ctypes
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

Segments = Sequence[tuple[str, bool]]  # (text, True when it is the template's own text)


class Tokenizer(Protocol):
    name: str

    def encode(self, text: str, add_bos: bool) -> list[int]: ...

    def encode_segments(self, segments: Segments, add_bos: bool) -> list[int]: ...

    def piece(self, token: int) -> bytes: ...

    def decode(self, tokens: list[int]) -> str: ...


class SpecialSplitter:
    """Finds special-token texts in template text only; everything else stays raw text.

    ``strip``: per special text, (strip whitespace on its left, on its right), as llama.cpp does for
    tokens with the LSTRIP/RSTRIP attribute.
    """

    def __init__(
        self, specials: Mapping[str, int], strip: Mapping[str, tuple[bool, bool]] | None = None
    ) -> None:
        self.specials = {text: token for text, token in specials.items() if text}
        self.strip = dict(strip or {})
        # Longest first, so "<|im_start|>" wins over a shorter special that is a prefix of it.
        pattern = "|".join(re.escape(t) for t in sorted(self.specials, key=len, reverse=True))
        self._pattern = re.compile(f"({pattern})") if pattern else None

    def split(self, segments: Segments) -> list[str | int]:
        """Raw text runs (adjacent pieces merged, as one string) and special ids, in order."""
        out: list[str | int] = []
        raw: list[str] = []
        rstrip_next = False
        for text, is_template in segments:
            parts = self._pattern.split(text) if (is_template and self._pattern) else [text]
            for index, part in enumerate(parts):
                if index % 2 == 1:  # a special token's text
                    left, right = self.strip.get(part, (False, False))
                    run = "".join(raw)
                    if left:
                        run = run.rstrip()
                    if run:
                        out.append(run)
                    raw.clear()
                    out.append(self.specials[part])
                    rstrip_next = right
                    continue
                if rstrip_next and part:
                    part = part.lstrip()
                    rstrip_next = not part
                raw.append(part)
        run = "".join(raw)
        if run:
            out.append(run)
        return out


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
        self._splitter: SpecialSplitter | None = None

    def encode(self, text: str, add_bos: bool) -> list[int]:
        return list(self._llm.tokenize(text.encode("utf-8"), add_bos=add_bos, special=False))

    def encode_segments(self, segments: Segments, add_bos: bool) -> list[int]:
        ids: list[int] = [int(self._llm.token_bos())] if add_bos else []
        for part in self.splitter().split(segments):
            ids.extend([part] if isinstance(part, int) else self.encode(part, add_bos=False))
        return ids

    def splitter(self) -> SpecialSplitter:
        """The control tokens of the vocabulary (read once: one pass over the vocabulary)."""
        if self._splitter is None:
            lib, vocab = self._llama_cpp, self._vocab
            specials: dict[str, int] = {}
            strip: dict[str, tuple[bool, bool]] = {}
            for token in range(lib.llama_vocab_n_tokens(vocab)):
                attr = lib.llama_vocab_get_attr(vocab, token)
                if attr & lib.LLAMA_TOKEN_ATTR_CONTROL:
                    text = self.piece_special(token)
                    if text and text not in specials:
                        specials[text] = token
                        strip[text] = (
                            bool(attr & lib.LLAMA_TOKEN_ATTR_LSTRIP),
                            bool(attr & lib.LLAMA_TOKEN_ATTR_RSTRIP),
                        )
            self._splitter = SpecialSplitter(specials, strip)
        return self._splitter

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
        # Special-token texts that a chat template writes literally ("<s>", "</s>") map to their ids,
        # in the template's own text only.
        self._splitter = SpecialSplitter(specials)
        self._cache: dict[int, bytes] = {}

    def encode(self, text: str, add_bos: bool) -> list[int]:
        ids: list[int] = [self._bos] if add_bos and self._bos >= 0 else []
        if text:
            ids.extend(self._sp.encode(text))
        return ids

    def encode_segments(self, segments: Segments, add_bos: bool) -> list[int]:
        ids: list[int] = [self._bos] if add_bos and self._bos >= 0 else []
        for part in self._splitter.split(segments):
            ids.extend([part] if isinstance(part, int) else self._sp.encode(part))
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
