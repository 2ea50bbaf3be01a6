"""Check a converted GGUF: llama.cpp loads it, the tokenizer round-trips, perplexity vs a reference.

Each file is loaded in its own child process (``models.child_process``): a file that makes llama.cpp
abort gives a report with ``loaded=False`` and the reason, never a dead caller. Perplexity is
``models.perplexity``'s (llama.cpp's logits over windows of ``n_ctx`` tokens, the second half of each
scored, as ``llama-perplexity`` does), so that the F16 and the quantized file are compared on exactly
the same token ids, and the evaluation reports the same number for the same file.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.child_process import CancelEvent, capture_llama_log, run_in_child
from models.errors import Cancelled, TomoshibiError
from models.perplexity import score_tokens

log = logging.getLogger(__name__)

# Lines the tokenizer check encodes: Japanese, English, newlines, emoji, rare kanji, half-width kana.
TOKENIZER_SAMPLES = (
    "こんにちは、灯です。今日は良い天気ですね。",
    "吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。",
    "The quick brown fox jumps over the lazy dog.",
    "インターナショナル・コミュニケーション　ﾃﾞｰﾀﾍﾞｰｽ",
    "絵文字 🙂🏮 と珍しい漢字 龘 躑躅",
    "  leading spaces, tabs\tand 12345 numbers ",
)


@dataclass(frozen=True)
class PerplexityRow:
    label: str
    path: Path
    perplexity: float
    tokens_scored: int
    seconds: float


@dataclass(frozen=True)
class ValidationReport:
    path: Path
    loaded: bool
    error: str = ""
    architecture: str = ""
    n_vocab: int = 0
    size_bytes: int = 0
    load_seconds: float = 0.0
    tokenizer: str = "llama.cpp"  # "sentencepiece" when the file embeds the original model
    samples: int = 0
    roundtrip_ok: int = 0  # samples whose decode(encode(text)) gave the text back
    llama_agreement: float | None = None  # samples where llama.cpp's ids equal SentencePiece's
    perplexity: tuple[PerplexityRow, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.loaded and self.roundtrip_ok == self.samples

    def text(self) -> str:
        if not self.loaded:
            return f"{self.path.name}: llama.cpp could NOT load it: {self.error}"
        lines = [
            f"{self.path.name}: loads in llama.cpp ({self.architecture}, vocab {self.n_vocab}, "
            f"{self.size_bytes / 1e6:.1f} MB, {self.load_seconds:.1f} s)",
            f"tokenizer ({self.tokenizer}): {self.roundtrip_ok}/{self.samples} samples round-trip",
        ]
        if self.llama_agreement is not None:
            lines.append(
                f"llama.cpp's own tokenizer matches SentencePiece on {self.llama_agreement:.0%} of samples"
            )
        if self.perplexity:
            lines.append("perplexity on the calibration text:")
            for row in self.perplexity:
                lines.append(
                    f"  {row.label:<8} {row.perplexity:10.3f}  ({row.tokens_scored} tokens, {row.seconds:.1f} s)"
                )
            if len(self.perplexity) == 2 and self.perplexity[0].perplexity > 0:
                ratio = self.perplexity[1].perplexity / self.perplexity[0].perplexity
                lines.append(f"  {self.perplexity[1].label} / {self.perplexity[0].label}: {ratio:.3f}")
        lines.extend(f"note: {n}" for n in self.notes)
        return "\n".join(lines)


def _check_in_child(
    report: Any, path: str, n_ctx: int, text: str | None, tokens: list[int] | None
) -> dict[str, Any]:
    import llama_cpp

    from models import gguf_keys
    from models.gguf_info import read_metadata_value
    from models.tokenizer import LlamaCppTokenizer, SentencePieceTokenizer

    capture_llama_log()
    started = time.monotonic()
    llm = llama_cpp.Llama(
        model_path=path, n_ctx=n_ctx, n_batch=n_ctx, logits_all=True, verbose=False, n_gpu_layers=0
    )
    out: dict[str, Any] = {"load_seconds": time.monotonic() - started}
    out["architecture"] = str(llm.metadata.get("general.architecture", ""))
    out["n_vocab"] = llm.n_vocab()
    cpp = LlamaCppTokenizer(llm)
    spm_b64 = read_metadata_value(path, gguf_keys.SPM_MODEL)
    samples = list(TOKENIZER_SAMPLES)
    if spm_b64:
        spm = SentencePieceTokenizer(str(spm_b64), llm.token_bos(), {})
        out["tokenizer"] = "sentencepiece"
        ids = [spm.encode(s, add_bos=False) for s in samples]
        out["roundtrip_ok"] = sum(
            spm.decode(i) == _spm_normalized(spm, s) for i, s in zip(ids, samples, strict=True)
        )
        out["llama_agreement"] = sum(
            cpp.encode(s, add_bos=False) == i for i, s in zip(ids, samples, strict=True)
        ) / len(samples)
        encode = spm.encode
    else:
        out["tokenizer"] = "llama.cpp"
        out["roundtrip_ok"] = sum(
            cpp.decode(cpp.encode(s, add_bos=False)).strip() == s.strip() for s in samples
        )
        out["llama_agreement"] = None
        encode = cpp.encode
    out["samples"] = len(samples)
    if text is not None or tokens is not None:
        if tokens is None:
            tokens = encode(text or "", add_bos=False)
        started = time.monotonic()
        out["perplexity"], out["scored"] = score_tokens(llm, tokens, n_ctx, report)
        out["tokens"] = tokens
        out["ppl_seconds"] = time.monotonic() - started
    return out


def _spm_normalized(spm: Any, text: str) -> str:
    """The text as SentencePiece sees it (NFKC, whitespace rules): what a round trip should give back."""
    sp = spm._sp
    normalized = str(sp.normalize(text)).replace("\u2581", " ")
    if str(sp.normalize("a")).startswith("\u2581") and normalized.startswith(" "):
        normalized = normalized[1:]  # the dummy prefix the model adds, which decode removes
    return normalized


def validate_file(
    path: str | Path,
    *,
    reference: str | Path | None = None,
    calibration_text: str | None = None,
    n_ctx: int = 512,
    label: str = "",
    reference_label: str = "F16",
    cancel: CancelEvent | None = None,
) -> ValidationReport:
    """Load ``path`` in llama.cpp, check its tokenizer and, with ``calibration_text``, its perplexity.

    With ``reference`` (the F16 file) too, the reference's perplexity is computed on the same ids and
    listed first.
    """
    path = Path(path)
    try:
        rows: list[PerplexityRow] = []
        tokens: list[int] | None = None
        if reference is not None and calibration_text:
            ref = run_in_child(
                _check_in_child,
                (str(reference), n_ctx, calibration_text, None),
                what="Validation",
                cancel=cancel,
            )
            tokens = ref["tokens"]
            rows.append(
                PerplexityRow(
                    reference_label, Path(reference), ref["perplexity"], ref["scored"], ref["ppl_seconds"]
                )
            )
        result = run_in_child(
            _check_in_child,
            (str(path), n_ctx, calibration_text if tokens is None else None, tokens),
            what="Validation",
            cancel=cancel,
        )
    except Cancelled:
        raise
    except TomoshibiError as error:
        return ValidationReport(path=path, loaded=False, error=str(error), size_bytes=_size(path))
    if "perplexity" in result:
        rows.append(
            PerplexityRow(
                label or _file_type(path), path, result["perplexity"], result["scored"], result["ppl_seconds"]
            )
        )
    return ValidationReport(
        path=path,
        loaded=True,
        architecture=result["architecture"],
        n_vocab=result["n_vocab"],
        size_bytes=_size(path),
        load_seconds=result["load_seconds"],
        tokenizer=result["tokenizer"],
        samples=result["samples"],
        roundtrip_ok=result["roundtrip_ok"],
        llama_agreement=result["llama_agreement"],
        perplexity=tuple(rows),
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _file_type(path: Path) -> str:
    try:
        from models.gguf_info import inspect_gguf

        return inspect_gguf(path).file_type or "model"
    except TomoshibiError:
        return "model"
