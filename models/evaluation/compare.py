"""Text comparisons of stored runs for the CLI: the history listing and two runs side by side."""

from __future__ import annotations

import time

from ..units import format_bytes
from .results import EvalRun, ModelResult
from .store import EvalStore


def history_text(store: EvalStore) -> str:
    """Every run, newest first, with a line for each model whose file changed since an earlier run."""
    runs = store.list_runs()
    if not runs:
        return "No evaluation runs yet. Start one with: tomoshibi eval --models A.gguf B.gguf"
    changes: dict[int, list[str]] = {}
    for change in store.model_changes():
        changes.setdefault(change.new_run, []).append(
            f"    ! {change.path}: file changed since run {change.old_run} "
            f"(sha256 {change.old_sha256[:12]} → {change.new_sha256[:12]})"
        )
    lines = []
    for run in runs:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created))
        preset = f", preset {run.preset}" if run.preset else ""
        lines.append(
            f"run {run.id}  {when}  Tomoshibi {run.tomoshibi_version}  {run.prompt_set}{preset}: "
            + ", ".join(run.models)
        )
        lines.extend(changes.get(run.id, []))
    return "\n".join(lines)


def _key(model: ModelResult) -> str:
    return model.name


def compare_text(a: EvalRun, b: EvalRun) -> str:
    """Figures of two runs side by side, matching models by file name; flags changed files."""
    lines = [
        f"run {a.id} ({a.tomoshibi_version}, preset {a.preset_name or '-'} v{a.preset_version or '-'}) "
        f"vs run {b.id} ({b.tomoshibi_version}, preset {b.preset_name or '-'} v{b.preset_version or '-'})"
    ]
    if a.prompt_set_sha256 != b.prompt_set_sha256:
        lines.append("! the prompt sets differ: answers and checks are not directly comparable")
    if (a.preset_name, a.preset_version) != (b.preset_name, b.preset_version):
        lines.append("! the presets differ")
    by_name = {_key(m): m for m in b.models}
    header = f"{'model':32} {'tok/s':>15} {'first token ms':>17} {'peak memory':>21} {'checks':>11} {'perplexity':>17}"
    lines.append(header)
    for old in a.models:
        new = by_name.pop(_key(old), None)
        if new is None:
            lines.append(f"{old.name:32} only in run {a.id}")
            continue
        po, to = old.checks_passed
        pn, tn = new.checks_passed
        ppl = (
            f"{old.perplexity:.2f}→{new.perplexity:.2f}"
            if old.perplexity is not None and new.perplexity is not None
            else "—"
        )
        lines.append(
            f"{old.name[:32]:32} {old.tokens_per_second:6.1f}→{new.tokens_per_second:<6.1f}"
            f"  {old.time_to_first_token * 1000:6.0f}→{new.time_to_first_token * 1000:<6.0f}"
            f"  {format_bytes(old.peak_rss):>9}→{format_bytes(new.peak_rss):<9}"
            f"  {po}/{to}→{pn}/{tn}  {ppl:>17}"
        )
        if old.sha256 != new.sha256:
            lines.append(f"    ! the file changed: sha256 {old.sha256[:12]} → {new.sha256[:12]}")
    for name in by_name:
        lines.append(f"{name:32} only in run {b.id}")
    return "\n".join(lines)
