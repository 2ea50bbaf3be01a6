"""Document sets the documents tests write: Japanese and English, as .txt, .md, .docx and .pdf.

The PDF writer is hand-made and tiny: a Type0 font with Identity-H encoding and a ToUnicode map,
so any Unicode text (Japanese included) is extractable without embedding a real font.
"""

from __future__ import annotations

from pathlib import Path

EN_CATS = (
    "Caring for an adult cat. Cats need fresh water every day and a clean litter box. "
    "Feed an adult cat two small meals a day, in the morning and in the evening, and keep treats "
    "under a tenth of its daily food. Brush long-haired cats weekly."
)
EN_FUJI_MD = """# Mount Fuji

Mount Fuji is a volcano on the island of Honshu, 3,776 metres high.

## Climbing season

The official climbing season runs from early July to early September, when the mountain huts
are open and the trails are free of snow. Outside these months the ascent is dangerous.

## Access

Buses leave from Shinjuku to the fifth station of the Yoshida trail.
"""
EN_BREAD = [
    ("Sourdough", "Heading 1"),
    (
        "Sourdough bread rises with a starter: a culture of wild yeast and lactic acid bacteria kept "
        "alive by feeding it flour and water. Mix the starter with flour, water and salt, fold the "
        "dough every half hour, and let it ferment overnight in the fridge.",
        None,
    ),
    ("Baking", "Heading 1"),
    ("Bake in a preheated Dutch oven at 250 degrees for twenty minutes with the lid on.", None),
]
EN_SOLAR_PAGES = [
    "Solar power at home.\nPhotovoltaic panels on the roof turn sunlight into electricity; an inverter "
    "converts their direct current into alternating current for the house.",
    "Batteries.\nA lithium battery stores the surplus produced at noon so that the lights stay on "
    "after sunset. Size it to one evening of consumption.",
]

JA_FUJI = (
    "富士山は静岡県と山梨県にまたがる日本一高い山です。標高は三七七六メートルです。"
    "山頂の夏の平均気温は五度ほどしかありません。\n\n"
    "富士山の登山シーズンは、例年七月上旬から九月上旬までです。"
    "この期間は山小屋が営業しており、登山道の雪も消えています。"
)
JA_MISO_MD = """# 味噌汁の作り方

## だし

昆布を水に三十分ひたしてから火にかけ、沸騰する直前に取り出します。鰹節を入れて一分煮て、こします。

## 具と味噌

豆腐とわかめを入れ、火を止めてから味噌を溶き入れます。味噌を入れたあとは沸騰させないでください。
"""
JA_SHINKANSEN = [
    ("東海道新幹線", "Heading 1"),
    (
        "東海道新幹線は東京駅と新大阪駅を結ぶ高速鉄道で、一九六四年に開業しました。最速の「のぞみ」は約二時間半で両駅を結びます。",
        None,
    ),
]
JA_PDF_PAGES = [
    "太陽光発電について。\n屋根の太陽電池パネルが日光を電気に変えます。",
    "蓄電池について。\n昼に余った電気を蓄電池にためておけば、夜も使えます。",
]


def write_docx(path: Path, paragraphs: list[tuple[str, str | None]]) -> Path:
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        document.add_paragraph(text, style=style)
    document.save(str(path))
    return path


def write_pdf(path: Path, pages: list[str]) -> Path:
    """A minimal PDF whose text (any script) pypdf can extract, one string per page."""
    chars = sorted(set("".join(pages)) - {"\n"})
    cids = {c: i + 1 for i, c in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    entries = [f"<{cids[c]:04X}> <{c.encode('utf-16-be').hex().upper()}>" for c in chars]
    blocks = []
    for start in range(0, len(entries), 100):
        part = entries[start : start + 100]
        blocks.append(f"{len(part)} beginbfchar\n" + "\n".join(part) + "\nendbfchar")
    cmap = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()
    catalog = add(b"")  # filled in below, once the pages object number is known
    pages_obj = add(b"")
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /TomoshibiTest /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TomoshibiTest /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 >>"
        % descriptor
    )
    to_unicode = add(stream(cmap))
    font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TomoshibiTest /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    kids = []
    for text in pages:
        lines = ["<" + "".join(f"{cids[c]:04X}" for c in line) + "> Tj T*" for line in text.split("\n")]
        content = ("BT /F1 10 Tf 14 TL 40 800 Td\n" + "\n".join(lines) + "\nET").encode()
        content_obj = add(stream(content))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_obj, content_obj, font)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def write_encrypted_pdf(path: Path, pages: list[str], password: str = "secret") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(path.with_suffix(".plain.tmp"), pages)
    writer = PdfWriter(clone_from=PdfReader(str(plain)))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def write_english(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cats.txt").write_text(EN_CATS, encoding="utf-8")
    (folder / "fuji.md").write_text(EN_FUJI_MD, encoding="utf-8")
    write_docx(folder / "bread.docx", EN_BREAD)
    write_pdf(folder / "solar.pdf", EN_SOLAR_PAGES)
    return folder


def write_japanese(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "富士山.txt").write_text(JA_FUJI, encoding="utf-8")
    (folder / "味噌汁.md").write_text(JA_MISO_MD, encoding="utf-8")
    write_docx(folder / "新幹線.docx", JA_SHINKANSEN)
    write_pdf(folder / "発電.pdf", JA_PDF_PAGES)
    return folder


def write_bad_pdfs(folder: Path) -> tuple[Path, Path]:
    """An encrypted PDF (password "secret") and a file that only claims to be a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    encrypted = write_encrypted_pdf(folder / "locked.pdf", ["Top secret salary figures."])
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not really a pdf\x00\x01\x02")
    return encrypted, broken
