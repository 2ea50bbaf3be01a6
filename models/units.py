"""Human-readable sizes for messages: decimal units (1 GB = 10⁹ bytes), as disks and downloads show them."""

from __future__ import annotations

_UNITS = ("B", "KB", "MB", "GB", "TB", "PB")


def format_bytes(n: float) -> str:
    """``1234567`` → ``"1.2 MB"``; small values stay exact (``"512 B"``)."""
    value = float(n)
    sign = "-" if value < 0 else ""
    value = abs(value)
    for unit in _UNITS:
        if value < 1000 or unit == _UNITS[-1]:
            if unit == "B":
                return f"{sign}{int(value)} B"
            return f"{sign}{value:.1f} {unit}" if value < 100 else f"{sign}{value:.0f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def format_count(n: float) -> str:
    """Parameter counts the way model names say them: ``134515008`` → ``"135M"``, ``6.7e9`` → ``"6.7B"``."""
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if n >= div:
            value = n / div
            return f"{value:.1f}{suffix}" if value < 10 else f"{value:.0f}{suffix}"
    return str(int(n))
