"""Chinese first: the committed catalogue is complete, compiled, and used by default."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import shuxiang

LOCALE = Path(shuxiang.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 200


def test_the_compiled_catalogue_matches_the_source():
    po = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0, ""))
        for e in polib.pofile(str(LOCALE / "django.po"))
        if not e.obsolete
    }
    mo = {
        (e.msgid, e.msgstr or e.msgstr_plural.get(0, ""))
        for e in polib.mofile(str(LOCALE / "django.mo"))
        if e.msgid
    }
    assert po == mo, "run `make messages` to recompile django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_every_text_in_the_code_is_in_the_catalogue(tmp_path):
    """makemessages over the code finds no msgid the catalogue lacks."""
    source = Path(shuxiang.__file__).parent
    copy = tmp_path / "shuxiang"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--settings=shuxiang.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "django.po"))}
    assert fresh - committed == set(), "run `make messages` and translate the new texts"


def test_pages_are_chinese_even_for_an_english_browser(client, people):
    client.force_login(people.librarian)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "图书馆工作台" in page


def test_english_is_chosen_with_the_language_switch(client, people):
    client.force_login(people.librarian)
    client.post("/accounts/language/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Library dashboard" in page and "图书馆工作台" not in page
