"""Checkpoint → GGUF → quantized → validated → in place: the whole conversion as one call.

``convert`` writes the F16 intermediate and the quantized file under hidden temporary names in the
destination folder, validates the quantized file (and, with calibration text, compares its
perplexity with the F16's), then renames it into place. Cancel or failure removes every temporary
file; nothing is ever left at ``out`` unless the whole pipeline succeeded.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from converters.profiles import Recommendation, recommend
from converters.quantize import QUANT_TYPES, QuantizeProgress, QuantizeResult, quantize
from converters.validate import ValidationReport, validate_file
from models import gguf_keys
from models.child_process import CancelEvent
from models.errors import Cancelled, ConfigError, ConversionError
from models.paths import temp_path_for

log = logging.getLogger(__name__)

# Types the converter writes directly (no llama.cpp quantizer pass).
DIRECT_TYPES = ("F32", "F16", "BF16")
# Where the quantization's provenance goes: the converter's own record stays under CONVERSION (it is
# longer than the 127 bytes llama.cpp's quantizer can set, so we add ours beside it).
QUANT_PROVENANCE = gguf_keys.QUANTIZATION
# Share of the progress bar per stage.
_STAGES = {"convert": (0.0, 0.5), "quantize": (0.5, 0.9), "validate": (0.9, 1.0)}


@dataclass(frozen=True)
class PipelineProgress:
    stage: str  # download (hub repo ids only), convert, quantize, validate, done
    fraction: float  # of the whole pipeline
    message: str = ""
    eta_seconds: float | None = None


@dataclass(frozen=True)
class ConversionReport:
    output: Path
    quant: str
    seconds: float
    convert_seconds: float
    recommendation: Recommendation | None
    quantized: QuantizeResult | None
    validation: ValidationReport
    provenance: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        lines = [
            f"wrote {self.output} ({self.quant}, {self.output.stat().st_size / 1e6:.1f} MB) in {self.seconds:.1f} s"
        ]
        if self.recommendation is not None:
            lines.append(self.recommendation.text())
        if self.quantized is not None:
            lines.append(f"quantized in {self.quantized.seconds:.1f} s")
            if self.quantized.imatrix_tensors:
                lines.append(f"importance matrix: {self.quantized.imatrix_tensors} tensors")
            lines.extend(f"note: {n}" for n in self.quantized.notes)
        lines.append(self.validation.text())
        return "\n".join(lines)


def _fraction(payload: Any) -> float:
    """Best-effort fraction from the converter's progress payload (an object or a tuple)."""
    value = getattr(payload, "fraction", None)
    if isinstance(value, int | float):
        return float(value)
    for done_key, total_key in (
        ("bytes_done", "bytes_total"),
        ("done", "total"),
        ("tensors_done", "tensors_total"),
    ):
        done, total = getattr(payload, done_key, None), getattr(payload, total_key, None)
        if isinstance(done, int | float) and isinstance(total, int | float) and total:
            return float(done) / float(total)
    return 0.0


def _fetched(src: str | Path, emit: Callable[[PipelineProgress], None], cancel: CancelEvent | None) -> Path:
    """The checkpoint folder; a hub repo id is downloaded first (or found already downloaded), reported
    as a ``download`` stage whose fraction is of the download alone (its share of the whole is unknown)."""
    from converters.readers.checkpoint import resolve_source

    def on_download(p: Any) -> None:
        done = (
            f"{p.downloaded / 1e6:.1f}/{p.total / 1e6:.1f} MB" if p.total else f"{p.downloaded / 1e6:.1f} MB"
        )
        emit(PipelineProgress("download", p.fraction or 0.0, f"{p.filename} {done}", p.eta))

    return resolve_source(src, progress=on_download, cancel=cancel)  # type: ignore[arg-type]


def provenance(src: str | Path, quant: str, profile: str | None, imatrix: bool) -> dict[str, Any]:
    from models import __version__

    source = str(src)
    if Path(source).exists():
        source = Path(source).resolve().name
    return {
        "source": source,
        "quant": quant,
        "profile": profile,
        "imatrix": imatrix,
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "tomoshibi": __version__,
    }


def _compact(record: dict[str, Any]) -> str:
    """JSON within llama.cpp's 127-byte override limit (the source name is shortened if needed)."""
    text = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
    excess = len(text.encode()) - 127
    if excess > 0:
        record = {**record, "source": "…" + record["source"][excess + 4 :]}
        text = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
    return text


