"""Serve Shuxiang with gunicorn: migrate, collect static files, then serve."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication


class ShuxiangServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from shuxiang.wsgi import application

        return application


def default_workers() -> int:
    # SQLite has one writer at a time: a couple of processes with threads
    # serve a school's desk and catalogue without queueing on the lock.
    return min(4, (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Migrate the database and serve Shuxiang with gunicorn (static files by whitenoise)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=default_workers())

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"--port {port} is not a TCP port.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Shuxiang: http://{host}:{port}/  (data in {settings.SHUXIANG_HOME})")
        ShuxiangServer(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "worker_class": "gthread",
                "timeout": 120,
                "accesslog": "-",
                "errorlog": "-",
                "loglevel": "warning",
            }
        ).run()
