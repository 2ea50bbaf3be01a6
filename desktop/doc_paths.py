"""Where a document lives, said briefly: its folder relative to the collection's source folder, ``~``
for the home folder, long folders elided in the middle. Search results show this instead of a full
path such as /tmp/pytest-of-…/files/notes (issue 15). Qt-free, so it is tested without a window."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

MAX_CHARS = 48


def elide_middle(text: str, max_chars: int = MAX_CHARS) -> str:
    """``text`` with its middle replaced by "…" when longer than ``max_chars`` (the start and the end
    of a folder say the most: the drive or home, and the folder the file is in)."""
    if len(text) <= max_chars:
        return text
    keep = max_chars - 1
    head = keep // 3
    return text[:head] + "…" + text[len(text) - (keep - head) :]


def home_short(path: Path, home: Path | None = None) -> str:
    """``path`` with the home folder written as ``~``."""
    home = Path.home() if home is None else home
    try:
        rest = path.relative_to(home)
    except ValueError:
        return str(path)
    return "~" if rest == Path() else str(Path("~") / rest)


def short_folder(path: str | Path, roots: Sequence[Path] = (), home: Path | None = None) -> str:
    """The folder of the document at ``path``: from the source folder it was added with ("報告/2024"),
    else from home ("~/Documents"), else as it is; elided in the middle when long."""
    folder = Path(path).parent
    # The deepest source folder holding it, so nested sources show the shortest honest path.
    for root in sorted(roots, key=lambda r: len(r.parts), reverse=True):
        if root == Path(path):  # a file added on its own: its folder, as from home
            break
        try:
            rest = folder.relative_to(root)
        except ValueError:
            continue
        return elide_middle(str(Path(root.name) / rest) if rest != Path() else root.name)
    return elide_middle(home_short(folder, home))
