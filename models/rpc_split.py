"""Splitting one model's layers across other computers (llama.cpp RPC workers) and this one.

``plan`` runs in the caller before the engine starts: it skips workers that do not answer, asks the
others for their free memory, decides how many layers leave this computer and in what proportions
(by free memory, like llama.cpp's own default), checks that this computer's share fits its RAM and the
workers' share fits theirs, and records the plan in the load config. ``apply`` runs in the engine
process: it registers the workers with ggml and sets llama.cpp's ``n_gpu_layers``/``tensor_split``.
"""

from __future__ import annotations

import bisect
import logging
import struct
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .errors import InsufficientMemoryError
from .events import LoadConfig
from .rpc import WorkerDevice, query_workers, reachable, register_workers
from .units import format_bytes

if TYPE_CHECKING:
    from .gguf_info import GGUFInfo

log = logging.getLogger(__name__)

LOCAL = "this computer"
PLAN_KEY = "rpc_plan"  # in LoadConfig.extra: {"n_gpu_layers", "tensor_split", "placement", "skipped"}


def layer_placement(
    n_layer: int, n_gpu_layers: int, split: list[float], labels: list[str]
) -> list[tuple[str, int]]:
    """Where llama.cpp puts each of the ``n_layer`` repeating layers plus the output layer.

    Mirrors llama_model::load_tensors: of layers 0..n_layer (the last is the output layer) the last
    ``n_gpu_layers`` leave the CPU, and the i-th of those goes to the first device whose cumulative
    share exceeds i / n_gpu_layers.
    """
    counts: dict[str, int] = {LOCAL: 0, **{label: 0 for label in labels}}
    # In float32, as llama.cpp computes it, so a layer on a boundary lands where llama.cpp puts it.
    running, sums = _f32(0.0), []
    for share in split:
        running = _f32(running + _f32(share))
        sums.append(running)
    cumulative = [_f32(x / running) if running else 1.0 for x in sums]
    first = max(n_layer + 1 - n_gpu_layers, 0)
    offloaded = min(n_gpu_layers, n_layer + 1) if labels else 0
    for il in range(n_layer + 1):
        if il < first or il - first >= offloaded:
            counts[LOCAL] += 1
        else:
            index = min(bisect.bisect_right(cumulative, _f32((il - first) / offloaded)), len(labels) - 1)
            counts[labels[index]] += 1
    return [(where, n) for where, n in counts.items() if n or where == LOCAL]


def _f32(x: float) -> float:
    return float(struct.unpack("f", struct.pack("f", x))[0])


def _fitting_layers(info: GGUFInfo, n_ctx: int, remote_free: int, margin: float = 0.10) -> int:
    from .memory import suggest_n_gpu_layers

    return suggest_n_gpu_layers(info, n_ctx, remote_free, margin=margin)


def plan(config: LoadConfig, info: GGUFInfo) -> LoadConfig:
    """The config with live workers only and the split recorded in ``extra[PLAN_KEY]``."""
    from .memory import estimate_gguf, preflight
    from .memory_budget import MemoryBudget, available_memory

    live = tuple(e for e in config.rpc_workers if reachable(e))
    skipped = tuple(e for e in config.rpc_workers if e not in live)
    for endpoint in skipped:
        log.warning("the worker %s does not answer; loading without it", endpoint)
    if not live:
        return replace(config, rpc_workers=(), extra={**config.extra, PLAN_KEY: {"skipped": list(skipped)}})
    devices: list[WorkerDevice] = query_workers(live)
    remote_free = sum(d.free for d in devices)
    n_layers = (info.n_layer or 0) + 1
    wanted = config.n_gpu_layers if config.n_gpu_layers >= 0 else n_layers
    offload = min(wanted, _fitting_layers(info, config.n_ctx, remote_free), n_layers)
    estimate = estimate_gguf(info, config.n_ctx, n_gpu_layers=offload)
    local = available_memory()
    if not config.extra.get("skip_preflight"):
        # The workers' memory stands in for "GPU memory": the estimate's offloaded part must fit there.
        budget = MemoryBudget(local.ram_total, local.ram_available, sum(d.total for d in devices), remote_free,
                              "the other computers")  # fmt: skip
        try:
            preflight(estimate, budget)
        except InsufficientMemoryError as error:
            raise InsufficientMemoryError(
                f"{error.problem} (with {len(live)} other computer(s) offering {format_bytes(remote_free)})",
                error.fix,
            ) from None
    split = [float(d.free) for d in devices]
    labels = [f"{d.endpoint} ({d.name})" if sum(x.endpoint == d.endpoint for x in devices) > 1 else d.endpoint
              for d in devices]  # fmt: skip
    placement = layer_placement(info.n_layer or 0, offload, split, labels)
    record = {
        "n_gpu_layers": offload,
        "tensor_split": split,
        "placement": placement,
        "skipped": list(skipped),
    }
    return replace(config, rpc_workers=live, extra={**config.extra, PLAN_KEY: record})


def apply(config: LoadConfig, kwargs: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """In the engine process: register the workers and set llama.cpp's split. Returns the placement."""
    record = config.extra.get(PLAN_KEY)
    if not config.rpc_workers or not isinstance(record, dict) or "n_gpu_layers" not in record:
        return ()
    devices = register_workers(config.rpc_workers)
    split = list(record["tensor_split"])
    if len(devices) != len(split):  # a worker changed between the plan and now: split by what is there
        split = [float(d.free) for d in devices]
    # llama.cpp lists RPC devices first, then local GPUs; the split keeps local GPUs at 0 here.
    kwargs["n_gpu_layers"] = int(record["n_gpu_layers"])
    kwargs["tensor_split"] = split
    return tuple((str(w), int(n)) for w, n in record["placement"])
