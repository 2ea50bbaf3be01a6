"""Text and JSON views of a GGUF file and its memory needs, shared by ``tomoshibi info`` and ``inspect``.

Only standard-library imports at module level: every ``cli`` module is imported to build ``--help``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.gguf_info import GGUFInfo
    from models.memory import MemoryBudget, MemoryEstimate


def _b(n: float) -> str:
    from models.units import format_bytes

    return format_bytes(n)


def _table(rows: list[list[str]], header: list[str], indent: str = "  ") -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in [header, *rows]]  # fmt: skip


def overview_lines(info: GGUFInfo) -> list[str]:
    """Who the model is: name, shape, size, quantization, context, tokenizer, chat template."""
    from models.units import format_count

    def opt(value: object) -> str:
        return "?" if value is None else f"{value:,}" if isinstance(value, int) else str(value)

    kv_heads = f" ({info.n_head_kv} KV)" if info.n_head_kv not in (None, info.n_head) else ""
    heads = f"{opt(info.n_head)} heads{kv_heads}"
    template = "none (a built-in chat format is needed)"
    if info.chat_template:
        template = f"yes ({len(info.chat_template):,} characters{_template_family(info.chat_template)})"
    return [
        f"{info.name or info.path.stem}  ({info.path.name})",
        f"  architecture   {info.architecture}: {opt(info.n_layer)} layers, n_embd {opt(info.n_embd)}, "
        f"{heads}, n_ff {opt(info.n_ff)}",
        f"  parameters     {format_count(info.parameter_count)} ({info.parameter_count:,})",
        f"  quantization   {info.file_type or '?'} (most weights in {info.quantization})",
        f"  file           {_b(info.size_bytes)}"
        + (f" in {info.split_count} parts" if info.split_count > 1 else "")
        + f", GGUF v{info.version}, {info.tensor_count} tensors, "
        f"weights {_b(info.weights_bytes)}",
        f"  context        trained for {opt(info.context_length)} tokens",
        f"  tokenizer      {info.tokenizer_model or '?'}, {opt(info.vocab_size)} tokens, "
        f"BOS {opt(info.bos_token_id)}, EOS {opt(info.eos_token_id)}"
        + (", SentencePiece model embedded" if info.has_sentencepiece else ""),
        f"  chat template  {template}",
    ]


def _template_family(template: str) -> str:
    for marker, family in (("<|im_start|>", "ChatML"), ("[INST]", "Llama 2"), ("<|start_header_id|>", "Llama 3"),
                           ("<start_of_turn>", "Gemma"), ("<|user|>", "Zephyr/Phi")):  # fmt: skip
        if marker in template:
            return f", {family}"
    return ""


def memory_lines(est: MemoryEstimate, budget: MemoryBudget, problem: str | None) -> list[str]:
    """The estimate, this machine's free memory, and the verdict (``problem`` from preflight, if any)."""
    gpu = "no GPU found"
    if budget.unified:
        gpu = f"{budget.gpu_name} shares the RAM"
    elif budget.vram_total is not None:
        gpu = f"{budget.gpu_name}: {_b(budget.vram_free or 0)} free of {_b(budget.vram_total)}"
    lines = [
        f"Memory at {est.n_ctx:,} tokens of context"
        + (f", {est.n_gpu_layers} layers on the GPU" if est.n_gpu_layers else "")
        + ":",
        f"  weights        {_b(est.weights_bytes)}",
        f"  KV cache       {_b(est.kv_cache_bytes)}",
        f"  logits         {_b(est.logits_bytes)}",
        f"  compute        {_b(est.compute_bytes)}",
        f"  runtime        {_b(est.overhead_bytes)}",
        f"  total          {_b(est.total_bytes)}"
        + (f" (RAM {_b(est.ram_bytes)}, GPU {_b(est.vram_bytes)})" if est.vram_bytes else ""),
        f"This machine: {_b(budget.ram_available)} RAM available of {_b(budget.ram_total)}; {gpu}",
    ]
    if problem is None:
        lines.append("Verdict: fits.")
    else:
        lines.append("Verdict: does NOT fit.")
        lines += ["  " + line for line in problem.splitlines()]
    return lines


