"""Quantization through llama.cpp's own quantizer (``llama_model_quantize`` in llama-cpp-python).

The quantizer runs in a spawned child process (cancel = terminate; a llama.cpp abort cannot kill the
caller). It has no progress callback, so progress is the size of the temporary output file against
the expected size. Output goes to a temporary name in the destination folder and is renamed into
place only after the child succeeded and the result was checked.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.child_process import CancelEvent, capture_llama_log, run_in_child
from models.disk import check_disk
from models.errors import ConversionError, ModelFileError
from models.ggml_types import FILE_TYPE_IDS, GGML_TYPE_IDS
from models.paths import temp_path_for

if TYPE_CHECKING:
    from models.gguf_parse import GGUFHeader

log = logging.getLogger(__name__)

QK_K = 256  # super-block size of the K-quants: their rows must be a multiple of it


@dataclass(frozen=True)
class QuantType:
    """A quantization the user can ask for.

    ``ftype`` is llama.cpp's ``LLAMA_FTYPE_MOSTLY_*`` value; ``bits`` the average bits per weight of
    the whole file (``models.memory``'s table, from llama.cpp's own figures; used for size estimates).
    """

    name: str
    k_quant: bool
    description: str

    @property
    def ftype(self) -> int:
        return FILE_TYPE_IDS[self.name]

    @property
    def bits(self) -> float:
        from models.memory import bits_per_weight

        return bits_per_weight(self.name)


# The quantizations offered, by llama.cpp's name; their ftype numbers are models.ggml_types'.
QUANT_TYPES: dict[str, QuantType] = {
    q.name: q
    for q in (
        QuantType("Q4_0", False, "4-bit, legacy blocks of 32; fastest on old CPUs"),
        QuantType("Q4_1", False, "4-bit with offset, legacy blocks of 32"),
        QuantType("Q4_K_S", True, "4-bit K-quant, small"),
        QuantType("Q4_K_M", True, "4-bit K-quant, medium: the usual best size/quality trade"),
        QuantType("Q5_K_M", True, "5-bit K-quant, medium"),
        QuantType("Q6_K", True, "6-bit K-quant, close to F16 quality"),
        QuantType("Q8_0", False, "8-bit, practically lossless"),
    )
}

# Input tensor types the quantizer can start from without re-quantizing (ggml type ids).
_FLOAT_TYPES = {GGML_TYPE_IDS[name] for name in ("F32", "F16", "BF16")}


def quant_type(name: str) -> QuantType:
    """Look up a quantization by name (case-insensitive); an unknown name lists the valid ones."""
    key = name.strip().upper()
    if key not in QUANT_TYPES:
        from models.errors import ConfigError

        raise ConfigError(f"Unknown quantization {name!r}.", f"Choose one of: {', '.join(QUANT_TYPES)}.")
    return QUANT_TYPES[key]


@dataclass(frozen=True)
class QuantizeProgress:
    """``phase``: checking, imatrix, quantizing, verifying, done. ``done``/``total`` in the phase's unit
    (chunks for imatrix, bytes for quantizing)."""

    phase: str
    done: int = 0
    total: int = 0
    eta_seconds: float | None = None
    message: str = ""

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


@dataclass(frozen=True)
class Fallback:
    """A tensor llama.cpp could not store in the K-quant asked for (row size not a multiple of 256)."""

    name: str
    row_size: int
    stored_as: str


@dataclass(frozen=True)
class QuantizeResult:
    path: Path
    quant: str
    seconds: float
    input_bytes: int
    output_bytes: int
    fallbacks: tuple[Fallback, ...] = ()
    imatrix_tensors: int = 0
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Plan:
    expected_bytes: int
    predicted_fallbacks: tuple[str, ...]


def _plan(src: Path, header: GGUFHeader, qt: QuantType, allow_requantize: bool) -> _Plan:
    """From the input's tensor table: expected output size, tensors a K-quant will not fit."""
    expected = 0
    fallbacks: list[str] = []
    for tensor in header.tensors:
        if len(tensor.shape) < 2 or tensor.n_elements < 4096:  # norms and biases stay as they are
            expected += tensor.n_bytes
            continue
        if tensor.ggml_type not in _FLOAT_TYPES and not allow_requantize:
            raise ConversionError(
                f"{src.name} is already quantized ({tensor.name} is {tensor.type_name}); "
                "quantizing it again would lose quality.",
                "Quantize from an F32, F16 or BF16 file (tomoshibi convert SRC --quant F16).",
            )
        expected += int(tensor.n_elements * qt.bits / 8)
        if qt.k_quant and tensor.shape[0] % QK_K:
            fallbacks.append(tensor.name)
    return _Plan(expected + 1_000_000, tuple(fallbacks))


