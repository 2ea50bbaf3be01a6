"""One spelling per word in the Japanese UI (issue 15): the modern long-vowel style of Microsoft and
Apple (コンピューター, フォルダー, ユーザー, サーバー), メモリ and ライブラリ as both write them, and 文書 for
documents, 他の for other. A disallowed variant that comes back in a translation or a catalog description fails here."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# pattern of the variant that must not appear -> the spelling to use instead
DISALLOWED = {
    r"コンピュータ(?!ー)": "コンピューター",
    r"フォルダ(?!ー)": "フォルダー",
    r"ユーザ(?!ー)": "ユーザー",
    r"サーバ(?!ー)": "サーバー",
    r"ブラウザ(?!ー)": "ブラウザー",
    r"パラメータ(?!ー)": "パラメーター",
    r"レイヤ(?!ー)": "レイヤー",
    r"メモリー": "メモリ",
    r"ライブラリー": "ライブラリ",
    r"ドキュメント": "文書",
    r"ほかの": "他の",
    r"このPC": "このコンピューター",
    r"\((?=[\u3040-\u30ff\u4e00-\u9fff])": "（ (full-width around Japanese)",
    r"(?<=[\u3040-\u30ff\u4e00-\u9fff]): ": "： (full-width after Japanese)",
}


def japanese_texts() -> list[tuple[str, str]]:
    """(where, text) for every Japanese string the app shows: translations and catalog descriptions."""
    texts = []
    tree = ET.parse(ROOT / "desktop" / "i18n" / "tomoshibi_ja.ts")
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        for node in message.iter("translation"):
            texts.extend((f"ts: {source[:60]!r}", t) for t in [node.text or ""] if t)
            texts.extend((f"ts: {source[:60]!r}", n.text or "") for n in node.iter("numerusform"))
    catalog = json.loads((ROOT / "models" / "catalog.json").read_text(encoding="utf-8"))
    texts.extend((f"catalog: {e['id']}", e.get("description_ja", "")) for e in catalog["entries"])
    return texts


def test_japanese_uses_one_spelling_per_word() -> None:
    texts = japanese_texts()
    assert len(texts) > 300  # the file was read, not an empty list passing by accident
    problems = [
        f"{where}: {match.group(0)!r} → {use!r} in {text!r}"
        for where, text in texts
        for pattern, use in DISALLOWED.items()
        for match in re.finditer(pattern, text)
    ]
    assert not problems, "\n".join(problems)


def test_the_check_catches_a_variant() -> None:
    assert re.search(next(iter(DISALLOWED)), "このコンピュータで")
    assert not re.search(next(iter(DISALLOWED)), "このコンピューターで")
