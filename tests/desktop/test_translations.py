"""The .ts sources cover every tr() string of desktop/, Japanese is complete, the .qm files are current."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from desktop.i18n import qm_path, update


def _messages(ts):
    return {
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in ET.parse(ts).getroot().iter("context")
        for msg in ctx.iter("message")
    }


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ts_covers_every_string_and_is_translated(tmp_path, lang):
    committed = update.TS_FILES[lang]
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    update.lupdate(fresh)  # what the sources contain now
    assert _messages(fresh) == _messages(committed), "run: python -m desktop.i18n.update"
    assert update.unfinished(fresh) == [], f"untranslated {lang} strings"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_qm_is_compiled_from_the_ts(tmp_path, lang):
    qm = tmp_path / f"{lang}.qm"
    update.lrelease(update.TS_FILES[lang], qm)
    assert qm.read_bytes() == qm_path(lang).read_bytes(), "run: python -m desktop.i18n.update"
