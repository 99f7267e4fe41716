"""MARC import end to end (parse, map, store, index) on the configured database.

Generates N plausible Chinese CNMARC records (UTF-8 or GBK, one copy each in field 905)
into a file, then prints pymarc's bare parse rate of that file, the import rate into a
fresh school, their ratio, and the peak memory; then imports the file a second time to
show that nothing is duplicated.

    SHUXIANG_HOME=/tmp/bench .venv/bin/python bench/bench_marc_import.py --records 100000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_file(path: Path, count: int, encoding: str) -> None:
    from shuxiang.catalog import marc
    from shuxiang.catalog.bibdata import Holding
    from shuxiang.demo.collection import books

    rng = random.Random(7)
    with path.open("wb") as out:
        for n, (bib, _copies) in enumerate(books(rng, count), start=1):
            bib = replace(
                bib,
                isbns=[],
                holdings=[Holding(barcode=f"B{n:08d}", accession_number=f"{n:08d}")],
                title=f"{bib.title}{n}",
            )
            for chunk in marc.write_cnmarc([bib]):
                out.write(chunk if encoding == "utf-8" else marc.reencode(chunk, "gb18030"))


def pymarc_rate(path: Path, encoding: str) -> float:
    import pymarc

    started = time.perf_counter()
    count = 0
    with path.open("rb") as stream:
        reader = pymarc.MARCReader(
            stream,
            to_unicode=True,
            force_utf8=encoding == "utf-8",
            file_encoding="gb18030" if encoding == "gbk" else "utf-8",
        )
        for record in reader:
            if record is not None:
                count += 1
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--encoding", choices=["utf-8", "gbk"], default="utf-8")
    parser.add_argument(
        "--no-parallel",
        dest="parallel",
        action="store_false",
        help="read and prepare in the same process as storing",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuxiang.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shuxiang.catalog import importing, jobs
    from shuxiang.catalog.models import Item, Location, LocationKind
    from shuxiang.schools.models import School

    call_command("migrate", verbosity=0)
    folder = Path(tempfile.mkdtemp())
    path = folder / "bench.mrc"
    make_file(path, args.records, args.encoding)
    size = path.stat().st_size / 1e6
    print(
        f"{args.records} CNMARC records, {args.encoding}, {size:.1f} MB, "
        f"database {connection.vendor}, parallel {args.parallel}"
    )
    bare = pymarc_rate(path, args.encoding)
    print(f"pymarc bare parse:  {bare:10,.0f} records/s")

    School.objects.filter(code="bench").delete()
    school = School.objects.create(code="bench", name="Bench school")
    location = Location.objects.create(
        school=school, code="stacks", name="藏书室", kind=LocationKind.STACKS
    )
    options = importing.ImportOptions(location=location)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for label in ("first import", "second import"):
        started = time.perf_counter()
        with path.open("rb") as stream:
            outcome = importing.import_bibs(
                jobs.marc_entries(stream, flavour="auto", encoding="auto"),
                school=school,
                options=options,
                by=None,
                parallel=args.parallel,
            )
        elapsed = time.perf_counter() - started
        rate = outcome.processed / elapsed
        print(
            f"{label + ':':15} {rate:10,.0f} records/s end to end ({elapsed:.1f} s; "
            f"{outcome.created_records} new records, {outcome.merged_records} merged, "
            f"{outcome.created_items} copies, {outcome.skipped_items} skipped, "
            f"{len(outcome.errors)} errors); ratio to pymarc parse {rate / bare:.2f}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"peak RSS {rss / 1024:.0f} MB (before importing {rss_before / 1024:.0f} MB); "
        f"copies in the school: {Item.objects.filter(school=school).count()}"
    )
    Item.objects.filter(school=school).delete()
    path.unlink()


if __name__ == "__main__":
    main()
