"""What a GGUF file is, checked before llama.cpp ever sees it.

``validate_gguf`` runs the bounded parser of ``gguf_parse`` over the memory-mapped header and turns every
problem into ``ModelFileError`` (the file, what is wrong, what to do). ``inspect_gguf`` then summarizes
the header (architecture, sizes, tokenizer, chat template) without touching the weights.
"""

from __future__ import annotations

import math
import mmap
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gguf_keys
from .errors import ModelFileError
from .ggml_types import GGML_TYPES, file_type_name
from .gguf_parse import ARRAY, STRING, Field, GGUFHeader, TensorEntry, decode_field, parse_header
from .stat_cache import cached_by_stat

# Metadata values longer than this are summarized in GGUFInfo.metadata (the full value: read_metadata_value).
SHORT_STRING = 200
SHORT_ARRAY = 16


@dataclass(frozen=True)
class GGUFInfo:
    """A GGUF file's header, summarized. Nothing here needs the weights in memory."""

    path: Path
    size_bytes: int
    version: int
    architecture: str
    name: str | None
    parameter_count: int
    file_type: str | None  # llama.cpp's name for general.file_type ("Q4_K_M"), guessed when absent
    quantization: str  # the ggml type holding most parameters ("Q4_K")
    tensor_types: dict[str, int]  # ggml type → number of tensors
    context_length: int | None
    n_layer: int | None
    n_embd: int | None
    n_head: int | None
    n_head_kv: int | None
    n_ff: int | None
    vocab_size: int | None
    chat_template: str | None
    tokenizer_model: str | None
    bos_token_id: int | None
    eos_token_id: int | None
    has_sentencepiece: bool
    metadata: dict[str, Any]
    tensor_count: int
    weights_bytes: int
    # Beyond the summary: per-head key/value widths when the architecture sets them (Gemma, DeepSeek),
    # and every tensor (name, shape, type, bytes) for the memory split and `tomoshibi inspect`.
    key_length: int | None = None
    value_length: int | None = None
    alignment: int = 32
    split_count: int = 1  # parts of a split model; sizes and tensors above cover all of them
    tensors: tuple[TensorEntry, ...] = field(default=(), repr=False)

    @property
    def n_embd_k_gqa(self) -> int | None:
        """Width of one token's keys in the KV cache (n_embd × n_head_kv / n_head for most models)."""
        return self._kv_width(self.key_length)

    @property
    def n_embd_v_gqa(self) -> int | None:
        return self._kv_width(self.value_length)

    def _kv_width(self, per_head: int | None) -> int | None:
        n_head_kv = self.n_head_kv if self.n_head_kv is not None else self.n_head
        if per_head is not None and n_head_kv is not None:
            return per_head * n_head_kv
        if self.n_embd is None or not self.n_head or n_head_kv is None:
            return None
        return self.n_embd * n_head_kv // self.n_head


# --- opening ---------------------------------------------------------------------------------------


def _open_problem(path: Path) -> ModelFileError | None:
    """Why ``path`` cannot be a model file, before we try to map it."""
    if not path.exists():
        hint = "Check the path, or download the model again."
        if path.parent.is_dir():
            near = sorted(p.name for p in path.parent.glob("*.gguf"))[:5]
            if near:
                hint = f"Check the path; that folder has: {', '.join(near)}."
        return ModelFileError(f"Model file not found: {path}", hint)
    if path.is_dir():
        ggufs = sorted(p.name for p in path.glob("*.gguf"))
        if ggufs:
            return ModelFileError(f"{path} is a folder, not a model file.",
                                  f"Choose one of the .gguf files inside it: {', '.join(ggufs[:5])}.")  # fmt: skip
        if (path / "config.json").exists():
            return ModelFileError(f"{path} is a Hugging Face checkpoint folder, not a GGUF file.",
                                  f"Convert it first: tomoshibi convert {path}")  # fmt: skip
        return ModelFileError(f"{path} is a folder, not a model file.", "Choose a .gguf file.")
    if not path.is_file():
        return ModelFileError(f"{path} is not a regular file.", "Choose a .gguf model file.")
    return None


@contextmanager
def _mapped(path: str | os.PathLike[str]) -> Iterator[tuple[Any, int, str]]:
    """The file memory-mapped read-only, with its size and its name for messages."""
    p = Path(path)
    try:
        problem = _open_problem(p)
    except OSError as error:  # a folder on the way we may not list
        problem = ModelFileError(f"{p} cannot be read: {error.strerror or error}.",
                                 "Check the path and its permissions.")  # fmt: skip
    if problem is not None:
        raise problem
    name = str(p)
    try:
        f = open(p, "rb")  # noqa: SIM115 - closed by the with below
    except PermissionError:
        raise ModelFileError(f"{name} cannot be read: permission denied.",
                             "Check the file's permissions, or copy it somewhere you own.") from None  # fmt: skip
    except OSError as error:
        raise ModelFileError(f"{name} cannot be read: {error.strerror or error}.",
                             "Check that the disk is available, or download the file again.") from None  # fmt: skip
    with f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise ModelFileError(f"{name} is empty (0 bytes).",
                                 "The download or conversion did not finish: download it again.")  # fmt: skip
        try:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError) as error:
            raise ModelFileError(f"{name} cannot be memory-mapped: {error}.",
                                 "Copy the model to a local disk and try again.") from None  # fmt: skip
        with mm:
            yield mm, size, name


