"""Configuration mistakes end with one line saying what to fix, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shuxiang.lib import config


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SHUXIANG_")}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "shuxiang.cli", *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


def test_malformed_database_url_is_one_line(tmp_path):
    result = run_cli(
        "migrate",
        env={"SHUXIANG_HOME": str(tmp_path), "SHUXIANG_DATABASE_URL": "postgres://h:notaport/x"},
    )
    assert_one_line_error(result, "SHUXIANG_DATABASE_URL", "malformed")


def test_unknown_database_scheme_is_one_line(tmp_path):
    result = run_cli(
        "migrate",
        env={"SHUXIANG_HOME": str(tmp_path), "SHUXIANG_DATABASE_URL": "mysql://root@localhost/x"},
    )
    assert_one_line_error(result, "sqlite:///", "postgres://")


def test_unreachable_database_is_one_line(tmp_path):
    result = run_cli(
        "migrate",
        env={
            "SHUXIANG_HOME": str(tmp_path),
            "SHUXIANG_DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        },
    )
    assert_one_line_error(result, "cannot reach the database", "SHUXIANG_DATABASE_URL")


def test_home_that_is_a_file_is_one_line(tmp_path):
    # A regular file cannot hold the database, whoever runs the command.
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    result = run_cli("migrate", env={"SHUXIANG_HOME": str(blocker)})
    assert_one_line_error(result, "SHUXIANG_HOME", "not writable")


def test_bad_debug_flag_is_one_line(tmp_path):
    result = run_cli("check", env={"SHUXIANG_HOME": str(tmp_path), "SHUXIANG_DEBUG": "maybe"})
    assert_one_line_error(result, "SHUXIANG_DEBUG")


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SHUXIANG_SECRET_KEY", raising=False)
    first = config.secret_key(tmp_path)
    assert len(first) > 40
    assert config.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_sqlite_runs_in_wal_with_immediate_transactions(tmp_path, monkeypatch):
    monkeypatch.delenv("SHUXIANG_DATABASE_URL", raising=False)
    db = config.database_settings(Path(tmp_path))
    assert db["NAME"] == str(tmp_path / "shuxiang.sqlite3")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] > 0


def test_a_fresh_home_migrates_and_reports_sqlite_in_wal_mode(tmp_path):
    result = run_cli("migrate", "--no-input", env={"SHUXIANG_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    import sqlite3

    mode = sqlite3.connect(tmp_path / "shuxiang.sqlite3").execute("PRAGMA journal_mode")
    assert mode.fetchone()[0] == "wal"
