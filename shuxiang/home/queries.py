"""Figures for the home pages."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from shuxiang.accounts.models import User
from shuxiang.catalog.models import Item
from shuxiang.patrons import queries as patron_queries
from shuxiang.schools import queries as school_queries
from shuxiang.schools.models import School


def today_figures(school: School, today: datetime.date | None = None) -> dict[str, Any]:
    """What the librarian sees first: is the library open today, which week, how many readers."""
    today = today or timezone.localdate()
    status = school_queries.day_status(school, today)
    term = status.term
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    week_start = week_end - datetime.timedelta(days=6)
    return {
        "today": today,
        "status": status,
        "term": term,
        "week": term.week_of(today) if term else None,
        "open_days_this_week": school_queries.open_days_count(school, week_start, week_end),
        "readers": patron_queries.reader_counts(school),
        "users": User.objects.filter(school=school, is_active=True).count(),
        "copies": Item.objects.filter(school=school).in_collection().count(),
    }
