"""shuxiang import_marc FILE --school CODE [--format cnmarc|marc21|auto] [--dry-run]"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.catalog import importing, jobs
from shuxiang.catalog.models import ItemSource, Location
from shuxiang.schools.models import School


class Command(BaseCommand):
    help = "Import a MARC file (ISO 2709 or MARCXML, CNMARC or MARC 21, UTF-8 or GBK)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument(
            "--format", dest="flavour", default="auto", choices=["auto", "cnmarc", "marc21"]
        )
        parser.add_argument("--encoding", default="auto", choices=["auto", "utf-8", "gbk"])
        parser.add_argument("--location", help="location code for copies (default: the first)")
        parser.add_argument("--source", default=ItemSource.PURCHASE, choices=ItemSource.values)
        parser.add_argument(
            "--copies-if-none",
            type=int,
            default=0,
            help="copies to add for records that come without holdings",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check everything, store nothing"
        )

    def handle(
        self,
        *args: Any,
        file: str,
        school: str,
        flavour: str,
        encoding: str,
        location: str | None,
        source: str,
        copies_if_none: int,
        dry_run: bool,
        **options: Any,
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        found = School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(f"No school with code {school!r}.")
        locations = Location.objects.filter(school=found)
        target = locations.filter(code=location).first() if location else locations.first()
        if target is None:
            raise CommandError(f"School {school} has no location {location or ''}.".strip())
        refusal = jobs.refusal(path, flavour=flavour, encoding=encoding)
        if refusal:
            raise CommandError(f"{file}: {refusal}")
        total = jobs.count_records(path)
        started = time.monotonic()

        def progress(outcome: importing.Outcome) -> None:
            rate = outcome.processed / max(time.monotonic() - started, 1e-6)
            self.stderr.write(f"\r{outcome.processed}/{total} records ({rate:,.0f}/s)", ending="")

        batch = (
            None
            if dry_run
            else jobs.import_batch(found, by=None, source=source, file_name=path.name)
        )
        options = importing.ImportOptions(
            location=target,
            source=source,
            copies_if_none=copies_if_none,
            batch=batch,
            received_on=batch.received_on if batch else None,
        )
        with path.open("rb") as stream:
            outcome = importing.import_bibs(
                jobs.marc_entries(stream, flavour=flavour, encoding=encoding),
                school=found,
                options=options,
                by=None,
                dry_run=dry_run,
                progress=progress,
                parallel=True,
            )
        jobs.close_batch(batch)
        self.stderr.write("")
        for position, message in outcome.errors:
            self.stderr.write(f"record {position}: {message}")
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{outcome.processed} records read in {time.monotonic() - started:.1f} s: "
            f"{verb} {outcome.created_records} records and {outcome.created_items} copies, "
            f"{outcome.merged_records} merged, {outcome.skipped_items} copies already here, "
            f"{len(outcome.errors)} bad records."
        )
        if outcome.errors and not (outcome.created_records or outcome.merged_records):
            raise CommandError(f"{file}: no record could be imported.")
