"""Read .txt, .md, .pdf and .docx files into blocks of text that know where they came from.

A block carries a page number (PDF) or a section heading (Markdown, Word), so an answer can cite
"report.pdf, p. 3" or "notes.md § Setup". Parsing uses pypdf and python-docx, imported lazily.
Every failure for one file becomes a DocumentError naming the file and what to do.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from models.errors import DocumentError

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx")
# Japanese text files are often Shift_JIS or EUC-JP rather than UTF-8.
_TEXT_ENCODINGS = ("utf-8-sig", "utf-16", "cp932", "euc_jp")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Bounds that keep one hostile or huge file from taking the memory (issue 20: a 2 MB zip-bomb .docx
# reached 4.2 GB). A text file of 64 MB is ~30,000 pages; a .docx's parts are checked by their
# declared sizes before python-docx inflates any of them.
MAX_TEXT_BYTES = 64 * 1024 * 1024
MAX_DOCX_BYTES = 256 * 1024 * 1024  # all parts, inflated
MAX_XML_RATIO = 100  # XML deflates ~10-20×; a bomb of repeated bytes ~1000×
SMALL_PART = 1024 * 1024


@dataclass(frozen=True)
class Block:
    """A run of text from one place in a document: a PDF page, or a section under a heading."""

    text: str
    page: int | None = None
    section: str | None = None


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def parse_file(path: Path) -> list[Block]:
    """Blocks of ``path``; raises DocumentError when the file cannot be read."""
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        raise DocumentError(
            f"{path.name}: this kind of file ({path.suffix or 'no extension'}) cannot be indexed.",
            "Add .txt, .md, .pdf or .docx files.",
        )
    try:
        return [b for b in parser(path) if b.text.strip()]
    except DocumentError:
        raise
    except OSError as error:
        raise DocumentError(
            f"{path.name} could not be opened: {error.strerror or error}.",
            "Check that the file exists and that you may read it.",
        ) from error
    except Exception as error:  # parsers raise many kinds of errors on damaged files
        log.debug("parse failure for %s", path, exc_info=True)
        raise DocumentError(
            f"{path.name} could not be read ({type(error).__name__}: {error}).",
            "The file may be damaged; open and save it again, or remove it from the collection.",
        ) from error


def _too_big(path: Path, size: int, limit: int) -> DocumentError:
    return DocumentError(
        f"{path.name} is too large to index ({size / 1e6:,.0f} MB of text; at most {limit / 1e6:,.0f} MB).",
        "Split it into smaller files, or leave it out of the collection.",
    )


def read_text_file(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise _too_big(path, size, MAX_TEXT_BYTES)
    data = path.read_bytes()
    for encoding in _TEXT_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue  # without a BOM, "utf-16" accepts almost any even-length bytes
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise DocumentError(
        f"{path.name} is not text in a known encoding (UTF-8, UTF-16, Shift_JIS, EUC-JP).",
        "Save it as UTF-8 and add it again.",
    )


def _parse_txt(path: Path) -> list[Block]:
    return [Block(read_text_file(path))]


def _parse_markdown(path: Path) -> list[Block]:
    """One block per section; the section is the trail of headings, e.g. "Setup › Linux"."""
    blocks: list[Block] = []
    trail: list[tuple[int, str]] = []  # (heading level, heading text)
    lines: list[str] = []
    in_fence = False

    def flush() -> None:
        if lines:
            blocks.append(Block("\n".join(lines), section=" › ".join(t for _, t in trail) or None))
            lines.clear()

    for line in read_text_file(path).split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        match = None if in_fence else _MD_HEADING.match(line)
        if match:
            flush()
            level = len(match.group(1))
            while trail and trail[-1][0] >= level:
                trail.pop()
            trail.append((level, match.group(2)))
            lines.append(match.group(2))  # the heading text is searchable too
        else:
            lines.append(line)
    flush()
    return blocks


def _parse_pdf(path: Path) -> list[Block]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
    except PdfReadError as error:
        raise DocumentError(
            f"{path.name} is not a readable PDF ({error}).",
            "The file may be damaged; open it in a PDF viewer and save a new copy.",
        ) from error
    if reader.is_encrypted:
        from pypdf import PasswordType

        try:
            # Many PDFs are "encrypted" with an empty user password: they open without one.
            opened = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception:  # an unsupported cipher or a damaged encryption dictionary
            opened = False
        if not opened:
            raise DocumentError(
                f"{path.name} is protected by a password.",
                "Save an unprotected copy (print to PDF, or remove the password in a PDF tool) "
                "and add that instead.",
            )
    blocks = [Block(page.extract_text() or "", page=i) for i, page in enumerate(reader.pages, start=1)]
    if reader.pages and not any(b.text.strip() for b in blocks):
        raise DocumentError(
            f"{path.name} has no text layer (it is probably scanned images).",
            "Run it through OCR (for example ocrmypdf) and add the result.",
        )
    return blocks


def _parse_docx(path: Path) -> list[Block]:
    """Paragraphs and table cells, grouped under the latest Heading-styled paragraph."""
    _check_docx_sizes(path)  # before python-docx inflates anything
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as error:
        raise DocumentError(
            f"{path.name} is not a readable Word (.docx) file.",
            "Open it in Word or LibreOffice and save it again as .docx.",
        ) from error
    blocks: list[Block] = []
    section: str | None = None
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append(Block("\n".join(lines), section=section))
            lines.clear()

    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        text = paragraph.text
        if style.startswith("Heading") or style == "Title":
            flush()
            section = text.strip() or section
        lines.append(text)
    flush()
    for table in document.tables:
        rows = [" | ".join(cell.text for cell in row.cells) for row in table.rows]
        if rows:
            blocks.append(Block("\n".join(rows), section=section))
    return blocks


def _check_docx_sizes(path: Path) -> None:
    """Refuse a .docx whose parts would inflate past the limits, from the sizes its zip declares
    (zipfile never inflates an entry past its declared size, so the declaration bounds memory)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise DocumentError(
            f"{path.name} is not a readable Word (.docx) file ({error}).",
            "Open it in Word or LibreOffice and save it again as .docx.",
        ) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_DOCX_BYTES:
        raise _too_big(path, total, MAX_DOCX_BYTES)
    for info in infos:
        if info.file_size > SMALL_PART and info.file_size > max(1, info.compress_size) * MAX_XML_RATIO:
            raise DocumentError(
                f"{path.name} holds a part ({info.filename}) that unpacks to {info.file_size / 1e6:,.0f} MB "
                f"from {info.compress_size / 1e3:,.0f} KB: a compressed bomb, not a document.",
                "Do not open this file; remove it from the collection.",
            )


_PARSERS: dict[str, Callable[[Path], list[Block]]] = {
    ".txt": _parse_txt,
    ".md": _parse_markdown,
    ".markdown": _parse_markdown,
    ".pdf": _parse_pdf,
    ".docx": _parse_docx,
}