def convert(
    src: str | Path,
    out: str | Path,
    quant: str | None = "Q4_K_M",
    *,
    profile: str | None = None,
    calib: str | Path | None = None,
    imatrix: bool | None = None,
    validate_ctx: int = 512,
    progress: Callable[[PipelineProgress], None] | None = None,
    cancel: CancelEvent | None = None,
) -> ConversionReport:
    """Convert the checkpoint ``src`` (folder or hub id) into the GGUF ``out``.

    ``quant`` None with a ``profile`` takes the profile's recommendation. ``calib`` (a text file)
    enables the perplexity comparison and, unless ``imatrix`` is False, the importance matrix;
    ``imatrix=True`` without ``calib`` uses Tomoshibi's Japanese calibration text.
    """
    from converters.convert import convert_checkpoint

    started = time.monotonic()
    out = Path(out)
    emit = progress or (lambda p: None)
    recommendation = None
    folder = _fetched(src, emit, cancel)
    if profile is not None:
        recommendation = recommend(folder, profile)
        if quant is None:
            if recommendation.quant is None:
                raise ConfigError(
                    f"No quantization of this model fits {profile}.", recommendation.warning or ""
                )
            quant = recommendation.quant
        elif (
            recommendation.quant is not None
            and not any(o.quant == quant.upper() and o.fits for o in recommendation.options)
            and quant.upper() in recommendation.profile.quants
        ):
            log.warning("%s may not fit %s: %s", quant, profile, recommendation.warning or "")
    quant = (quant or "Q4_K_M").upper()
    if quant not in DIRECT_TYPES and quant not in QUANT_TYPES:
        raise ConfigError(
            f"Unknown output type {quant!r}.", f"Choose one of: {', '.join((*DIRECT_TYPES, *QUANT_TYPES))}."
        )
    text = Path(calib).read_text(encoding="utf-8") if calib else None
    use_imatrix = bool(imatrix if imatrix is not None else text) and quant in QUANT_TYPES and quant != "Q8_0"
    if use_imatrix and text is None:
        from converters.imatrix import default_calibration_text

        text = default_calibration_text()
    record = provenance(src, quant, profile, use_imatrix)

    def stage(name: str, inner: float, message: str = "", eta: float | None = None) -> None:
        lo, hi = _STAGES[name]
        emit(PipelineProgress(name, lo + (hi - lo) * max(0.0, min(1.0, inner)), message, eta))

    out.parent.mkdir(parents=True, exist_ok=True)
    direct = quant in DIRECT_TYPES or (quant == "Q8_0" and text is None)
    f16 = temp_path_for(out, "f16")
    final_tmp = temp_path_for(out)
    try:
        t0 = time.monotonic()
        convert_checkpoint(
            src,
            final_tmp if direct else f16,
            out_type=quant.lower() if direct else "f16",
            progress=lambda p: stage("convert", _fraction(p), "converting"),
            cancel=cancel,
        )
        convert_seconds = time.monotonic() - t0
        if cancel is not None and cancel.is_set():
            raise Cancelled("The conversion")
        quantized = None
        if not direct:

            def on_quant(p: QuantizeProgress) -> None:
                stage("quantize", p.fraction if p.phase == "quantizing" else 0.0, p.message, p.eta_seconds)

            quantized = quantize(
                f16,
                final_tmp,
                quant,
                calibration_text=text if use_imatrix else None,
                metadata={QUANT_PROVENANCE: _compact(record)},
                progress=on_quant,
                cancel=cancel,
            )
        stage("validate", 0.0, "loading the result in llama.cpp")
        report = validate_file(
            final_tmp,
            reference=None if direct else f16,
            calibration_text=text,
            n_ctx=validate_ctx,
            label=quant,
            cancel=cancel,
        )
        if not report.loaded:
            raise ConversionError(
                f"The converted file does not load in llama.cpp: {report.error}",
                "Please report this with the checkpoint's name; the source checkpoint may be unusual.",
            )
        os.replace(final_tmp, out)
    finally:
        f16.unlink(missing_ok=True)
        final_tmp.unlink(missing_ok=True)
    report = _moved(report, final_tmp, out)
    if quantized is not None:
        from dataclasses import replace

        quantized = replace(quantized, path=out)
    emit(PipelineProgress("done", 1.0, f"wrote {out.name}"))
    return ConversionReport(
        output=out,
        quant=quant,
        seconds=time.monotonic() - started,
        convert_seconds=convert_seconds,
        recommendation=recommendation,
        quantized=quantized,
        validation=report,
        provenance=record,
    )


def _moved(report: ValidationReport, tmp: Path, out: Path) -> ValidationReport:
    from dataclasses import replace

    rows = tuple(replace(r, path=out) if r.path == tmp else r for r in report.perplexity)
    return replace(report, path=out, perplexity=rows)
