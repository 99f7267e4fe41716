"""State changes of schools, terms and the library calendar."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shuxiang.audit.services import record
from shuxiang.schools.models import CalendarDay, DayKind, School, SchoolYear, Term

MAX_CALENDAR_RANGE = 200  # days; a whole vacation fits, a typo of a year does not


class SchoolError(Exception):
    """A change to a school or its calendar that the rules refuse."""


@transaction.atomic
def create_school(*, by: Any, code: str, name: str, type: str, address: str = "") -> School:
    if School.objects.filter(code=code).exists():
        raise SchoolError(_("The school code %(code)s is taken.") % {"code": code})
    school = School.objects.create(code=code, name=name, type=type, address=address)
    record("school.create", actor=by, obj=school, school=school)
    return school


@transaction.atomic
def update_school(school: School, *, by: Any, name: str, type: str, address: str) -> School:
    school.name, school.type, school.address = name, type, address
    school.save(update_fields=["name", "type", "address"])
    record("school.update", actor=by, obj=school, school=school)
    return school


def _overlapping_terms(
    school: School, start: datetime.date, end: datetime.date, exclude: Term | None
):
    terms = Term.objects.filter(school=school, start__lte=end, end__gte=start)
    if exclude is not None and exclude.pk:
        terms = terms.exclude(pk=exclude.pk)
    return terms


@transaction.atomic
def save_term(
    *,
    by: Any,
    school: School,
    year_name: str,
    number: int,
    start: datetime.date,
    end: datetime.date,
    term: Term | None = None,
) -> Term:
    """Create or change a term; its school year is found or made by name.

    Terms of one school never overlap: each day belongs to at most one term,
    so "this term's figures" always mean one thing.
    """
    if end <= start:
        raise SchoolError(_("The term must end after it starts."))
    clash = _overlapping_terms(school, start, end, term).first()
    if clash is not None:
        raise SchoolError(_("The dates overlap %(term)s.") % {"term": clash})
    year, created = SchoolYear.objects.get_or_create(
        school=school, name=year_name, defaults={"start": start, "end": end}
    )
    if not created and (start < year.start or end > year.end):
        year.start, year.end = min(start, year.start), max(end, year.end)
        year.save(update_fields=["start", "end"])
    duplicate = Term.objects.filter(school_year=year, number=number)
    if term is not None and term.pk:
        duplicate = duplicate.exclude(pk=term.pk)
    if duplicate.exists():
        raise SchoolError(_("%(year)s already has this term.") % {"year": year.name})
    term = term or Term(school=school)
    term.school_year, term.number, term.start, term.end = year, number, start, end
    term.save()
    record(
        "term.save",
        actor=by,
        obj=term,
        school=school,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    return term


@transaction.atomic
def mark_days(
    *,
    by: Any,
    school: School,
    start: datetime.date,
    end: datetime.date,
    kind: str,
    name: str = "",
) -> int:
    """Mark every date from `start` to `end` (inclusive) as `kind`, replacing what was there."""
    if end < start:
        raise SchoolError(_("The last day comes before the first."))
    if (end - start).days >= MAX_CALENDAR_RANGE:
        raise SchoolError(_("Mark at most %(n)s days at once.") % {"n": MAX_CALENDAR_RANGE})
    if kind not in DayKind.values:
        raise SchoolError(_("Unknown kind of day."))
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    CalendarDay.objects.filter(school=school, date__in=days).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(school=school, date=day, kind=kind, name=name) for day in days
    )
    record(
        "calendar.mark",
        actor=by,
        obj=school,
        school=school,
        details={"start": start.isoformat(), "end": end.isoformat(), "kind": kind, "name": name},
    )
    return len(days)


@transaction.atomic
def clear_days(*, by: Any, school: School, start: datetime.date, end: datetime.date) -> int:
    """Return the dates to the weekly rhythm (weekdays open, weekends closed)."""
    deleted, _rows = CalendarDay.objects.filter(
        school=school, date__gte=start, date__lte=end
    ).delete()
    record(
        "calendar.clear",
        actor=by,
        obj=school,
        school=school,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    return deleted
