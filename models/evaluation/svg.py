"""Inline SVG bar charts for the HTML report: no plotting library, the report stays one small file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

PALETTE = ("#d9822b", "#4a7bb7", "#5a9e6f", "#b05f9e", "#8c6d3f", "#4aa3a3", "#c0504d", "#7f7f7f")


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    fmt: Callable[[float], str] = lambda v: f"{v:.1f}",
    width: int = 560,
) -> str:
    """Horizontal bars, one per label, with the value written at the end. ``None`` draws "n/a"."""
    row, top, label_w = 28, 30, min(220, 12 + 7 * max((len(label) for label in labels), default=4))
    height = top + row * len(labels) + 10
    plot_w = width - label_w - 80
    peak = max((v for v in values if v is not None and v > 0), default=1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        # Cut in the middle: file names differ at the end (…-Q4_K_M), where a cut would hide it.
        short = label if len(label) <= 30 else label[:14] + "…" + label[-15:]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" font-size="12" text-anchor="end">{escape(short)}</text>'
        )
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 17}" font-size="12" fill="#888">n/a</text>')
            continue
        bar = max(1.0, plot_w * max(value, 0.0) / peak)
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" fill="{colour}" rx="2"/>'
        )
        parts.append(
            f'<text x="{label_w + bar + 6:.1f}" y="{y + 17}" font-size="12">{escape(fmt(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
