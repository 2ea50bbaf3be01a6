"""Screenshots of the app's windows for a person to look at: main window (with and without the
Advanced sheet), documents, settings, the model library and every page of the conversion wizard, in
Japanese and English, light and dark, at 1440x900 and 900x600. Also one contact sheet per window.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/look_screenshots.py [out-dir]

Runs on an empty temporary data folder; no model is loaded (nothing is downloaded).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["TOMOSHIBI_HOME"] = tempfile.mkdtemp(prefix="tomoshibi-shots-")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from PySide6.QtCore import QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZES = ((1440, 900), (900, 600))
LANGS = ("ja", "en")
MODES = ("light", "dark")


def settle(app: QApplication, seconds: float = 0.15) -> None:
    """Let Qt lay out and paint (message cards need a few layout passes, about a second on a busy
    machine, before their heights settle)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        # deleteLater() runs only from an event loop; without it, replaced messages linger in shots
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.01)


def seed_conversations() -> None:
    from models.conversations import ConversationStore

    store = ConversationStore()
    now = time.time()
    samples = [
        (
            "Python のリストを逆順にする方法",
            now - 6 * 86400,
            "Python でリストを逆順にするには？",
            "スライスを使います:\n\n```python\nitems[::-1]\n```\n\n元のリストを変えたいときは `items.reverse()` です。",
        ),
        (
            "週報の下書き",
            now - 86400,
            "今週の週報を短くまとめて",
            "- 顧客 A の打ち合わせ\n- 見積もりの修正\n- 来週: 納品の準備",
        ),
        (
            "京都の紅葉を見に行く一泊二日の旅行プランを考えてください（長いタイトル）",
            now,
            "京都で紅葉を見るならどこがいい？",
            "**東福寺**と**永観堂**が有名です。朝早く行くと混雑を避けられます。",
        ),
    ]
    for title, when, question, answer in samples:
        conv = store.new_conversation(title)
        store.add_message(conv.id, "user", question)
        store.add_message(conv.id, "assistant", answer, finish_reason="stop", tokens_per_second=42.0)
        store._db.execute(
            "UPDATE conversations SET updated = ?, created = ? WHERE id = ?", (when, when, conv.id)
        )
        store._db.commit()
    store.close()


def checkpoint_folder() -> Path:
    folder = Path(tempfile.mkdtemp()) / "Llama-3.2-3B-Instruct"
    folder.mkdir()
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": 3072,
        "num_hidden_layers": 28,
        "num_attention_heads": 24,
        "num_key_value_heads": 8,
        "vocab_size": 128256,
        "intermediate_size": 8192,
        "tie_word_embeddings": True,
    }
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


def save(widget: QWidget, out: Path, name: str, shots: dict[str, list[Path]], group: str) -> None:
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    shots.setdefault(group, []).append(path)


def main_windows(app: QApplication, out: Path, lang: str, mode: str, shots: dict[str, list[Path]]) -> None:
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    for width, height in SIZES:
        settings = AppSettings()
        window = MainWindow(settings)
        window.resize(width, height)
        window.show()
        window.voice.add_button()  # no microphone here: it shows as switched off
        window.conversations.reload()
        window.controller.open_conversation(window.conversations.ids()[0])
        window.conversations.list.setCurrentRow(0)
        settle(app, 1.0)
        tag = f"{lang}_{mode}_{width}x{height}"
        save(window, out, f"main_{tag}", shots, "main")
        window.controller.open_conversation(window.conversations.ids()[-1])  # the one with code
        window.conversations.list.setCurrentRow(window.conversations.list.count() - 1)
        window.header.sheet_button.setChecked(True)
        settle(app, 1.0)
        save(window, out, f"main_advanced_{tag}", shots, "main_advanced")
        window.header.sheet_button.setChecked(False)
        if width == 900:
            window.open_documents()
            docs = window._documents_window
            docs.resize(min(900, docs.width()), min(600, docs.height()))
            docs.view.create_collection("仕事の資料" if lang == "ja" else "Work files")
            settle(app, 1.0)
            save(docs, out, f"documents_{lang}_{mode}", shots, "documents")
            search_results(app, docs, out, lang, mode, shots)
            docs.view.shutdown()
            docs.close()
            window.open_settings()
            settle(app, 0.2)
            save(window._settings_dialog, out, f"settings_{lang}_{mode}", shots, "settings")
            window._settings_dialog.tabs.setCurrentIndex(1)
            settle(app, 0.2)
            save(window._settings_dialog, out, f"settings_voice_{lang}_{mode}", shots, "settings")
            window._settings_dialog.tabs.setCurrentIndex(3)
            settle(app, 0.2)
            save(window._settings_dialog, out, f"settings_other_{lang}_{mode}", shots, "settings")
            window._settings_dialog.other_computers_page.workers_details.setChecked(True)
            settle(app, 0.2)
            save(window._settings_dialog, out, f"settings_other_details_{lang}_{mode}", shots, "settings")
            window._settings_dialog.reject()
            window.open_model_manager()
            library = window.library.library
            for tab in ("catalog", "installed"):
                library.show_tab(tab)
                settle(app, 0.2)
                save(library, out, f"library_{tab}_{lang}_{mode}", shots, "library")
            library.close()
            wizard_pages(app, window, out, lang, mode, shots)
            modal_shot(
                app,
                lambda w=window: w.conversations.rename(w.conversations.ids()[0]),
                out,
                f"rename_{lang}_{mode}",
                shots,
            )
            window.help_menu.show_about()
            settle(app, 0.2)
            save(window.help_menu.about_dialog, out, f"about_{lang}_{mode}", shots, "help")
            window.help_menu.about_dialog.reject()
        window.close()
        settle(app, 0.2)


