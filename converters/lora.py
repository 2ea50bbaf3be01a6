"""A PEFT LoRA adapter folder → a GGUF LoRA adapter that llama.cpp applies at load time.

llama.cpp computes ``W x + scale · B (A x)`` with ``scale = user_scale · alpha / rank``. PEFT stores
``lora_A.weight`` as (rank, in) and ``lora_B.weight`` as (out, rank); in ggml's reversed order these
are exactly the ``[in, rank]`` / ``[rank, out]`` shapes llama.cpp expects for ``<base>.lora_a`` /
``<base>.lora_b``, so no transpose is needed. What the base conversion does to a weight's ROWS
(Llama's Q/K rotary permutation, GPT-NeoX's per-head QKV → [Q;K;V] reordering) must be done to the
rows of B, because the permuted weight P·W gets the delta P·(B·A) = (P·B)·A. We reuse the
architecture module's own ``transform`` for that, so base and adapter cannot disagree.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from models.errors import ConversionError, UnsupportedModelError
from models.paths import temp_path_for

log = logging.getLogger(__name__)

_PEFT_KEY = re.compile(r"^(?:base_model\.model\.)?(?P<module>.+)\.lora_(?P<ab>[AB])(?:\.default)?\.weight$")
_OUT_TYPES = {"F32": np.float32, "F16": np.float16}


@dataclass(frozen=True)
class LoraResult:
    path: Path
    architecture: str
    rank: int
    alpha: float
    tensors: int  # number of adapted weights (pairs)
    target_modules: tuple[str, ...]


def _read_adapter_config(folder: Path) -> dict[str, Any]:
    from converters.readers.checkpoint import read_json_object

    config = read_json_object(
        folder / "adapter_config.json",
        (
            f"{folder} has no adapter_config.json, so it is not a PEFT adapter folder.",
            "Point to the folder saved by PEFT's save_pretrained (adapter_config.json + adapter_model.safetensors).",
        ),
        "Save the adapter again.",
    )
    if str(config.get("peft_type", "LORA")).upper() != "LORA":
        raise UnsupportedModelError(
            f"This adapter is {config.get('peft_type')}, not LoRA.", "Only LoRA adapters can be converted."
        )
    for key, what in (("use_dora", "DoRA"), ("fan_in_fan_out", "fan_in_fan_out (Conv1D) layers")):
        if config.get(key):
            raise UnsupportedModelError(
                f"This adapter uses {what}, which llama.cpp cannot apply.", "Train a plain LoRA adapter."
            )
    if config.get("bias", "none") != "none":
        raise UnsupportedModelError(
            f"This adapter trains biases (bias={config['bias']!r}); llama.cpp's LoRA has no bias term.",
            "Train the adapter with bias='none'.",
        )
    if config.get("modules_to_save"):
        raise UnsupportedModelError(
            f"This adapter also saves full copies of {config['modules_to_save']}; a GGUF LoRA cannot carry them.",
            "Merge the adapter into the base model and convert the merged checkpoint instead.",
        )
    return config


def _scale_for(module: str, config: dict[str, Any], rank: int) -> float:
    """PEFT's scaling for one module: alpha / r (or alpha / sqrt(r) with rsLoRA), honouring patterns."""
    alpha = float(config.get("lora_alpha", 8))
    for pattern, value in (config.get("alpha_pattern") or {}).items():
        if re.search(pattern, module):
            alpha = float(value)
    return alpha / math.sqrt(rank) if config.get("use_rslora") else alpha / rank


