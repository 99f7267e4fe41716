import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.demo.build import ACCOUNTS, DEMO_PASSWORD, build_demo, remove_demo
from shuxiang.schools.models import School


class Command(BaseCommand):
    help = "Build the demo schools (demo, demo2) into the configured database."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="grow the demo N times, for benchmarks (default 1)"
        )
        parser.add_argument("--rebuild", action="store_true", help="remove an existing demo first")

    def handle(self, *args: Any, scale: int, rebuild: bool, **options: Any) -> None:
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if School.objects.filter(code="demo").exists():
            if not rebuild:
                self.stdout.write("The demo is already built (use --rebuild to build it anew).")
                self._print_accounts()
                return
            remove_demo()
        started = time.monotonic()
        build_demo(scale=scale)
        self.stdout.write(f"Demo built in {time.monotonic() - started:.1f} s.")
        self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        for username, role, school in ACCOUNTS:
            self.stdout.write(f"  {username:<13} {role:<18} {school}")