def metadata_lines(info: GGUFInfo) -> list[str]:
    rows = [[key, _short(value)] for key, value in sorted(info.metadata.items())]
    return [f"Metadata ({len(rows)} keys):", *_table(rows, ["key", "value"])]


def _short(value: Any, limit: int = 90) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    text = repr(value) if not isinstance(value, str) else value.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def tensor_lines(info: GGUFInfo, every: bool = False) -> list[str]:
    """Tensors by type, the layout of one layer, and the tensors outside the layers (or every tensor)."""
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for t in info.tensors:
        row = by_type[t.type_name]
        row[0] += 1
        row[1] += t.n_elements
        row[2] += t.n_bytes
    total = info.weights_bytes or 1
    rows = [[name, str(n), f"{elems:,}", _b(size), f"{100 * size / total:.1f}%"]
            for name, (n, elems, size) in sorted(by_type.items(), key=lambda kv: -kv[1][2])]  # fmt: skip
    lines = [
        f"Tensors ({info.tensor_count}) by type:",
        *_table(rows, ["type", "tensors", "elements", "bytes", "share"]),
    ]

    def rows_for(tensors: list[Any]) -> list[list[str]]:
        return [[t.name, "×".join(map(str, t.shape)), t.type_name, _b(t.n_bytes)] for t in tensors]

    header = ["name", "shape", "type", "bytes"]
    if every:
        return [*lines, "All tensors:", *_table(rows_for(list(info.tensors)), header)]
    first = [t for t in info.tensors if t.name.startswith("blk.0.")]
    outside = [t for t in info.tensors if not re.match(r"blk\.\d+\.", t.name)]
    if first:
        lines += [f"Layer 0 of {info.n_layer or '?'} (the others alike):", *_table(rows_for(first), header)]
    if outside:
        lines += ["Outside the layers:", *_table(rows_for(outside), header)]
    return lines


def info_dict(info: GGUFInfo, *, tensors: bool = True) -> dict[str, Any]:
    """Everything in GGUFInfo as JSON-friendly values."""
    out: dict[str, Any] = {
        "path": str(info.path),
        "size_bytes": info.size_bytes,
        "version": info.version,
        "architecture": info.architecture,
        "name": info.name,
        "parameter_count": info.parameter_count,
        "file_type": info.file_type,
        "quantization": info.quantization,
        "tensor_types": info.tensor_types,
        "context_length": info.context_length,
        "n_layer": info.n_layer,
        "n_embd": info.n_embd,
        "n_head": info.n_head,
        "n_head_kv": info.n_head_kv,
        "n_ff": info.n_ff,
        "vocab_size": info.vocab_size,
        "tokenizer_model": info.tokenizer_model,
        "bos_token_id": info.bos_token_id,
        "eos_token_id": info.eos_token_id,
        "has_sentencepiece": info.has_sentencepiece,
        "chat_template": info.chat_template,
        "tensor_count": info.tensor_count,
        "weights_bytes": info.weights_bytes,
        "split_count": info.split_count,
        "metadata": {k: _jsonable(v) for k, v in info.metadata.items()},
    }
    if tensors:
        out["tensors"] = [
            {
                "name": t.name,
                "shape": list(t.shape),
                "type": t.type_name,
                "offset": t.offset,
                "bytes": t.n_bytes,
            }
            for t in info.tensors
        ]
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def estimate_dict(est: MemoryEstimate, budget: MemoryBudget, problem: str | None) -> dict[str, Any]:
    return {
        "n_ctx": est.n_ctx,
        "n_gpu_layers": est.n_gpu_layers,
        "weights_bytes": est.weights_bytes,
        "kv_cache_bytes": est.kv_cache_bytes,
        "logits_bytes": est.logits_bytes,
        "compute_bytes": est.compute_bytes,
        "overhead_bytes": est.overhead_bytes,
        "total_bytes": est.total_bytes,
        "ram_bytes": est.ram_bytes,
        "vram_bytes": est.vram_bytes,
        "ram_available": budget.ram_available,
        "vram_free": budget.vram_free,
        "gpu_name": budget.gpu_name,
        "fits": problem is None,
        "problem": problem,
    }
