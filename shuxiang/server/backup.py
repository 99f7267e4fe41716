"""Backup and restore of the whole database, online.

SQLite: the SQLite online backup API, so a copy is consistent while the
desk keeps working. PostgreSQL: pg_dump's custom format and pg_restore.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def default_path(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now()
    suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
    folder = Path(settings.SHUXIANG_HOME) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"shuxiang-{now:%Y%m%d-%H%M%S}.{suffix}"


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target, pages=1024)


def backup(path: Path) -> Path:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            _sqlite_copy(connection.connection, target)
        finally:
            target.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={path}"])
    return path


def _check_sqlite_backup(path: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            names = {
                row[0]
                for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a SQLite database ({exc}).") from None
    if not {"django_migrations", "schools_school"} <= names:
        raise BackupError(f"{path} is not a Shuxiang backup (no Shuxiang tables in it).")


def restore(path: Path) -> None:
    """Replace the whole database with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if connection.vendor == "sqlite":
        _check_sqlite_backup(path)
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _sqlite_copy(source, connection.connection)
        finally:
            source.close()
    else:
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                str(path),
            ]
        )


def _pg_env() -> dict[str, Any]:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    return {k: v for k, v in env.items() if v != ""}


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed; install the PostgreSQL client "
            "(Debian: apt-get install postgresql-client)."
        )
    if command[0] == "pg_restore":
        command.append(f"--dbname={connection.settings_dict['NAME']}")
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip().splitlines()[-1:]}")
