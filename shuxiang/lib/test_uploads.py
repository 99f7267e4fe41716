"""Uploads kept across a preview: found by this session's token only, pruned after a day."""

from __future__ import annotations

import os
import time

from django.core.files.uploadedfile import SimpleUploadedFile

from shuxiang.lib.uploads import KeptUploads


def test_a_kept_upload_is_found_by_its_token_in_the_same_session_only(tmp_path):
    session: dict = {}
    kept = KeptUploads(session, "lists", tmp_path)
    path = kept.keep(SimpleUploadedFile("名单 2026.xlsx", b"data"))

    assert path.read_bytes() == b"data" and path.parent == tmp_path
    assert kept.find(path.name) == path
    assert KeptUploads({}, "lists", tmp_path).find(path.name) is None
    assert kept.find("../../etc/passwd") is None


def test_forgetting_stops_the_token_and_can_delete_the_file(tmp_path):
    kept = KeptUploads({}, "rosters", tmp_path)
    path = kept.keep(SimpleUploadedFile("roster.xlsx", b"minors"))

    kept.forget(path, delete=True)

    assert kept.find(path.name) is None and not path.exists()


def test_previews_older_than_a_day_are_removed_when_the_next_is_kept(tmp_path):
    kept = KeptUploads({}, "rosters", tmp_path)
    old = kept.keep(SimpleUploadedFile("old.xlsx", b"1"))
    day_and_a_bit = time.time() - KeptUploads.MAX_AGE - 60
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    fresh = kept.keep(SimpleUploadedFile("new.xlsx", b"2"))

    assert not old.exists() and fresh.exists()
