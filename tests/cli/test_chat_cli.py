"""``tomoshibi chat --docs`` and ``tomoshibi docs ask`` as a user runs them, with the real bundled model,
on a folder of Japanese and English notes: the answer and its sources print, a question about a fact the
notes do not hold gets no source, and the prompt each sends is the one the app builds for the same
question (``desktop.turn_request.TurnRequest``, the chat's own turn)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from models.documents.answer import CollectionEmbedders
from models.engine import Engine
from models.events import LoadConfig
from tests.models.retrieval_set import write_documents
from tests.models.tiny_embedding import write_tiny_embedding_gguf

ROOT = Path(__file__).resolve().parents[2]
PROMPT = re.compile(r"----- prompt -----\n(.*)\n----- end of prompt -----", re.S)


def chat_once(question: str, *collections: str) -> subprocess.CompletedProcess[str]:
    """``tomoshibi chat --docs NAME --once QUESTION`` in a process of its own, as typed in a terminal."""
    docs = [arg for name in collections for arg in ("--docs", name)]
    command = [sys.executable, "-m", "cli", "chat", *docs, "--once", question]
    command += ["--temp", "0", "--max-tokens", "24", "--threads", "1", "--show-prompt"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def app_prompt(engine: Engine, embedders: CollectionEmbedders, question: str) -> tuple[str, list[str]]:
    """What the app's chat sends for ``question`` in a new conversation with "notes" attached (built
    as on its engine thread): the rendered prompt and the sources' locations."""
    from desktop.turn_request import TurnRequest

    turn = TurnRequest(1, [{"role": "user", "content": question}], collections=("notes",)).build(
        engine, embedders
    )
    return engine.render(turn.messages), [s.location for s in turn.sources]


def printed_sources(out: str) -> list[str]:
    """The locations under "Sources:" ("[1] parking.md § Parking  (score …)" → "parking.md § Parking")."""
    assert "Sources:\n" in out, out
    listed = out.split("Sources:\n", 1)[1]
    return re.findall(r"^\[\d+\] (.+?)  \(", listed, re.M)


@pytest.fixture
def notes(tmp_path: Path, bundled_model: Path) -> tuple[Path, Path]:
    """The notes, indexed into the collection "notes" with a tiny embedding model (the hybrid path)."""
    folder = write_documents(tmp_path / "notes")
    embedder = write_tiny_embedding_gguf(tmp_path / "tiny-embedder.gguf", bundled_model)
    assert (
        main(["docs", "add", "notes", str(folder), "--embedding-model", str(embedder), "--threads", "1"]) == 0
    )
    return folder, embedder


def test_chat_and_docs_ask_answer_with_the_apps_passages(
    notes, bundled_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, embedder = notes
    capsys.readouterr()
    config = LoadConfig(model_path=str(bundled_model), n_ctx=4096, n_threads=1)
    with Engine.start(config) as engine, CollectionEmbedders(n_threads=1) as embedders:
        english = "Where do visitors park?"
        done = chat_once(english, "notes")
        assert done.returncode == 0, done.stderr
        answer = done.stdout.split("Sources:\n", 1)[0].strip()
        assert answer  # the model's answer printed before its sources
        prompt, locations = app_prompt(engine, embedders, english)
        assert PROMPT.search(done.stderr).group(1) == prompt  # the app's prompt, passage for passage
        assert printed_sources(done.stdout) == locations
        assert locations[0] == "parking.md § Parking"
        assert f"    {folder / 'parking.md'}\n" in done.stdout
        assert f"[{len(locations)} passages used, 0 left out to fit]" in done.stderr

        japanese = "有給休暇の申請はいつまでに行いますか"
        assert (
            main(["docs", "ask", "notes", japanese, "--max-tokens", "24", "--threads", "1", "--show-prompt"])
            == 0
        )
        captured = capsys.readouterr()
        assert captured.out.split("\nSources:\n", 1)[0].strip()
        prompt, locations = app_prompt(engine, embedders, japanese)
        assert PROMPT.search(captured.err).group(1) == prompt
        assert printed_sources(captured.out) == locations
        assert locations[0] == "休暇.txt"
        assert "> 有給休暇の申請は" in prompt  # quoted as data, in the user's message
        assert "keywords only" not in captured.err  # the collection's embedding model is installed

        # The embedding model is gone: both still answer (by keywords) and say how to do better.
        embedder.unlink()
        embedders.close()  # the app would find it gone at its next start
        missing = "Who founded the company?"  # no note says
        assert main(["docs", "ask", "notes", missing, "--threads", "1", "--show-prompt"]) == 0
        captured = capsys.readouterr()
        assert "keywords only" in captured.err
        assert captured.out.strip() == "I could not find anything about this in the documents."
        assert "Sources:" not in captured.out  # no source invented
        prompt, locations = app_prompt(engine, embedders, missing)
        assert locations == []

        argv = ["chat", "--docs", "notes", "--docs", "nowhere", "--once", missing, "--temp", "0"]
        assert main([*argv, "--max-tokens", "24", "--threads", "1", "--show-prompt"]) == 0
        captured = capsys.readouterr()
        assert "[no collection named nowhere: see `tomoshibi docs list`]" in captured.err
        assert "Sources:" not in captured.out and "[1]" not in captured.out
        assert "no passage of the documents matches" in captured.err and "keywords only" in captured.err
        assert PROMPT.search(captured.err).group(1) == prompt
        assert "no passage matches it" in prompt  # the model is told, rather than left to guess
