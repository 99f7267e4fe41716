"""Readers: roster import time and reader search latency.

Imports a 3,000-student roster (Excel, as a school information system exports it) into a
fresh school and prints the time; then grows the school to --readers readers with more
rosters and prints reader search latency (p50, p95, max) over a mix of the queries the
desk types: part of a name, full pinyin, pinyin initials, card number, 学号.

    SHUXIANG_HOME=/tmp/bench .venv/bin/python bench/bench_readers.py --readers 30000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def write_roster(path: Path, rng: random.Random, count: int, first_number: int) -> list[str]:
    from openpyxl import Workbook

    from shuxiang.demo.names import person_name

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名单")
    sheet.append(["学号", "姓名", "性别", "年级", "班级", "班主任"])
    names = []
    for n in range(count):
        gender = rng.choice("MF")
        name = person_name(rng, gender)
        grade, number = 1 + n % 6, 1 + (n // 6) % 12
        sheet.append(
            [
                str(first_number + n),
                name,
                "男" if gender == "M" else "女",
                f"{grade}",
                f"{number}班",
                "",
            ]
        )
        names.append(name)
    workbook.save(path)
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--readers", type=int, default=30_000)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuxiang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shuxiang.lib.pinyin import pinyin_key
    from shuxiang.patrons import queries, roster, services
    from shuxiang.patrons.models import Patron, SchoolClass
    from shuxiang.schools.models import School

    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    code = f"bench{int(time.time())}"
    school = School.objects.create(code=code, name="Bench school")
    folder = Path(tempfile.mkdtemp())
    names: list[str] = []
    batch = 3000
    timings = []
    for start in range(0, args.readers, batch):
        path = folder / f"roster{start}.xlsx"
        names += write_roster(path, rng, min(batch, args.readers - start), 20_000_000 + start)
        began = time.perf_counter()
        parsed = roster.read_roster(path, school_grades=school.grades)
        result = services.import_roster(school, parsed.rows, by=None, create_classes=True)
        timings.append(time.perf_counter() - began)
        assert not result.errors and not parsed.errors, (parsed.errors[:3], result.errors[:3])
    print(f"database {connection.vendor}")
    print(
        f"roster import of {batch} students (read Excel + store): first {timings[0]:.2f} s, "
        f"slowest {max(timings):.2f} s"
    )
    total = Patron.objects.filter(school=school).count()
    print(f"{total} readers in {SchoolClass.objects.filter(school=school).count()} classes")

    cards = list(Patron.objects.filter(school=school).values_list("card_number", flat=True))
    queries_ = []
    for _ in range(args.queries):
        name = rng.choice(names)
        kind = rng.randrange(5)
        if kind == 0:
            queries_.append(name[1:])  # part of the name
        elif kind == 1:
            queries_.append(pinyin_key(name).split()[0])  # full pinyin
        elif kind == 2:
            queries_.append(pinyin_key(name).split()[1])  # initials
        elif kind == 3:
            queries_.append(rng.choice(cards))
        else:
            queries_.append(name)
    latencies = []
    for q in queries_:
        began = time.perf_counter()
        queries.search_patrons(school, q)
        latencies.append((time.perf_counter() - began) * 1000)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(
        f"reader search over {total} readers, {len(latencies)} queries: "
        f"p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
        f"max {latencies[-1]:.1f} ms"
    )
    Patron.objects.filter(school=school).delete()
    SchoolClass.objects.filter(school=school).delete()
    school.delete()


if __name__ == "__main__":
    main()
