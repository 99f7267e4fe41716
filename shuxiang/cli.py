"""The `shuxiang` command: Django's management commands, with configuration checked first.

`shuxiang serve`, `shuxiang demo`, `shuxiang migrate`, `shuxiang backup` ...
A wrong setting ends with one line on stderr and exit status 2, never a
traceback: a librarian reads it, not a developer.
"""

from __future__ import annotations

import os
import sys

# Commands that can run without reaching the database.
OFFLINE_COMMANDS = {
    "help",
    "--help",
    "-h",
    "version",
    "--version",
    "makemessages",
    "compilemessages",
    "collectstatic",
    "check",
}


def fail(message: str) -> None:
    print(f"shuxiang: {message}", file=sys.stderr)
    raise SystemExit(2)


def check_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(
            f"cannot reach the database ({reason}); check SHUXIANG_DATABASE_URL "
            "and that the database server is running."
        )


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "shuxiang"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuxiang.settings")
    from shuxiang.lib.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        fail(str(exc))
    command = argv[1] if len(argv) > 1 else "help"
    if command not in OFFLINE_COMMANDS:
        check_database()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
