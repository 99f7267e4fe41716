"""shuxiang promote_classes --school CODE [--dry-run] [--force]"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuxiang.patrons import services
from shuxiang.schools.models import School


class Command(BaseCommand):
    help = (
        "Year-end promotion (升级): every class of the school moves up a grade and the top "
        "grade graduates, in one transaction. Prints the plan first."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
        parser.add_argument(
            "--force",
            action="store_true",
            help="graduate students who still have loans or owe compensation",
        )

    def handle(self, *args: Any, school: str, dry_run: bool, force: bool, **options: Any) -> None:
        found = School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(f"No school with code {school!r}.")
        plan = services.plan_promotion(found)
        for school_class, label in plan.moves:
            self.stdout.write(f"  {school_class} -> {label}")
        for school_class in plan.graduating:
            self.stdout.write(f"  {school_class} -> graduated")
        self.stdout.write(
            f"{len(plan.moves)} classes move up; {len(plan.graduating)} classes graduate "
            f"with {plan.graduates} students."
        )
        for patron, reasons in plan.blocked:
            self.stdout.write(
                f"blocked: {patron.name} ({patron.school_class}): {'；'.join(reasons)}"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        if plan.blocked and not force:
            raise CommandError(
                f"{len(plan.blocked)} graduates still owe the library (see above); settle "
                "first or use --force. Nothing was changed."
            )
        try:
            done = services.promote_classes(found, by=None, override=force)
        except services.PatronError as exc:
            raise CommandError(f"{exc.message}. Nothing was changed.") from None
        self.stdout.write(
            f"Done: {len(done.moves)} classes moved up, {done.graduates} students graduated."
        )