def detect_fallbacks(path: Path | GGUFHeader, quant: str) -> tuple[Fallback, ...]:
    """Tensors of a quantized file (or its already-read header) whose rows did not fit the K-quant
    super-block (llama.cpp fell back)."""
    qt = quant_type(quant)
    if not qt.k_quant:
        return ()
    from models.gguf_info import read_header

    header = read_header(path) if isinstance(path, str | Path) else path
    return tuple(
        Fallback(t.name, t.shape[0], t.type_name)
        for t in header.tensors
        if len(t.shape) >= 2 and t.shape[0] % QK_K
    )


def quantize(
    src: str | Path,
    dst: str | Path,
    quant: str = "Q4_K_M",
    *,
    calibration_text: str | None = None,
    imatrix: dict[str, Any] | None = None,
    imatrix_ctx: int = 512,
    n_threads: int | None = None,
    allow_requantize: bool = False,
    metadata: dict[str, str] | None = None,
    progress: Callable[[QuantizeProgress], None] | None = None,
    cancel: CancelEvent | None = None,
) -> QuantizeResult:
    """Quantize the GGUF ``src`` into ``dst`` with llama.cpp.

    ``calibration_text`` computes an importance matrix first (in the same child process, see
    :mod:`converters.imatrix`); ``imatrix`` passes one already computed (name → float32 array).
    ``metadata`` sets string keys in the output (llama.cpp's KV overrides: at most 127 bytes each).
    Raises ModelFileError (bad input), InsufficientDiskError, ConversionError, Cancelled. On any
    failure nothing is left at ``dst`` or under a temporary name.
    """
    src, dst = Path(src), Path(dst)
    qt = quant_type(quant)
    started = time.monotonic()
    emit = progress or (lambda p: None)
    emit(QuantizeProgress("checking", message=f"checking {src.name}"))

    from models.gguf_info import validate_gguf

    header = validate_gguf(src)  # parsed once: the checks and the plan read the same header
    if src.resolve() == dst.resolve():
        raise ConversionError(f"Input and output are the same file ({dst}).", "Choose another output name.")
    for key, value in (metadata or {}).items():
        if len(key.encode()) > 127 or len(value.encode()) > 127:
            raise ConversionError(f"Metadata {key!r} is longer than llama.cpp's 127-byte override limit.")
    plan = _plan(src, header, qt, allow_requantize)
    check_disk(dst.parent, int(plan.expected_bytes * 1.05), f"quantizing to {qt.name}",
               "Free some disk space or choose an output folder on another disk.")  # fmt: skip
    if plan.predicted_fallbacks:
        log.warning(
            "%d tensors have rows that are not a multiple of %d; llama.cpp will store them in a "
            "legacy type instead of %s: %s",
            len(plan.predicted_fallbacks),
            QK_K,
            qt.name,
            ", ".join(plan.predicted_fallbacks[:5]),
        )

    tmp = temp_path_for(dst)
    quant_started: list[float] = []

    def on_progress(payload: Any) -> None:
        phase, done, total = payload
        if phase == "quantizing":
            quant_started.append(time.monotonic())
        emit(QuantizeProgress(phase, done, total, message=f"{phase} {done}/{total}" if total else phase))

    def on_tick() -> None:
        if not quant_started:
            return
        try:
            written = tmp.stat().st_size
        except OSError:
            return
        elapsed = time.monotonic() - quant_started[0]
        total = plan.expected_bytes
        eta = elapsed * (total - written) / written if written > 0 and written < total else None
        emit(QuantizeProgress("quantizing", min(written, total), total, eta, "writing"))

    threads = n_threads or max(1, (os.cpu_count() or 2))
    try:
        info = run_in_child(
            _quantize_in_child,
            (
                str(src),
                str(tmp),
                qt.ftype,
                threads,
                allow_requantize,
                imatrix,
                calibration_text,
                imatrix_ctx,
                dict(metadata or {}),
            ),
            what="Quantization",
            on_progress=on_progress,
            on_tick=on_tick,
            cancel=cancel,
        )
        emit(QuantizeProgress("verifying", message=f"checking {dst.name}"))
        fallbacks = detect_fallbacks(validate_gguf(tmp), qt.name)
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    size = dst.stat().st_size
    notes = []
    if fallbacks:
        notes.append(
            f"{len(fallbacks)} tensor(s) have rows not divisible by {QK_K}; llama.cpp stored them as "
            + ", ".join(sorted({f.stored_as for f in fallbacks}))
            + f" instead of {qt.name}: "
            + ", ".join(f.name for f in fallbacks[:6])
            + ("…" if len(fallbacks) > 6 else "")
        )
    result = QuantizeResult(
        path=dst,
        quant=qt.name,
        seconds=time.monotonic() - started,
        input_bytes=src.stat().st_size,
        output_bytes=size,
        fallbacks=fallbacks,
        imatrix_tensors=int(info.get("imatrix_tensors", 0)),
        notes=tuple(notes),
    )
    emit(QuantizeProgress("done", size, size, 0.0, f"{dst.name}: {size / 1e6:.1f} MB"))
    return result