def convert_lora(
    adapter: str | Path,
    base: str | Path,
    out: str | Path | None = None,
    *,
    out_type: str = "F32",
    progress: Callable[[str, int, int], None] | None = None,
) -> LoraResult:
    """Convert the PEFT adapter folder ``adapter`` for the base checkpoint folder ``base``.

    ``out`` defaults to ``<adapter>/adapter-<out_type>.gguf``. llama.cpp refuses an adapter whose
    architecture or shapes do not match the model it is applied to.
    """
    import gguf

    from converters.arch import architecture_for
    from converters.readers.checkpoint import read_config
    from converters.readers.safetensors_file import read_safetensors

    folder, base = Path(adapter), Path(base)
    out_path = Path(out) if out else folder / f"adapter-{out_type.lower()}.gguf"
    if out_type not in _OUT_TYPES:
        raise ConversionError(f"LoRA output type {out_type!r} is not supported.", "Use F32 or F16.")
    config = _read_adapter_config(folder)
    weights = folder / "adapter_model.safetensors"
    if not weights.is_file():
        raise ConversionError(
            f"{folder} has no adapter_model.safetensors.",
            "Save the adapter with safe_serialization=True (the PEFT default); .bin adapters are not read.",
        )
    base_config = read_config(base)
    arch = architecture_for(base_config)

    pairs: dict[str, dict[str, Any]] = {}
    for ref in read_safetensors(weights):
        match = _PEFT_KEY.match(ref.name)
        if match is None:
            raise UnsupportedModelError(
                f"The adapter has a tensor Tomoshibi does not know: {ref.name}.",
                "Only LoRA weights of linear layers (lora_A / lora_B) can be converted.",
            )
        pairs.setdefault(match.group("module"), {})[match.group("ab")] = ref

    tmp = temp_path_for(out_path)
    writer = gguf.GGUFWriter(str(tmp), arch.gguf_arch)
    count, ranks, alpha_written = 0, set(), None
    try:
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_name(f"{folder.name} (LoRA)")
        entries: list[tuple[str, np.ndarray, np.ndarray]] = []
        for module, ab in sorted(pairs.items()):
            if set(ab) != {"A", "B"}:
                raise ConversionError(
                    f"The adapter lacks lora_{'B' if 'A' in ab else 'A'} for {module}.",
                    "Save the adapter again.",
                )
            base_weight = f"{module}.weight"
            gguf_name = arch.gguf_name(base_weight)
            if gguf_name is None or gguf_name.startswith("token_embd"):
                raise UnsupportedModelError(
                    f"The adapter changes {module}, which a GGUF LoRA cannot adapt.",
                    "Train the adapter on the attention and MLP projections only.",
                )
            a = np.asarray(ab["A"].load(), dtype=np.float32)
            b = np.asarray(ab["B"].load(), dtype=np.float32)
            rank = a.shape[0]
            if a.ndim != 2 or b.ndim != 2 or b.shape[1] != rank:
                raise ConversionError(
                    f"lora_A/lora_B of {module} have shapes {a.shape}/{b.shape}.", "Save the adapter again."
                )
            ranks.add(rank)
            b = arch.transform(base_weight, b)  # the rows of B follow the base weight's rows
            entries.append((gguf_name, a, b * np.float32(_scale_for(module, config, rank))))
        if not entries:
            raise ConversionError(f"{weights.name} holds no LoRA weights.", "Save the adapter again.")
        # llama.cpp applies scale = alpha / rank per tensor with ONE alpha for the file. The PEFT
        # scaling (patterns, rsLoRA) is folded into B above, so alpha = rank makes llama.cpp's own
        # factor exactly 1 whenever every tensor has the same rank; with mixed ranks, alpha = 0 does.
        alpha_written = float(next(iter(ranks))) if len(ranks) == 1 else 0.0
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha_written)
        dtype = _OUT_TYPES[out_type]
        for name, a, b in entries:
            writer.add_tensor(f"{name}.lora_a", a.astype(dtype))
            writer.add_tensor(f"{name}.lora_b", b.astype(dtype))
            count += 1
            if progress is not None:
                progress("tensors", count, len(entries))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(tmp, out_path)
    except BaseException:
        writer.close()
        tmp.unlink(missing_ok=True)
        raise
    modules = sorted({m.rsplit(".", 1)[-1] for m in pairs})
    return LoraResult(
        out_path, arch.gguf_arch, max(ranks), float(config.get("lora_alpha", 8)), count, tuple(modules)
    )