def search_results(
    app: QApplication, docs: QWidget, out: Path, lang: str, mode: str, shots: dict[str, list[Path]]
) -> None:
    """The documents window after a search: passages from files under a source folder (the search
    itself needs an embedding model, so its result is handed to the panel as the job would)."""
    from models.documents import Passage, SearchResult

    panel = docs.view  # type: ignore[attr-defined]
    folder = Path(tempfile.mkdtemp()) / ("仕事の資料" if lang == "ja" else "Work files")
    (folder / "2024" / "営業").mkdir(parents=True)
    panel.current_collection().add_sources([folder])
    ja = lang == "ja"
    passages = [
        Passage(1, str(folder / "2024" / "営業" / "第3四半期報告.pdf"), 3, None,
                "第三四半期の売上は前年同期比で 12% 増えました。主な要因は新製品の出荷開始です。" if ja
                else "Third-quarter sales rose 12% over last year, mainly because the new product shipped.",
                0.0328, vector_score=0.81, keyword_score=5.1),
        Passage(2, str(folder / "議事録.md"), None, "来週の予定" if ja else "Next week",
                "納品の準備と見積もりの修正を行う。" if ja else "Prepare the delivery and fix the quote.",
                0.0210, keyword_score=3.0),
        Passage(3, str(folder / "2024" / "memo.txt"), None, None,
                "売上の数字は月末に確定する。" if ja else "Sales figures are final at the end of the month.",
                0.0120, vector_score=0.55),
    ]  # fmt: skip
    panel.query.setText("第3四半期の売上" if ja else "third quarter sales")
    started: list[object] = []
    panel._start = started.append  # the search starts as on Enter, but its job is not run
    panel.start_search()
    settle(app, 0.2)
    save(docs, out, f"documents_searching_{lang}_{mode}", shots, "documents")
    panel._on_searched(started[0], SearchResult(passages))
    panel.results.show_passage(0)
    settle(app, 0.2)
    save(docs, out, f"documents_results_{lang}_{mode}", shots, "documents")


def wizard_pages(
    app: QApplication, window: QWidget, out: Path, lang: str, mode: str, shots: dict[str, list[Path]]
) -> None:
    from converters.pipeline import PipelineProgress

    window.open_conversion_wizard()  # type: ignore[attr-defined]
    wizard = window._conversion_wizard  # type: ignore[attr-defined]
    tag = f"{lang}_{mode}"

    def shot(page: str) -> None:
        settle(app, 0.2)
        save(wizard, out, f"wizard_{page}_{tag}", shots, "wizard")

    shot("1_intro")
    wizard.next()
    wizard.source_page.source.setText("HuggingFaceTB/SmolLM2-360M-Instruct")
    wizard.next()  # offline: the message in the UI language
    deadline = time.monotonic() + 15
    while wizard.source_page.is_busy() and time.monotonic() < deadline:
        settle(app, 0.05)
    shot("2_source_offline")
    wizard.source_page.source.setText(str(checkpoint_folder()))
    wizard.next()
    shot("3_device")
    wizard.device_page.choose("mac-8gb")
    wizard.next()
    wizard.quality_page.details_button.setChecked(True)
    shot("4_size")
    wizard.next()
    shot("5_summary")
    # The running pages without running a conversion: progress as the pipeline reports it.
    wizard.start_conversion = lambda out, **slots: None
    wizard.next()
    wizard.progress_page._progress(PipelineProgress("quantize", 0.62, "", 245.0))
    shot("6_progress")
    wizard.progress_page._failed(
        __import__("desktop.error_text", fromlist=["user_message"]).user_message(
            __import__("models.errors", fromlist=["InsufficientDiskError"]).InsufficientDiskError(
                "Not enough disk space for the conversion: it needs 9.6 GB, and /home/user/models has "
                "2.1 GB free.",
                "Free some space or choose another folder, then try again.",
            )
        )
    )
    shot("7_failed")
    wizard.progress_page.report = None
    wizard.done(0)


def modal_shot(app: QApplication, opens: object, out: Path, name: str, shots: dict[str, list[Path]]) -> None:
    """Screenshot of a modal dialog that ``opens()`` runs with exec(), then cancel it."""
    from PySide6.QtCore import QTimer

    def grab() -> None:
        dialog = app.activeModalWidget()
        if dialog is not None:
            save(dialog, out, name, shots, "dialogs")
            dialog.reject()  # type: ignore[attr-defined]

    QTimer.singleShot(400, grab)
    opens()  # type: ignore[operator]


def contact_sheet(paths: list[Path], target: Path) -> None:
    """All screenshots of one window side by side, scaled down, for a first look at many."""
    pixmaps = [QPixmap(str(p)) for p in paths]
    columns = 4
    cell_w = 480
    cells = [p.scaledToWidth(cell_w, Qt.TransformationMode.SmoothTransformation) for p in pixmaps]
    rows = (len(cells) + columns - 1) // columns
    cell_h = max(c.height() for c in cells)
    sheet = QPixmap(columns * (cell_w + 8), rows * (cell_h + 8))
    sheet.fill(QColor("#777777"))
    painter = QPainter(sheet)
    for i, cell in enumerate(cells):
        painter.drawPixmap(QPoint((i % columns) * (cell_w + 8), (i // columns) * (cell_h + 8)), cell)
    painter.end()
    sheet.save(str(target))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "look"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop import i18n, theme

    seed_conversations()
    shots: dict[str, list[Path]] = {}
    for lang in LANGS:
        for mode in MODES:
            i18n.apply_language(lang)
            theme.apply_theme(mode, app)
            main_windows(app, out, lang, mode, shots)
    for group, paths in shots.items():
        contact_sheet(paths, out / f"sheet_{group}.png")
    print(f"{sum(len(p) for p in shots.values())} screenshots in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
