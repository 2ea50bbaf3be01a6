"""Prompt presets: TOML files with a version and a history, variables, import/export, JSON mode."""

from __future__ import annotations

import json
import sqlite3
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from models import presets
from models.errors import ConfigError
from models.paths import presets_dir
from models.presets import Preset


def test_builtins_are_copied_once_and_a_deleted_one_stays_deleted():
    names = [p.name for p in presets.list_presets()]
    assert names == ["business-mail-ja", "english-assistant", "json-extraction"]
    assert (presets_dir() / "business-mail-ja.toml").is_file()
    presets.delete_preset("english-assistant")
    assert [p.name for p in presets.list_presets()] == ["business-mail-ja", "json-extraction"]
    assert presets.install_builtins() == []


def test_history_is_kept_across_edits_and_old_versions_stay_readable():
    v1 = presets.save_preset(Preset(name="mail", system="Write to {{who}}.", variables={"who": "Tanaka"}))
    assert (v1.version, presets.save_preset(v1).version) == (1, 1)  # unchanged content is no new version
    v2 = presets.save_preset(replace(v1, system="Write politely to {{who}}."))
    v3 = presets.save_preset(replace(v2, sampling_options={"temperature": 0.2, "max_tokens": 64}))
    assert (v2.version, v3.version) == (2, 3)
    assert presets.get_preset("mail") == v3
    assert [p.version for p in presets.history("mail")] == [1, 2, 3]
    assert presets.get_version("mail", 1).system == "Write to {{who}}."
    assert presets.get_version("mail", 2).sampling_options == {}
    assert all(p.updated for p in presets.history("mail"))
    for n in (1, 2, 3):
        assert (presets_dir() / ".history" / "mail" / f"v{n}.toml").is_file()
    diff = presets.diff("mail", 1, 2)
    assert '-system = "Write to {{who}}."' in diff and '+system = "Write politely to {{who}}."' in diff
    with pytest.raises(ConfigError, match="no version 7"):
        presets.get_version("mail", 7)


def test_a_hand_edited_file_becomes_the_next_version():
    presets.save_preset(Preset(name="hand", system="one"))
    path = presets_dir() / "hand.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('system = "one"', 'system = "two"'), encoding="utf-8"
    )
    edited = presets.get_preset("hand")
    assert (edited.version, edited.system) == (2, "two")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["version"] == 2
    assert presets.get_version("hand", 1).system == "one"


def test_variables_defaults_and_missing_ones():
    preset = Preset(
        name="v",
        system='宛先は{{recipient}}、差出人は{sender}です。JSON like {"a": 1} is left alone.',
        user_template="用件：{{input}}（{{tone}}）",
        variables={"recipient": "ご担当者様", "tone": "丁寧"},
    )
    messages = preset.messages("会議の変更 {{not_a_variable}}", {"sender": "山田"})
    assert messages == [
        {
            "role": "system",
            "content": '宛先はご担当者様、差出人は山田です。JSON like {"a": 1} is left alone.',
        },
        {"role": "user", "content": "用件：会議の変更 {{not_a_variable}}（丁寧）"},
    ]
    assert preset.placeholders() == ["recipient", "sender", "input", "tone"]
    with pytest.raises(ConfigError, match="'sender'") as error:
        preset.messages("x")
    assert error.value.fix  # says how to give it a value
    history = [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]
    assert preset.messages("c", {"sender": "S"}, history)[1:3] == history


def test_sampling_and_json_mode():
    schema = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    preset = presets.save_preset(
        Preset(
            name="extract",
            system="Extract.",
            sampling_options={"temperature": 0.1, "stop": ["END"]},
            json_mode=True,
            json_schema=schema,
        )
    )
    params = preset.sampling(max_tokens=32)
    assert (params.temperature, params.stop, params.max_tokens) == (0.1, ("END",), 32)
    assert params.grammar and "name" in params.grammar
    assert "JSON" in preset.messages("Yuki lives in Osaka.")[0]["content"]
    stored = tomllib.loads((presets_dir() / "extract.toml").read_text(encoding="utf-8"))
    assert json.loads(stored["json"]["schema"]) == schema and stored["json"]["enabled"] is True
    assert presets.resolve_preset("extract").json_schema == schema
    plain = Preset(name="plain").sampling()
    assert plain.grammar is None


def test_export_import_and_rename(tmp_path: Path):
    presets.save_preset(Preset(name="share", system="v1", description="shared"))
    presets.save_preset(Preset(name="share", system="v2", description="shared"))
    exported = presets.export_preset("share", tmp_path / "share.toml")
    assert tomllib.loads(exported.read_text(encoding="utf-8"))["system"] == "v2"
    # Importing a changed copy gives the existing preset its next version.
    exported.write_text(
        exported.read_text(encoding="utf-8").replace('"v2"', '"v3 from a colleague"'), "utf-8"
    )
    imported = presets.import_preset(exported)
    assert (imported.name, imported.version, imported.system) == ("share", 3, "v3 from a colleague")
    copy = presets.import_preset(exported, name="share-copy")
    assert (copy.name, copy.version) == ("share-copy", 1)
    renamed = presets.rename_preset("share", "共有")
    assert (renamed.name, renamed.version) == ("共有", 4)
    assert [p.version for p in presets.history("共有")] == [1, 2, 3, 4]
    assert not (presets_dir() / "share.toml").exists()
    with pytest.raises(ConfigError, match="already exists"):
        presets.rename_preset("共有", "share-copy")


def test_bad_files_and_names_are_config_errors(tmp_path: Path):
    with pytest.raises(ConfigError, match="no preset named 'nope'") as error:
        presets.resolve_preset("nope")
    assert "business-mail-ja" in error.value.fix
    for bad in ("../x", ".hidden", "a/b", ""):
        with pytest.raises(ConfigError, match="cannot be a preset name"):
            presets.save_preset(Preset(name=bad))
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "b"\n[sampling]\ntemprature = 0.5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="temprature"):
        presets.import_preset(broken)
    broken.write_text('name = "b"\n[json]\nschema = "{not json"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="JSON schema does not parse"):
        presets.import_preset(broken)
    broken.write_text("name = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        presets.import_preset(broken)


def test_files_are_written_atomically():
    presets.save_preset(Preset(name="atomic", system="x"))
    presets.save_preset(Preset(name="atomic", system="y"))
    leftovers = [p for p in presets_dir().rglob("*") if p.name.endswith(".part")]
    assert leftovers == []


def test_conversation_store_presets_are_imported_into_files():
    from models.conversations import ConversationStore

    with ConversationStore() as store:  # the old table stays (its migration is kept) for this import
        store._db.execute(
            "INSERT INTO system_prompt_presets (name, prompt, created) VALUES ('Translator', 'Translate to Japanese.', 0)"
        )
    assert presets.import_conversation_presets() == ["Translator"]
    assert presets.get_preset("Translator").system == "Translate to Japanese."
    assert presets.import_conversation_presets() == []  # the file is the source of truth now
    with sqlite3.connect(presets_dir().parent / "conversations.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM system_prompt_presets").fetchone()[0] == 1
