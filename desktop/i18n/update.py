"""Refresh the translation sources and compile them: ``python -m desktop.i18n.update``.

1. ``lupdate`` collects every ``tr()`` string of ``desktop/`` into tomoshibi_ja.ts and tomoshibi_en.ts,
   keeping the translations already written (Japanese is written by hand in the .ts file, e.g. with
   Qt Linguist; new strings appear as "unfinished").
2. English needs no translator: its messages are filled from the source text (plural forms "(s)" are
   spelled out).
3. ``lrelease`` compiles both to .qm, which the app loads. A test checks that the committed .qm files
   are what this script produces and that no Japanese string is missing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
DESKTOP = HERE.parent
TS_FILES = {lang: HERE / f"tomoshibi_{lang}.ts" for lang in ("ja", "en")}


def qt_tool(name: str) -> str:
    """Path of pyside6-<name> (lupdate, lrelease), shipped with PySide6-Essentials."""
    import shutil

    for candidate in (Path(sys.executable).parent / f"pyside6-{name}", shutil.which(f"pyside6-{name}")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise FileNotFoundError(f"pyside6-{name} not found; install PySide6-Essentials")


def sources() -> list[str]:
    return sorted(str(p) for p in DESKTOP.glob("*.py"))


def lupdate(ts: Path) -> None:
    subprocess.run(
        [qt_tool("lupdate"), *sources(), "-no-obsolete", "-locations", "none", "-ts", str(ts)],
        check=True,
        capture_output=True,
    )


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True)


def _english_plural(text: str) -> tuple[str, str]:
    one = re.sub(r"\((s|es)\)", "", text)
    many = re.sub(r"\((s|es)\)", r"\1", text)
    return one, many


def fill_english(ts: Path) -> None:
    tree = ET.parse(ts)
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        translation.attrib.pop("type", None)
        for child in list(translation):
            translation.remove(child)
        if message.get("numerus") == "yes":
            translation.text = None
            for form in _english_plural(source):
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = source
    write_ts(tree, ts)


def write_ts(tree: ET.ElementTree, ts: Path) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def unfinished(ts: Path) -> list[str]:
    """Source texts without a finished translation."""
    missing = []
    for message in ET.parse(ts).getroot().iter("message"):
        translation = message.find("translation")
        empty = translation is None or not ("".join(translation.itertext()).strip())
        if empty or (
            translation is not None and translation.get("type") in ("unfinished", "vanished", "obsolete")
        ):
            missing.append(message.findtext("source") or "")
    return missing


def main() -> int:
    for lang, ts in TS_FILES.items():
        lupdate(ts)
        if lang == "en":
            fill_english(ts)
        else:
            write_ts(ET.parse(ts), ts)  # one stable layout, so diffs stay small
        lrelease(ts, ts.with_suffix(".qm"))
    missing = unfinished(TS_FILES["ja"])
    for text in missing:
        print(f"untranslated (ja): {text}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
