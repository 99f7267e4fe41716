"""shuxiang import_roster FILE --school CODE [--dry-run] [--no-create-classes]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.lib.xlsx import XlsxError
from shuxiang.patrons import services
from shuxiang.patrons.roster import read_roster
from shuxiang.schools.models import School


class Command(BaseCommand):
    help = (
        "Import a roster of students or teachers (Excel) into a school's readers: all rows "
        "or none. Readers are matched by 学号 or 工号 and updated; none is ever deleted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument(
            "--dry-run", action="store_true", help="read and check everything, store nothing"
        )
        parser.add_argument(
            "--no-create-classes",
            dest="create_classes",
            action="store_false",
            help="refuse rows of classes the school does not have yet",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        school: str,
        dry_run: bool,
        create_classes: bool,
        **options: Any,
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        found = School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(f"No school with code {school!r}.")
        try:
            parsed = read_roster(path, school_grades=found.grades)
        except XlsxError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from None
        # The good rows go through the service even when others are bad (as a dry run),
        # so that one run reports every problem, the file's and the school's.
        result = services.import_roster(
            found,
            parsed.rows,
            by=None,
            create_classes=create_classes,
            dry_run=dry_run or bool(parsed.errors),
        )
        errors = [str(error) for error in parsed.errors] + result.errors
        for message in errors:
            self.stderr.write(message)
        if errors:
            raise CommandError(f"{file}: {len(errors)} errors. Nothing was imported.")
        would = "would be " if dry_run else ""
        new_classes = "、".join(result.classes_created) or "none"
        self.stdout.write(
            f"{len(parsed.rows)} readers read: {result.created} {would}created, "
            f"{result.updated} {would}updated, {result.unchanged} unchanged; "
            f"new classes: {new_classes}; class teachers linked: {result.class_teachers}."
        )
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")
        if dry_run:
            self.stdout.write("Dry run: nothing was stored.")
