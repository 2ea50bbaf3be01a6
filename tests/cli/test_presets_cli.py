"""``tomoshibi presets``: list, show, export, import (a new version), history, diff, delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main


def test_presets_cli_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["presets"]) == 0
    listing = capsys.readouterr().out
    assert "business-mail-ja" in listing and "json-extraction" in listing and "[JSON]" in listing
    assert main(["presets", "show", "business-mail-ja"]) == 0
    assert "{{recipient}}" in capsys.readouterr().out
    exported = tmp_path / "mail.toml"
    assert main(["presets", "export", "business-mail-ja", str(exported)]) == 0
    capsys.readouterr()
    exported.write_text(exported.read_text(encoding="utf-8").replace("山田", "佐藤"), encoding="utf-8")
    assert main(["presets", "import", str(exported)]) == 0
    assert capsys.readouterr().out.strip() == "business-mail-ja v2"
    assert main(["presets", "history", "business-mail-ja"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["v1", "v2"]
    assert main(["presets", "diff", "business-mail-ja", "1", "2"]) == 0
    diff = capsys.readouterr().out
    assert '-sender = "山田"' in diff and '+sender = "佐藤"' in diff
    assert main(["presets", "delete", "business-mail-ja"]) == 0
    assert main(["presets", "show", "business-mail-ja"]) != 0
    assert "no preset named" in capsys.readouterr().err
