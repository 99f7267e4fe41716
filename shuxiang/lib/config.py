"""Configuration from the environment, checked before Django starts.

Every setting a school can change is an environment variable (see
`.env.example`). A mistake in one of them must end with one line saying what
to fix, never a traceback, so the checks here raise `ConfigError` with a
message a librarian can act on and `shuxiang.cli` prints it.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url


class ConfigError(Exception):
    """A setting is wrong; the message says which one and how to fix it."""


@dataclass(frozen=True)
class Config:
    home: Path
    database: dict[str, Any]
    secret_key: str
    debug: bool
    allowed_hosts: list[str]
    time_zone: str


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value; use 1 or 0.")


def home_dir() -> Path:
    """SHUXIANG_HOME, created if missing; it must be writable (database, key, backups)."""
    home = Path(os.environ.get("SHUXIANG_HOME") or "var").expanduser().resolve()
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"SHUXIANG_HOME {home} is not writable ({exc.strerror}); "
            "point SHUXIANG_HOME at a folder this user can write."
        ) from None
    return home


def database_settings(home: Path) -> dict[str, Any]:
    url = os.environ.get("SHUXIANG_DATABASE_URL", "").strip()
    if not url:
        url = f"sqlite:///{home / 'shuxiang.sqlite3'}"
    scheme = url.split(":", 1)[0]
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ConfigError(
            f"SHUXIANG_DATABASE_URL must start with sqlite:/// or postgres://, not {scheme!r}."
        )
    try:
        db = dj_database_url.parse(url, conn_max_age=0)
    except (ValueError, KeyError, dj_database_url.ParseError) as exc:
        raise ConfigError(f"SHUXIANG_DATABASE_URL is malformed ({exc}).") from None
    if db["ENGINE"].endswith("sqlite3"):
        if not db.get("NAME"):
            raise ConfigError(
                "SHUXIANG_DATABASE_URL names no SQLite file; use sqlite:////path/file."
            )
        db["OPTIONS"] = {
            # WAL lets the desk read while a batch import writes; IMMEDIATE
            # takes the write lock at BEGIN so two writers queue instead of
            # failing half-way with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        db["TEST"] = {"NAME": os.environ.get("SHUXIANG_TEST_DATABASE") or None}
    else:
        if not db.get("NAME"):
            raise ConfigError("SHUXIANG_DATABASE_URL names no database; add /dbname at the end.")
        db["OPTIONS"] = {"connect_timeout": 5}
        db["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    return db


def secret_key(home: Path) -> str:
    """SHUXIANG_SECRET_KEY, or a key generated once into SHUXIANG_HOME."""
    key = os.environ.get("SHUXIANG_SECRET_KEY", "").strip()
    if key:
        return key
    path = home / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load() -> Config:
    home = home_dir()
    hosts = os.environ.get("SHUXIANG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
    return Config(
        home=home,
        database=database_settings(home),
        secret_key=secret_key(home),
        debug=env_flag("SHUXIANG_DEBUG"),
        allowed_hosts=[h.strip() for h in hosts.split(",") if h.strip()],
        time_zone=os.environ.get("SHUXIANG_TIME_ZONE", "Asia/Shanghai"),
    )
