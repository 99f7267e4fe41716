from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.server import backup


class Command(BaseCommand):
    help = "Copy the whole database to a file, while Shuxiang keeps running."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "path", nargs="?", help="file to write (default: SHUXIANG_HOME/backups/)"
        )

    def handle(self, *args: Any, path: str | None, **options: Any) -> None:
        target = Path(path) if path else backup.default_path()
        try:
            backup.backup(target)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backup written to {target}")
