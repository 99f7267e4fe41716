from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.server import backup


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `shuxiang backup`."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, path: str, yes: bool, **options: Any) -> None:
        if not yes:
            answer = input(f"Replace ALL data with {path}? Type yes: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            backup.restore(Path(path))
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Restored from {path}")
