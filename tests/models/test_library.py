"""The local model library: listing with metadata and fit, provenance, import, delete, disk usage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models import library
from models.errors import ConfigError, ModelFileError
from models.gguf_keys import CONVERSION
from models.paths import models_dir
from tests.models.tiny_gguf import write_tiny_gguf

CONVERTED = {"source": "rinna/japanese-gpt-neox-3.6b-instruction-ppo", "quantization": "Q4_K_M",
             "profile": "laptop-8gb", "date": "2026-11-21T10:00:00+00:00", "tomoshibi": "0.1.0"}  # fmt: skip


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny stand-in for the bundled model, so these tests do not depend on its size."""
    path = _tiny(tmp_path / "bundled", "SmolLM2-135M-Instruct.Q4_1.gguf")
    monkeypatch.setenv("TOMOSHIBI_BUNDLED_MODEL", str(path))
    return path


def _tiny(folder: Path, name: str, **kwargs: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_tiny_gguf(folder / name, **kwargs)  # type: ignore[arg-type]


def test_lists_builtin_and_local_models_with_metadata(builtin: Path) -> None:
    root = models_dir()
    _tiny(root, "plain.gguf")
    _tiny(root, "rinna-ppo-q4_k_m.gguf", extra_kv={CONVERSION: json.dumps(CONVERTED)})
    (root / "broken.gguf").write_bytes(b"GGUF" + b"\0" * 10)
    (root / ".downloads").mkdir()
    (root / ".downloads" / "half.gguf").write_bytes(b"partial")
    models = {m.name: m for m in library.list_models()}
    assert list(models) == [
        "smollm2-135m-instruct-q4_1",
        "broken.gguf",
        "plain.gguf",
        "rinna-ppo-q4_k_m.gguf",
    ]
    first = models["smollm2-135m-instruct-q4_1"]
    assert first.builtin and not first.deletable and first.path == builtin
    plain = models["plain.gguf"]
    assert plain.architecture == "llama" and plain.display_name == "Tiny Test Llama"
    assert plain.parameters and plain.parameters > 0 and plain.quantization == "Q4_0"
    assert plain.memory_bytes and plain.fits is True  # a tiny model fits anywhere
    assert plain.size_bytes == (root / "plain.gguf").stat().st_size and plain.provenance is None
    converted = models["rinna-ppo-q4_k_m.gguf"]
    assert converted.converted and converted.provenance == {"conversion": CONVERTED}
    broken = models["broken.gguf"]
    assert broken.problem and broken.deletable and broken.architecture is None


def test_listing_reuses_cached_summaries(builtin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _tiny(models_dir(), "plain.gguf")
    library.list_models()
    calls: list[Path] = []
    real = library.summarize
    monkeypatch.setattr(library, "summarize", lambda p: calls.append(p) or real(p))
    library.list_models()
    assert calls == []  # unchanged files are not read again
    write_tiny_gguf(path, seed=1, extra_kv={"x.note": "changed"})
    library.list_models()
    assert calls == [path]


def test_sidecar_provenance_is_shown(builtin: Path) -> None:
    path = _tiny(models_dir(), "downloaded.Q4_0.gguf")
    record = {"source": "hub", "repo": "acme/tiny-GGUF", "sha256": "ab" * 32}
    path.with_name(path.name + ".tomoshibi.json").write_text(json.dumps(record))
    (model,) = [m for m in library.list_models() if m.name == "downloaded.Q4_0.gguf"]
    assert model.provenance == record and not model.converted


def test_import_copy_and_link_then_delete(builtin: Path, tmp_path: Path) -> None:
    source = _tiny(tmp_path / "elsewhere", "mine.gguf")
    copied = library.import_model(source)
    assert copied.path == models_dir() / "mine.gguf" and not copied.linked
    assert copied.path.read_bytes() == source.read_bytes()
    with pytest.raises(ConfigError, match="already"):
        library.import_model(_tiny(tmp_path / "other", "mine.gguf", seed=3))
    linked_source = _tiny(tmp_path / "elsewhere", "linked.gguf")
    linked = library.import_model(linked_source, link=True)
    assert linked.linked and linked.path.resolve() == linked_source.resolve()

    usage = library.disk_usage()
    assert usage.models_bytes == copied.size_bytes  # the link takes no space here
    assert library.delete_model("mine") == copied.size_bytes
    assert library.delete_model("linked.gguf") == 0
    assert linked_source.exists()  # removing a link never touches the original
    assert [m.name for m in library.list_models()] == ["smollm2-135m-instruct-q4_1"]


def test_import_validates_first(builtin: Path, tmp_path: Path) -> None:
    bad = tmp_path / "fake.gguf"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(ModelFileError):
        library.import_model(bad)
    assert not (models_dir() / "fake.gguf").exists()


def test_builtin_cannot_be_deleted_and_unknown_names_list_the_known(builtin: Path) -> None:
    with pytest.raises(ConfigError, match="built into"):
        library.delete_model("smollm2-135m-instruct-q4_1")
    with pytest.raises(ConfigError, match="smollm2-135m-instruct-q4_1"):
        library.delete_model("nothing-here")


def test_real_bundled_model_is_listed(bundled_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOMOSHIBI_BUNDLED_MODEL", raising=False)
    (model,) = library.list_models()
    assert model.builtin and model.architecture == "llama" and model.quantization == "Q4_1"
    assert model.parameters is not None and 130e6 < model.parameters < 140e6
