"""`shuxiang serve` (gunicorn + whitenoise), and backup and restore."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shuxiang.schools.models import School


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def test_serve_migrates_and_serves_pages_and_static_files(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHUXIANG_")}
    env["SHUXIANG_HOME"] = str(tmp_path)  # always a fresh SQLite file
    server = subprocess.Popen(
        [sys.executable, "-m", "shuxiang.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, headers, body = fetch(f"{base}/health")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not answer")
        assert status == 200 and headers["Server"].startswith("gunicorn")
        status, _headers, body = fetch(f"{base}/accounts/login/")
        assert status == 200 and "登录图书馆系统" in body.decode()
        status, headers, body = fetch(f"{base}/static/django_htmx/htmx-2.min.js")
        assert status == 200 and b"htmx" in body
        assert (tmp_path / "static" / "shuxiang" / "app.css").exists()  # collected
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_bring_back_the_data(tmp_path):
    School.objects.create(code="kept", name="留下的学校")
    target = tmp_path / ("backup.sqlite3" if connection.vendor == "sqlite" else "backup.pgdump")
    call_command("backup", str(target))
    assert target.stat().st_size > 0
    School.objects.filter(code="kept").delete()
    School.objects.create(code="later", name="后来的学校")
    call_command("restore", str(target), "--yes")
    connection.close()
    assert set(School.objects.values_list("code", flat=True)) == {"kept"}


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    School.objects.create(code="kept", name="留下的学校")
    junk = Path(tmp_path) / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes")
    assert School.objects.filter(code="kept").exists()


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nothing"), "--yes")