def read_header(path: str | os.PathLike[str]) -> GGUFHeader:
    """The checked header of a GGUF file (see ``validate_gguf``)."""
    with _mapped(path) as (mm, size, name):
        return parse_header(mm, size, name)


def validate_gguf(path: str | os.PathLike[str]) -> GGUFHeader:
    """Check a file before llama.cpp loads it; raise ModelFileError saying what is wrong and what to do.

    Checks: readable, magic, version 2/3, sane counts, every length inside the file, known value and
    tensor types, at most 4 dimensions without overflow, alignment, every tensor's data inside the file
    (truncated downloads), no overlapping tensors. Never reads the weights. Returns the checked header
    (of the first part), so a caller needing the tensor table does not parse it again.
    """
    header = read_header(path)
    _other_parts(Path(path), header)
    return header


# A model split by llama.cpp's gguf-split or the gguf writer: NAME-00001-of-00003.gguf ...
_PART_NAME = re.compile(r"^(?P<prefix>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)


def _split_count(header: GGUFHeader) -> tuple[int, int]:
    """(part index from 0, number of parts) from the split.* keys; (0, 1) for a whole file."""
    count = header.fields.get("split.count")
    no = header.fields.get("split.no")
    n = count.value if count is not None and isinstance(count.value, int) else 1
    i = no.value if no is not None and isinstance(no.value, int) else 0
    return int(i), max(1, int(n))


def _other_parts(path: Path, header: GGUFHeader) -> list[GGUFHeader]:
    """Checked headers of parts 2..N when ``path`` is the first part of a split model.

    llama.cpp opens the first part and finds the others by name, so every part must be there.
    """
    index, count = _split_count(header)
    if count == 1 or index != 0:
        return []
    m = _PART_NAME.match(path.name)
    if m is None or int(m["count"]) != count:
        raise ModelFileError(f"{path} is the first of {count} parts of a model, but its name does not say so.",
                             f"Keep the parts' original names: NAME-00001-of-{count:05d}.gguf and so on.")  # fmt: skip
    parts = []
    for i in range(2, count + 1):
        part = path.with_name(f"{m['prefix']}-{i:05d}-of-{count:05d}.gguf")
        if not part.exists():
            raise ModelFileError(f"Part {i} of {count} of {path.name} is missing: {part}",
                                 "Download every part of the model into the same folder.")  # fmt: skip
        parts.append(read_header(part))
    return parts


def read_metadata_value(path: str | os.PathLike[str], key: str, default: Any = None) -> Any:
    """One metadata value in full (str, list, number), or ``default`` when the key is absent.

    For values the summary leaves out: the chat template, ``gguf_keys.SPM_MODEL``, a whole vocabulary.
    """
    with _mapped(path) as (mm, size, name):
        header = parse_header(mm, size, name)
        f = header.fields.get(key)
        return default if f is None else decode_field(mm, f)


def read_metadata_values(path: str | os.PathLike[str], keys: list[str]) -> dict[str, Any]:
    """Several full metadata values in one pass over the header; absent keys are left out."""
    with _mapped(path) as (mm, size, name):
        fields = parse_header(mm, size, name).fields
        return {k: decode_field(mm, fields[k]) for k in keys if k in fields}


# --- summary ---------------------------------------------------------------------------------------


def _summarize(mm: Any, f: Field) -> Any:
    if f.type == STRING:
        if f.value is not None and len(f.value) <= SHORT_STRING:
            return f.value
        return f"<text, {f.count:,} bytes>"
    if f.type == ARRAY:
        if f.count <= SHORT_ARRAY:
            return decode_field(mm, f)
        return f"<{f.count:,} × {f.type_name[6:-1]}>"
    return f.value


# Every hyper-parameter and token id llama.cpp reads is a u32; a larger count is a corrupt field.
MAX_COUNT = (1 << 32) - 1


def _count(name: str, key: str, value: Any) -> int | None:
    """A count read from metadata, checked where it is read: a float must be finite and whole, and any
    value in 0..2^32-1, or ModelFileError (issue 20: an inf rope scale reached ``int()``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
        raise ModelFileError(f"{name} is not a usable GGUF file: '{key}' is {value}, not a whole number.",
                             "The file is damaged: download it again, or re-convert the model.")  # fmt: skip
    if not 0 <= value <= MAX_COUNT:
        raise ModelFileError(f"{name} is not a usable GGUF file: '{key}' is {int(value):,}, out of range.",
                             "The file is damaged: download it again, or re-convert the model.")  # fmt: skip
    return int(value)


def _number(mm: Any, fields: dict[str, Field], key: str, name: str = "The model file") -> int | None:
    """An integer hyper-parameter; per-layer arrays (OpenELM, Gemma 3n) give their largest value."""
    f = fields.get(key)
    if f is None:
        return None
    if f.type == ARRAY:
        if f.item_type == STRING or f.count == 0 or f.count > 4096:
            return None
        values = [v for v in (_count(name, key, v) for v in decode_field(mm, f)) if v is not None]
        return max(values) if values else None
    return _count(name, key, f.value)


def _text(fields: dict[str, Field], key: str, mm: Any) -> str | None:
    f = fields.get(key)
    if f is None or f.type != STRING:
        return None
    return str(decode_field(mm, f))


def _guess_file_type(tensors: tuple[TensorEntry, ...]) -> str | None:
    """Like llama.cpp's LLAMA_FTYPE_GUESSED: the type of most 2-D weights."""
    counts = Counter(GGML_TYPES[t.ggml_type].name for t in tensors if len(t.shape) >= 2)
    return counts.most_common(1)[0][0] if counts else None


@cached_by_stat()  # asked for by pre-flight, panel, library and converters: read once per file version
def inspect_gguf(path: str | os.PathLike[str]) -> GGUFInfo:
    """Validate a GGUF file, then summarize its header. Reads only the header, never the weights."""
    p = Path(path)
    with _mapped(p) as (mm, size, name):
        h = parse_header(mm, size, name)
        fields = h.fields
        arch = _text(fields, "general.architecture", mm)
        index, count = _split_count(h)
        if index > 0:
            m = _PART_NAME.match(p.name)
            first = f"{m['prefix']}-00001-of-{count:05d}.gguf" if m else "the first part"
            raise ModelFileError(f"{name} is part {index + 1} of {count} of a split model.",
                                 f"Open the first part instead: {first}")  # fmt: skip
        if not arch:
            raise ModelFileError(f"{name} has no general.architecture, so llama.cpp cannot load it.",
                                 "Re-convert the model with a current converter.")  # fmt: skip

        def num(suffix: str) -> int | None:
            return _number(mm, fields, f"{arch}.{suffix}", name)

        parts = _other_parts(p, h)
        tensors = h.tensors + tuple(t for part in parts for t in part.tensors)
        ftype_field = fields.get("general.file_type")
        file_type = None
        if ftype_field is not None and isinstance(ftype_field.value, int):
            file_type = file_type_name(int(ftype_field.value))  # ignores llama.cpp's "guessed" flag
        if file_type is None:
            file_type = _guess_file_type(tensors)

        by_elements: Counter[str] = Counter()
        for t in tensors:
            by_elements[t.type_name] += t.n_elements
        vocab = num("vocab_size")
        tokens = fields.get("tokenizer.ggml.tokens")
        if vocab is None and tokens is not None and tokens.type == ARRAY:
            vocab = tokens.count
        n_head = num("attention.head_count")
        n_head_kv = num("attention.head_count_kv")
        return GGUFInfo(
            path=p,
            size_bytes=size + sum(part.file_size for part in parts),
            version=h.version,
            architecture=arch,
            name=_text(fields, "general.name", mm),
            parameter_count=sum(t.n_elements for t in tensors),
            file_type=file_type,
            quantization=by_elements.most_common(1)[0][0] if by_elements else "none",
            tensor_types=dict(Counter(t.type_name for t in tensors).most_common()),
            context_length=num("context_length"),
            n_layer=num("block_count"),
            n_embd=num("embedding_length"),
            n_head=n_head,
            n_head_kv=n_head_kv if n_head_kv is not None else n_head,
            n_ff=num("feed_forward_length"),
            vocab_size=vocab,
            chat_template=_text(fields, "tokenizer.chat_template", mm),
            tokenizer_model=_text(fields, "tokenizer.ggml.model", mm),
            bos_token_id=_number(mm, fields, "tokenizer.ggml.bos_token_id", name),
            eos_token_id=_number(mm, fields, "tokenizer.ggml.eos_token_id", name),
            has_sentencepiece=gguf_keys.SPM_MODEL in fields,
            metadata={k: _summarize(mm, f) for k, f in fields.items()},
            tensor_count=len(tensors),
            weights_bytes=sum(t.n_bytes for t in tensors),
            key_length=num("attention.key_length"),
            value_length=num("attention.value_length"),
            alignment=h.alignment,
            split_count=count,
            tensors=tensors,
        )
