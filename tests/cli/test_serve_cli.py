"""``tomoshibi serve``: prints the address, answers on it, stops cleanly on Ctrl-C; refuses unsafe settings."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_serve_prints_the_address_and_answers(bundled_model) -> None:
    env = {**os.environ, "TOMOSHIBI_API_KEY": ""}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "serve",
            "--model",
            str(bundled_model),
            "--port",
            "0",
            "--ctx",
            "256",
            "--threads",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()  # blocks until the model is loaded and the port is open
        assert line.startswith("Tomoshibi API at http://127.0.0.1:"), line + process.stderr.read()
        address = line.split()[3]
        with urllib.request.urlopen(f"{address}/models", timeout=10) as response:
            assert json.load(response)["data"][0]["id"] == "smollm2-135m-instruct-q4_1"
        process.send_signal(signal.SIGINT)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_refuses_a_public_address_without_a_key(capsys, monkeypatch) -> None:
    from cli.main import main

    monkeypatch.delenv("TOMOSHIBI_API_KEY", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "API key" in err and "--api-key" in err
