"""Local models: bundled one listed with size, quantization and fits; import by drop; delete."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QWidget

from desktop.model_manager import ModelManager, local_models
from models.paths import models_dir
from tests.models.tiny_gguf import write_tiny_gguf


def drop_file(target: QWidget, path: Path) -> None:
    """Call ``target.dropEvent`` as Qt does when ``path`` is dropped on it from a file manager."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(drop)  # mime stays alive here: the event only points at it


def test_lists_bundled_model_with_fit(bundled_model):
    models = local_models()
    assert models[0].builtin and models[0].path == bundled_model
    assert models[0].quantization == "Q4_1"
    assert models[0].architecture == "llama"
    assert models[0].fits is True and models[0].memory_bytes
    assert models[0].size_bytes == bundled_model.stat().st_size


def test_import_by_drop_then_delete(qtbot, bundled_model, tmp_path):
    # Another model than the bundled one: a copy of that would be recognised and not imported.
    source = write_tiny_gguf(tmp_path / "my-model.Q4_1.gguf")
    manager = ModelManager()
    qtbot.addWidget(manager)
    manager.show()
    assert manager.table.rowCount() == 1
    assert manager.usage.text().startswith("No models downloaded yet;")  # not "use 0 B"
    assert manager.table.item(0, 4).text() == "Ready"
    assert (
        manager.table.item(0, 1).text() == "Chat" and manager.table.item(0, 2).text() == "English"
    )  # from the catalog, in the UI language
    assert "Quantization: Q4_1" in manager.table.item(0, 0).toolTip()
    with qtbot.waitSignal(manager.imports_finished, timeout=30000):
        drop_file(manager, source)
    assert (models_dir() / source.name).is_file()
    assert manager.table.rowCount() == 2
    assert manager.selected().path == models_dir() / source.name
    assert manager.usage.text().startswith("Downloaded models use ")
    assert not [p for p in models_dir().iterdir() if p.name.startswith(".")]  # no temporary left
    loads: list[str] = []
    manager.load_requested.connect(loads.append)
    assert manager.delete_selected(confirm=False)
    assert not (models_dir() / source.name).exists()
    assert manager.table.rowCount() == 1
    manager.table.selectRow(0)
    assert not manager.delete_button.isEnabled()  # the bundled model cannot be deleted
    manager.load_button.click()
    assert loads == [str(bundled_model)]


def test_import_rejects_a_non_gguf(qtbot, tmp_path):
    bad = tmp_path / "notes.gguf"
    bad.write_text("not a model")
    manager = ModelManager()
    qtbot.addWidget(manager)
    with qtbot.waitSignal(manager.imports_finished, timeout=30000):
        manager.import_file(bad)
    assert "notes.gguf" in manager.last_error and "Traceback" not in manager.last_error
    assert not (models_dir() / "notes.gguf").exists()


def test_gguf_dropped_on_the_main_window_is_imported(make_window, qtbot, bundled_model, tmp_path):
    source = write_tiny_gguf(tmp_path / "dropped.Q4_1.gguf")
    window = make_window(start=False)
    drop_file(window, source)
    manager = window._model_manager
    qtbot.waitUntil(
        lambda: (models_dir() / source.name).is_file() and manager.table.rowCount() == 2, timeout=30000
    )
    window.library.library.close()
