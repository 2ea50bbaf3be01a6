"""A retrieval test set of our own: Japanese and English notes, questions, and the file each question
should find. ``keyword`` questions share words (or, in Japanese, 3-character runs) with their passage;
``paraphrase`` questions say the same thing in other words, with no 3-character run in common, so
only an embedding model can find them."""

from __future__ import annotations

from pathlib import Path

DOCUMENTS: dict[str, str] = {
    "expenses.md": "# Travel expenses\n\nTrain and bus fares for business trips are refunded within 30 days. "
    "Submit the receipts through the finance portal before the end of the month. Taxi rides need a manager's "
    "approval in advance.",
    "security.md": "# Passwords\n\nWork passwords must be at least 14 characters long and are changed every "
    "six months. Never share your password by email; the help desk will never ask for it.",
    "kitchen.md": "# Office kitchen\n\nThe coffee machine is descaled every Friday. Label your food in the "
    "fridge with your name and the date; unlabeled food is thrown away on Mondays.",
    "parking.md": "# Parking\n\nVisitors park in the underground garage, level B2. Ask reception for a "
    "parking ticket; bicycles go in the rack next to the main entrance.",
    "休暇.txt": "有給休暇の申請は、取得予定日の一週間前までに勤怠システムから行ってください。"
    "半日単位での取得もできます。繰り越しは翌年度末までです。",
    "防災.txt": "地震が起きたときは、机の下に身を隠し、揺れが収まってから非常階段で一階へ避難してください。"
    "集合場所は正面玄関前の駐車場です。エレベーターは使わないでください。",
    "在宅勤務.txt": "在宅勤務は週二日まで認められています。始業と終業の時刻はチャットで上長に報告してください。"
    "会社のパソコン以外で業務データを扱ってはいけません。",
    "健康診断.txt": "定期健康診断は毎年十月に本社の会議室で実施します。前日の夜九時以降は食事をしないでください。"
    "受診できない人は人事部に連絡してください。",
}

# (question, expected file, kind)
QUESTIONS: list[tuple[str, str, str]] = [
    ("How soon are train fares refunded?", "expenses.md", "keyword"),
    ("Do taxi rides need approval?", "expenses.md", "keyword"),
    ("How long must a work password be?", "security.md", "keyword"),
    ("When is the coffee machine descaled?", "kitchen.md", "keyword"),
    ("Where do visitors park?", "parking.md", "keyword"),
    ("Where can I leave my bicycle?", "parking.md", "keyword"),
    ("有給休暇の申請はいつまでに行いますか", "休暇.txt", "keyword"),
    ("地震のときの集合場所はどこですか", "防災.txt", "keyword"),
    ("在宅勤務は週何日までですか", "在宅勤務.txt", "keyword"),
    ("健康診断はいつ実施しますか", "健康診断.txt", "keyword"),
    ("How do I get my money back for a work journey?", "expenses.md", "paraphrase"),
    ("What happens to snacks without a sticker in the refrigerator?", "kitchen.md", "paraphrase"),
    ("Who may I tell my secret login to?", "security.md", "paraphrase"),
    ("Where should guests leave their cars?", "parking.md", "paraphrase"),
    ("お休みを取りたいときはどうすればいい？", "休暇.txt", "paraphrase"),
    ("揺れを感じたら何をするべき？", "防災.txt", "paraphrase"),
    ("家で仕事をする日の決まりは？", "在宅勤務.txt", "paraphrase"),
    ("検診の前の晩に気をつけることは？", "健康診断.txt", "paraphrase"),
]


def write_documents(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text + "\n", encoding="utf-8")
    return folder


def hit_rates(search, k: int = 3) -> dict[str, tuple[float, float]]:
    """``search(question, k)`` → ranked file names; returns kind → (hit@1, hit@k), and "all"."""
    results: dict[str, list[tuple[bool, bool]]] = {}
    for question, expected, kind in QUESTIONS:
        names = [Path(p).name for p in search(question, k)]
        hit = (bool(names) and names[0] == expected, expected in names[:k])
        results.setdefault(kind, []).append(hit)
        results.setdefault("all", []).append(hit)
    return {
        kind: (sum(h[0] for h in hits) / len(hits), sum(h[1] for h in hits) / len(hits))
        for kind, hits in results.items()
    }
