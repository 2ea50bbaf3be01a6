"""Hugging Face checkpoint → GGUF (F32, F16, BF16 or Q8_0), one tensor at a time, atomically.

Flow: resolve the source (folder or hub id) → read config and tensor headers → the architecture
module names, reorders and permutes tensors → the GGUF header (hyper-parameters, vocabulary,
provenance) is written to a temporary file in the destination folder → each tensor is loaded,
transformed, converted and appended, then dropped → ``os.replace`` onto the destination.
Peak memory is about the largest tensor (in float32) plus its converted copy.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from models import gguf_keys
from models.child_process import CancelEvent
from models.disk import check_disk
from models.errors import Cancelled, ConfigError, ConversionError
from models.paths import temp_path_for

from .arch import Architecture, architecture_for
from .readers import Checkpoint, TensorRef, open_checkpoint, resolve_source
from .vocab import Vocab, load_vocab

log = logging.getLogger(__name__)

OUT_TYPES = ("f32", "f16", "bf16", "q8_0")


@dataclass(frozen=True)
class ConversionProgress:
    """Reported after each tensor (and once before the first)."""

    bytes_done: int
    bytes_total: int
    tensors_done: int
    tensors_total: int
    elapsed_s: float
    eta_s: float | None
    tensor: str = ""

    @property
    def fraction(self) -> float:
        return self.bytes_done / self.bytes_total if self.bytes_total else 1.0


@dataclass(frozen=True)
class ConversionResult:
    path: Path
    out_type: str
    architecture: str  # the GGUF architecture ("gptneox", "llama")
    hf_architecture: str
    tokenizer: str  # Vocab.kind
    n_tensors: int
    n_params: int
    bytes_written: int
    seconds: float
    source: str


@dataclass(frozen=True)
class _PlannedTensor:
    gguf_name: str
    ref: TensorRef
    qtype: Any  # gguf.GGMLQuantizationType
    nbytes: int


def convert_checkpoint(
    src: str | Path,
    out_path: str | Path,
    out_type: str = "f16",
    progress: Callable[[ConversionProgress], None] | None = None,
    cancel: CancelEvent | None = None,
    *,
    chat_format: str | None = None,
) -> ConversionResult:
    """Convert a checkpoint folder (or hub repo id) to one GGUF file at ``out_path``.

    Raises ConversionError, UnsupportedModelError, InsufficientDiskError, DownloadError, or
    Cancelled when ``cancel`` is set; in every failure case nothing is left at ``out_path`` nor
    in its folder. ``chat_format`` overrides the built-in chat format written to the file.
    """
    import gguf

    out_type = out_type.lower()
    if out_type not in OUT_TYPES:
        raise ConfigError(
            f"Unknown output type {out_type!r}.",
            f"Choose one of {', '.join(OUT_TYPES)} (4-bit types are made by quantizing the result).",
        )
    started = time.monotonic()
    folder = resolve_source(src)
    checkpoint = open_checkpoint(folder)
    arch = architecture_for(checkpoint.config)
    plan = _plan(checkpoint, arch, out_type)
    n_vocab = next(p.ref.shape[0] for p in plan if p.gguf_name == "token_embd.weight")
    vocab = load_vocab(folder, checkpoint.config, n_vocab, arch.gguf_arch)
    if chat_format:
        vocab.chat_format = chat_format

    out = Path(out_path).expanduser().resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    bytes_total = sum(p.nbytes for p in plan)
    check_disk(
        out.parent,
        bytes_total + _vocab_bytes(vocab),
        "converting",
        "Free some disk space or choose another destination folder.",
    )

    writer = gguf.GGUFWriter(path=None, arch=arch.gguf_arch)
    _write_metadata(writer, checkpoint, arch, vocab, out_type, str(src))
    for p in plan:
        writer.add_tensor_info(p.gguf_name, p.ref.shape, np.dtype(np.float32), p.nbytes, raw_dtype=p.qtype)

    tmp = temp_path_for(out)
    done = False
    try:
        writer.write_header_to_file(tmp)
        writer.write_kv_data_to_file()
        writer.write_ti_data_to_file()
        bytes_done = 0
        _report(progress, 0, bytes_total, 0, len(plan), started, "")
        for i, p in enumerate(plan):
            if cancel is not None and cancel.is_set():
                raise Cancelled("The conversion")
            data = _convert_tensor(arch, p)
            writer.write_tensor_data(data)
            bytes_done += p.nbytes
            del data
            _report(progress, bytes_done, bytes_total, i + 1, len(plan), started, p.gguf_name)
        if cancel is not None and cancel.is_set():
            raise Cancelled("The conversion")
        assert writer.fout is not None
        for f in writer.fout:
            f.flush()
            os.fsync(f.fileno())
        writer.close()
        os.replace(tmp, out)
        done = True
    except OSError as e:
        raise ConversionError(
            f"Writing {out} failed ({e}).", "Check that the folder is writable and has space."
        ) from e
    finally:
        if not done:
            writer.close()
            tmp.unlink(missing_ok=True)
    return ConversionResult(
        path=out,
        out_type=out_type,
        architecture=arch.gguf_arch,
        hf_architecture=arch.hf_names[0],
        tokenizer=vocab.kind,
        n_tensors=len(plan),
        n_params=sum(int(np.prod(p.ref.shape)) for p in plan),
        bytes_written=out.stat().st_size,
        seconds=time.monotonic() - started,
        source=str(src),
    )


def tensor_type(gguf_name: str, shape: tuple[int, ...], out_type: str) -> Any:
    """The GGUF type of one tensor: vectors (norms, biases) stay F32 as llama.cpp expects; Q8_0 needs
    rows that are a multiple of its 32-value block, other matrices fall back to F16."""
    from gguf import GGML_QUANT_SIZES
    from gguf import GGMLQuantizationType as Q

    if len(shape) < 2 or out_type == "f32":
        return Q.F32
    if out_type == "q8_0":
        return Q.Q8_0 if shape[-1] % GGML_QUANT_SIZES[Q.Q8_0][0] == 0 else Q.F16
    return {"f16": Q.F16, "bf16": Q.BF16}[out_type]


def _plan(checkpoint: Checkpoint, arch: Architecture, out_type: str) -> list[_PlannedTensor]:
    from gguf import GGML_QUANT_SIZES

    def planned(gguf_name: str, ref: TensorRef) -> _PlannedTensor:
        if ref.dtype not in ("F32", "F16", "BF16", "F64"):
            raise ConversionError(
                f"Tensor {ref.name} is stored as {ref.dtype}; only floating-point weights can be converted.",
                "Use the original (unquantized) checkpoint.",
            )
        qtype = tensor_type(gguf_name, ref.shape, out_type)
        block, size = GGML_QUANT_SIZES[qtype]
        n = int(np.prod(ref.shape, dtype=np.int64))
        return _PlannedTensor(gguf_name, ref, qtype, n // block * size)

    plan: list[_PlannedTensor] = []
    for ref in checkpoint:
        name = arch.gguf_name(ref.name)
        if name is not None:
            plan.append(planned(name, ref))
    for gguf_name, hf_name in arch.aliases(set(checkpoint.tensors)).items():
        if hf_name in checkpoint.tensors:
            plan.append(planned(gguf_name, checkpoint.tensors[hf_name]))
    for gguf_name, array in arch.extra_tensors().items():
        generated = TensorRef(
            name=f"<computed {gguf_name}>",
            shape=array.shape,
            dtype="F32",
            nbytes=array.nbytes,
            loader=functools.partial(np.asarray, array),
            source="config.json",
        )
        plan.append(planned(gguf_name, generated))
    names = [p.gguf_name for p in plan]
    if "token_embd.weight" not in names:
        raise ConversionError(
            "The checkpoint has no token embedding; the weight files are incomplete.",
            "Download the whole checkpoint again.",
        )
    if len(set(names)) != len(names):
        raise ConversionError(
            "Two checkpoint tensors map to the same GGUF tensor.", "Please report this checkpoint."
        )
    # The GGUF lists tensors in order; blocks in numeric order read better in tools.
    plan.sort(key=lambda p: _sort_key(p.gguf_name))
    return plan


def _sort_key(name: str) -> tuple[int, int, str]:
    parts = name.split(".")
    if parts[0] == "blk":
        return (1, int(parts[1]), name)
    return (0 if name.startswith("token_embd") else 2, 0, name)


def _convert_tensor(arch: Architecture, p: _PlannedTensor) -> np.ndarray:
    import gguf

    data = p.ref.load()
    # F16 → F16 (rinna ships float16) needs no float32 copy; everything else is computed in float32.
    if not (data.dtype == np.float16 and p.qtype == gguf.GGMLQuantizationType.F16):
        data = np.asarray(data, dtype=np.float32)
    data = arch.transform(p.ref.name, data)
    if data.shape != p.ref.shape:
        raise ConversionError(
            f"Internal error: {p.gguf_name} changed shape.", "Please report this checkpoint."
        )
    out = gguf.quants.quantize(data, p.qtype)
    if out.nbytes != p.nbytes:
        raise ConversionError(
            f"Internal error: {p.gguf_name} has an unexpected size.", "Please report this checkpoint."
        )
    return out


def _write_metadata(
    writer: Any, checkpoint: Checkpoint, arch: Architecture, vocab: Vocab, out_type: str, src: str
) -> None:
    import gguf

    # The repo's name for a hub download (its folder is "owner--name"), else the folder's name.
    name = str(
        checkpoint.config.get("_name_or_path") or (src if not Path(src).is_dir() else checkpoint.folder.name)
    )
    writer.add_name(name.rstrip("/").split("/")[-1] or checkpoint.folder.name)
    writer.add_type(gguf.GGUFType.MODEL)
    file_type = {
        "f32": gguf.LlamaFileType.ALL_F32,
        "f16": gguf.LlamaFileType.MOSTLY_F16,
        "bf16": gguf.LlamaFileType.MOSTLY_BF16,
        "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0,
    }[out_type]
    writer.add_file_type(file_type)
    writer.add_quantization_version(gguf.GGML_QUANT_VERSION)
    arch.write_parameters(writer)
    writer.add_vocab_size(len(vocab.tokens))
    vocab.write(writer)
    writer.add_string(gguf_keys.CONVERSION, json.dumps(_provenance(checkpoint, arch, vocab, out_type, src)))


def _provenance(
    checkpoint: Checkpoint, arch: Architecture, vocab: Vocab, out_type: str, src: str
) -> dict[str, Any]:
    try:
        from importlib.metadata import version

        tomoshibi_version = version("tomoshibi")
    except Exception:  # not installed as a distribution (running from a checkout)
        tomoshibi_version = "unknown"
    return {
        "source": src,
        "source_architecture": arch.hf_names[0],
        "weight_files": [p.name for p in checkpoint.weight_files],
        "out_type": out_type,
        "tokenizer": vocab.kind,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "tomoshibi_version": tomoshibi_version,
    }


def _vocab_bytes(vocab: Vocab) -> int:
    text = sum(len(t.encode("utf-8")) + 12 for t in vocab.tokens)
    merges = sum(len(m.encode("utf-8")) + 8 for m in vocab.merges or [])
    return text + merges + len(vocab.spm_model_b64 or "")


def _report(
    progress: Callable[[ConversionProgress], None] | None,
    done: int,
    total: int,
    tensors_done: int,
    tensors_total: int,
    started: float,
    tensor: str,
) -> None:
    if progress is None:
        return
    elapsed = time.monotonic() - started
    eta = elapsed / done * (total - done) if done else None
    progress(ConversionProgress(done, total, tensors_done, tensors_total, elapsed, eta, tensor))
