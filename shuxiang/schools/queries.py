"""Reads of the calendar and terms."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from shuxiang.schools.models import CalendarDay, School, Term


@dataclass(frozen=True)
class DayStatus:
    date: datetime.date
    is_open: bool
    reason: str  # why it is closed, or the name of a make-up working day
    kind: str  # a DayKind value, "weekend", "between_terms" or "" for an ordinary day
    term: Term | None


def term_on(school: School, day: datetime.date) -> Term | None:
    return (
        Term.objects.select_related("school_year")
        .filter(school=school, start__lte=day, end__gte=day)
        .first()
    )


def _status(day: datetime.date, override: CalendarDay | None, term: Term | None) -> DayStatus:
    if override is not None:
        return DayStatus(
            day, override.is_open, override.name or override.get_kind_display(), override.kind, term
        )
    if day.weekday() >= 5:
        return DayStatus(day, False, _("Weekend"), "weekend", term)
    if term is None:
        return DayStatus(day, False, _("Between terms"), "between_terms", None)
    return DayStatus(day, True, "", "", term)


def day_status(school: School, day: datetime.date) -> DayStatus:
    """Is the library open on `day`, and if not, why."""
    override = CalendarDay.objects.filter(school=school, date=day).first()
    return _status(day, override, term_on(school, day))


def days_between(school: School, start: datetime.date, end: datetime.date) -> list[DayStatus]:
    """Status of every date from `start` to `end` inclusive, in three queries."""
    overrides = {
        d.date: d for d in CalendarDay.objects.filter(school=school, date__gte=start, date__lte=end)
    }
    terms = list(
        Term.objects.select_related("school_year").filter(
            school=school, start__lte=end, end__gte=start
        )
    )
    result = []
    day = start
    while day <= end:
        term = next((t for t in terms if t.start <= day <= t.end), None)
        result.append(_status(day, overrides.get(day), term))
        day += datetime.timedelta(days=1)
    return result


def month_grid(school: School, year: int, month: int) -> list[list[DayStatus | None]]:
    """Weeks (Monday first) of a month for the calendar page; None pads the edges."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    statuses = days_between(school, first, last)
    cells: list[DayStatus | None] = [None] * first.weekday() + list(statuses)
    cells += [None] * (-len(cells) % 7)
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def open_days_count(school: School, start: datetime.date, end: datetime.date) -> int:
    return sum(1 for status in days_between(school, start, end) if status.is_open)


def school_overview() -> list[School]:
    """Every school with its counts of users, for the district's list."""
    return list(School.objects.annotate(user_count=Count("users")).order_by("code"))
