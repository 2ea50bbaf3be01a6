"""One self-contained HTML file per run: figures, plots (inline SVG) and the answers side by side."""

from __future__ import annotations

import time
from html import escape
from pathlib import Path

from ..paths import atomic_write_text, evaluations_dir
from ..units import format_bytes as human_bytes
from .results import EvalRun, ModelResult
from .store import ModelChange
from .svg import bar_chart

STYLE = """
body{font-family:system-ui,"Noto Sans CJK JP","Hiragino Sans",sans-serif;margin:2em;color:#222;max-width:1400px}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
th{background:#f4efe6;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.answers td{width:var(--col);white-space:pre-wrap;font-size:.95em}.q{background:#faf7f0;font-weight:500}
.meta{color:#666;font-size:.85em;white-space:normal}.pass{color:#1a7f37}.fail{color:#c0392b}
.warn{background:#fff3cd;border:1px solid #e0c36b;padding:.5em 1em}.charts svg{margin:0 2em 1em 0}
code{font-size:.85em}
"""


def default_report_path(run: EvalRun) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(run.created))
    return evaluations_dir() / f"run-{run.id or 0}-{stamp}.html"


def write_report(
    run: EvalRun, out: str | Path | None = None, changes: list[ModelChange] | None = None
) -> Path:
    """Write the report for ``run`` (to ``out``: a file, or a folder for the default name)."""
    path = Path(out) if out is not None else default_report_path(run)
    if path.suffix.lower() not in (".html", ".htm"):
        path = path / default_report_path(run).name
    atomic_write_text(path, render_html(run, changes or []))
    return path


def render_html(run: EvalRun, changes: list[ModelChange]) -> str:
    title = f"Tomoshibi evaluation {run.id or ''}".strip()
    parts = [
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _run_meta(run),
    ]
    for change in changes:
        parts.append(
            f'<p class="warn">⚠ The file <code>{escape(change.path)}</code> changed since run {change.old_run}: '
            f"SHA-256 {change.old_sha256[:12]}… → {change.new_sha256[:12]}…. Its figures are not comparable "
            "with that run's.</p>"
        )
    parts += [_summary(run), _charts(run), _answers(run), "</body></html>"]
    return "\n".join(parts)


def _run_meta(run: EvalRun) -> str:
    preset = f"{run.preset_name} v{run.preset_version}" if run.preset_name else "none"
    params = ", ".join(f"{k}={v}" for k, v in run.params.items() if v not in (None, (), []))
    rows = [
        ("Date", time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(run.created))),
        ("Tomoshibi", run.tomoshibi_version),
        (
            "Prompt set",
            f"{run.prompt_set} ({len(run.prompts)} prompts, sha256 {run.prompt_set_sha256[:12]}…)",
        ),
        ("Preset", preset),
        ("Sampling", params),
    ]
    if run.perplexity_file:
        rows.append(("Perplexity text", run.perplexity_file))
    return (
        "<table>"
        + "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
        + "</table>"
    )


def _ppl(model: ModelResult) -> str:
    return f"{model.perplexity:.3f}" if model.perplexity is not None else "—"


def _summary(run: EvalRun) -> str:
    head = [
        "Model",
        "Quantization",
        "Size",
        "SHA-256",
        "Tokens/s",
        "First token",
        "Peak memory",
        "Answer length",
        "Checks passed",
        "Perplexity",
    ]
    rows = []
    for m in run.models:
        passed, total = m.checks_passed
        cells = [
            f"<td>{escape(m.name)}{'<br><span class=fail>' + escape(m.error) + '</span>' if m.error else ''}</td>",
            f"<td>{escape(m.quant or '?')}</td>",
            f'<td class="num">{human_bytes(m.size_bytes)}</td>',
            f'<td><code title="{m.sha256}">{m.sha256[:12]}…</code></td>',
            f'<td class="num">{m.tokens_per_second:.1f}</td>',
            f'<td class="num">{m.time_to_first_token * 1000:.0f} ms</td>',
            f'<td class="num">{human_bytes(m.peak_rss) if m.peak_rss else "—"}</td>',
            f'<td class="num">{m.mean_answer_chars:.0f} chars / {m.mean_answer_tokens:.0f} tokens</td>',
            f'<td class="num">{passed}/{total}</td>',
            f'<td class="num">{_ppl(m)}</td>',
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        "<h2>Summary</h2><table><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )


def _charts(run: EvalRun) -> str:
    labels = [(m.label or m.name).replace(".gguf", "") for m in run.models]
    charts = [
        bar_chart("Tokens per second (higher is faster)", labels, [m.tokens_per_second for m in run.models]),
        bar_chart(
            "Time to first token, ms (lower is better)",
            labels,
            [m.time_to_first_token * 1000 for m in run.models],
            lambda v: f"{v:.0f} ms",
        ),
        bar_chart(
            "Peak memory of the engine process",
            labels,
            [m.peak_rss or None for m in run.models],
            lambda v: human_bytes(int(v)),
        ),
    ]
    if any(m.perplexity is not None for m in run.models):
        # The label carries the quantization (from the file name or the GGUF header): F16 vs Q4_K_M of
        # one model reads at a glance, and two different models with the same quantization stay apart.
        ppl_labels = labels
        charts.append(
            bar_chart(
                "Perplexity per quantization (lower is better)",
                ppl_labels,
                [m.perplexity for m in run.models],
                lambda v: f"{v:.2f}",
            )
        )
    return '<h2>Figures</h2><div class="charts">' + "".join(charts) + "</div>"


def _answers(run: EvalRun) -> str:
    col = f"{max(20, 90 // max(1, len(run.models)))}%"
    parts = ["<h2>Answers</h2>"]
    head = "".join(f"<th>{escape(m.label or m.name)}</th>" for m in run.models)
    for prompt in run.prompts:
        parts.append(
            f'<h3 id="p-{escape(prompt["id"])}">{escape(prompt["id"])}'
            + (f' <span class="meta">[{escape(prompt.get("lang", ""))}]</span>' if prompt.get("lang") else "")
            + "</h3>"
        )
        parts.append(f'<table class="answers" style="--col:{col}"><tr>{head}</tr>')
        for number, question in enumerate(prompt["turns"], 1):
            parts.append(
                f'<tr><td class="q" colspan="{len(run.models)}">Turn {number}: {escape(question)}</td></tr><tr>'
            )
            for m in run.models:
                t = m.turn(prompt["id"], number)
                if t is None:
                    parts.append('<td class="meta">not asked</td>')
                    continue
                checks = "".join(
                    f'<br><span class="{"pass" if c.passed else "fail"}">{"✓" if c.passed else "✗"} '
                    f"{escape(c.check.describe())}{': ' + escape(c.detail) if c.detail else ''}</span>"
                    for c in t.checks
                )
                meta = (
                    f"{t.completion_tokens} tokens, {t.tokens_per_second:.1f} tok/s, "
                    f"first token {t.time_to_first_token * 1000:.0f} ms, {t.finish_reason}"
                )
                error = f'<br><span class="fail">{escape(t.error)}</span>' if t.error else ""
                parts.append(f'<td>{escape(t.answer)}<div class="meta">{meta}{checks}{error}</div></td>')
            parts.append("</tr>")
        parts.append("</table>")
    return "".join(parts)