def _quantize_in_child(
    report: Callable[[Any], None],
    src: str,
    tmp: str,
    ftype: int,
    n_threads: int,
    allow_requantize: bool,
    imatrix: dict[str, Any] | None,
    calibration_text: str | None,
    imatrix_ctx: int,
    metadata: dict[str, str],
) -> dict[str, Any]:
    import ctypes

    import llama_cpp

    tail = capture_llama_log()
    llama_cpp.llama_backend_init()
    if calibration_text:
        from converters.imatrix import compute_imatrix_in_process

        imatrix = compute_imatrix_in_process(
            src,
            calibration_text,
            n_ctx=imatrix_ctx,
            n_threads=n_threads,
            report=lambda done, total: report(("imatrix", done, total)),
        )
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = n_threads
    params.allow_requantize = allow_requantize
    keep: list[Any] = []
    if imatrix:
        import numpy as np

        entries = (llama_cpp.llama_model_imatrix_data * (len(imatrix) + 1))()
        for i, (name, values) in enumerate(imatrix.items()):
            array = np.ascontiguousarray(values, dtype=np.float32)
            keep.append(array)
            entries[i].name = name.encode()
            entries[i].data = array.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
            entries[i].size = array.size
        entries[len(imatrix)].name = None  # the list ends at a NULL name
        params.imatrix = ctypes.cast(entries, ctypes.POINTER(llama_cpp.llama_model_imatrix_data))
        keep.append(entries)
    if metadata:
        overrides = (llama_cpp.llama_model_kv_override * (len(metadata) + 1))()
        for i, (key, value) in enumerate(metadata.items()):
            overrides[i].tag = llama_cpp.LLAMA_KV_OVERRIDE_TYPE_STR
            overrides[i].key = key.encode()
            overrides[i].value.val_str = value.encode()  # type: ignore[union-attr]
        params.kv_overrides = ctypes.cast(overrides, ctypes.POINTER(llama_cpp.llama_model_kv_override))
        keep.append(overrides)  # the list ends at an empty key (zero-initialized)
    report(("quantizing", 0, 0))
    rc = llama_cpp.llama_model_quantize(src.encode(), tmp.encode(), ctypes.byref(params))
    if rc != 0:
        detail = next((line for line in reversed(tail) if "error" in line.lower()), tail[-1] if tail else "")
        raise ModelFileError(
            f"llama.cpp could not quantize {Path(src).name} (code {rc}). {detail}".strip(),
            "Check that the input is a complete F16/F32 GGUF of a supported architecture.",
        )
    return {"imatrix_tensors": len(imatrix or {})}
