"""`tomoshibi models ...` end to end, against the local hub server and a temporary models folder."""

from __future__ import annotations

import _thread
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main
from models import download
from models.paths import models_dir
from tests.models.hubserver import BIG, PAYLOAD, REPO, HubServer, serve_local_hub
from tests.models.tiny_gguf import write_tiny_gguf


@pytest.fixture
def local_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    yield from serve_local_hub(monkeypatch)


@pytest.fixture
def builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "bundled").mkdir()
    path = write_tiny_gguf(tmp_path / "bundled" / "SmolLM2-135M-Instruct.Q4_1.gguf")
    monkeypatch.setenv("TOMOSHIBI_BUNDLED_MODEL", str(path))
    return path


def test_catalog_shows_memory_and_fit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "catalog"]) == 0
    out = capsys.readouterr().out
    assert "llama-2-7b-chat-q4_k_m" in out and "download + convert" in out and "MEMORY" in out
    line = next(x for x in out.splitlines() if x.startswith("llama-2-13b-chat-q4_0"))
    assert " GB" in line and ("yes" in line or "NO" in line)


def test_list_import_rm(builtin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_tiny_gguf(tmp_path / "mine.gguf")
    assert main(["models", "import", str(source)]) == 0
    assert (models_dir() / "mine.gguf").is_file()
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert "smollm2-135m-instruct-q4_1" in out and "built-in" in out and "mine.gguf" in out
    assert main(["models", "rm", "smollm2-135m-instruct-q4_1"]) == 2
    assert "built into Tomoshibi" in capsys.readouterr().err
    assert main(["models", "rm", "mine"]) == 0
    assert not (models_dir() / "mine.gguf").exists()


def test_search_and_download(local_hub: HubServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "search", "acme"]) == 0
    out = capsys.readouterr().out
    assert out.index("acme/other-GGUF") < out.index("acme/tiny-GGUF")
    assert main(["models", "search", REPO]) == 0
    out = capsys.readouterr().out
    assert BIG in out and "Q4_K_M" in out and "Q8_0" in out
    assert main(["models", "download", REPO]) == 0  # picks the Q4_K_M file by default
    captured = capsys.readouterr()
    assert (models_dir() / BIG).read_bytes() == PAYLOAD
    assert "100%" in captured.err and "Saved" in captured.out


def test_download_errors_are_messages_not_tracebacks(
    local_hub: HubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["models", "download", "meta/gated-GGUF", "gated.Q4_0.gguf"]) == 2
    err = capsys.readouterr().err
    assert "HF_TOKEN" in err and "Traceback" not in err
    assert main(["models", "download", "no-such-id"]) == 2
    assert "llama-2-7b-chat-q4_k_m" in capsys.readouterr().err


def test_ctrl_c_cancels_and_keeps_a_resumable_partial(
    local_hub: HubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    local_hub.faults.slow[BIG] = 0.01

    def press_ctrl_c() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            parts = download.partial_downloads()
            if parts and parts[0].stat().st_size >= 20_000:
                _thread.interrupt_main()
                return
            time.sleep(0.01)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    assert main(["models", "download", REPO, BIG]) == 130
    presser.join()
    assert "resume" in capsys.readouterr().err
    (part,) = download.partial_downloads()
    kept = part.stat().st_size
    assert 20_000 <= kept < len(PAYLOAD)
    local_hub.faults.slow.clear()
    assert main(["models", "download", REPO, BIG]) == 0
    assert (models_dir() / BIG).read_bytes() == PAYLOAD
    assert local_hub.gets(BIG)[-1].range_start == kept


def test_update_installs_a_newer_file_in_place(
    local_hub: HubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, name = "cstr/multilingual-e5-small-GGUF", "multilingual-e5-small-Q8_0.gguf"
    local_hub.add_repo(repo, {name: PAYLOAD})
    assert main(["models", "update"]) == 0
    assert "No models downloaded" in capsys.readouterr().out
    assert main(["models", "download", "multilingual-e5-small-q8_0"]) == 0
    assert main(["models", "update", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out
    local_hub.repos[repo].files[name] = PAYLOAD[::-1]
    assert main(["models", "update", "--check"]) == 0
    assert "multilingual-e5-small-q8_0: a newer version is on the hub" in capsys.readouterr().out
    assert (models_dir() / name).read_bytes() == PAYLOAD
    assert main(["models", "update", "multilingual-e5-small-q8_0"]) == 0
    assert (models_dir() / name).read_bytes() == PAYLOAD[::-1]
    assert main(["models", "update"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["models", "update", "qwen3-4b-q4_k_m"]) != 0
