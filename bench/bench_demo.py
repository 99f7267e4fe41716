"""How long `shuxiang demo --scale N` takes, and how many rows it makes.

SHUXIANG_HOME=/tmp/bench .venv/bin/python bench/bench_demo.py --scale 32
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuxiang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from shuxiang.demo.build import build_demo, remove_demo
    from shuxiang.patrons.models import Patron

    call_command("migrate", verbosity=0)
    remove_demo()
    started = time.perf_counter()
    build_demo(scale=args.scale)
    elapsed = time.perf_counter() - started
    readers = Patron.objects.count()
    print(
        f"scale {args.scale}: {readers} readers in {elapsed:.2f} s "
        f"({readers / elapsed:,.0f} readers/s)"
    )


if __name__ == "__main__":
    main()
