"""Terms and the library calendar: which days are open, and why the others are not."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from shuxiang.audit.models import AuditEvent
from shuxiang.schools import queries, services
from shuxiang.schools.models import DayKind, Term

d = datetime.date


def test_weekdays_in_term_are_open_weekends_closed(people):
    assert queries.day_status(people.school, d(2026, 11, 26)).is_open  # a Thursday
    saturday = queries.day_status(people.school, d(2026, 11, 28))
    assert not saturday.is_open and saturday.kind == "weekend"


def test_days_between_terms_are_closed(people):
    status = queries.day_status(people.school, d(2027, 2, 3))
    assert (status.is_open, status.kind, status.term) == (False, "between_terms", None)


def test_holiday_closes_a_weekday_and_workday_opens_a_weekend(people):
    services.mark_days(
        by=people.librarian,
        school=people.school,
        start=d(2026, 10, 1),
        end=d(2026, 10, 7),
        kind=DayKind.HOLIDAY,
        name="国庆节",
    )
    services.mark_days(
        by=people.librarian,
        school=people.school,
        start=d(2026, 10, 10),
        end=d(2026, 10, 10),
        kind=DayKind.WORKDAY,
        name="调休",
    )
    holiday = queries.day_status(people.school, d(2026, 10, 5))
    assert (holiday.is_open, holiday.reason) == (False, "国庆节")
    assert queries.day_status(people.school, d(2026, 10, 10)).is_open
    assert queries.day_status(people.other_school, d(2026, 10, 5)).is_open


def test_marking_again_replaces_and_clearing_restores(people):
    args = {"by": people.librarian, "school": people.school}
    services.mark_days(**args, start=d(2026, 12, 1), end=d(2026, 12, 3), kind=DayKind.CLOSED)
    services.mark_days(**args, start=d(2026, 12, 2), end=d(2026, 12, 2), kind=DayKind.HOLIDAY)
    kinds = [s.kind for s in queries.days_between(people.school, d(2026, 12, 1), d(2026, 12, 3))]
    assert kinds == [DayKind.CLOSED, DayKind.HOLIDAY, DayKind.CLOSED]
    services.clear_days(**args, start=d(2026, 12, 1), end=d(2026, 12, 3))
    assert all(
        s.is_open for s in queries.days_between(people.school, d(2026, 12, 1), d(2026, 12, 3))
    )
    assert AuditEvent.objects.filter(action__startswith="calendar.").count() == 3


@pytest.mark.parametrize(
    "start,end", [(d(2026, 12, 5), d(2026, 12, 1)), (d(2026, 1, 1), d(2026, 12, 31))]
)
def test_backwards_or_huge_ranges_are_refused(people, start, end):
    with pytest.raises(services.SchoolError):
        services.mark_days(
            by=people.librarian, school=people.school, start=start, end=end, kind=DayKind.CLOSED
        )


def test_terms_of_a_school_never_overlap(people):
    with pytest.raises(services.SchoolError, match="重叠"):
        services.save_term(
            by=people.librarian,
            school=people.school,
            year_name="2026-2027",
            number=2,
            start=d(2027, 1, 10),
            end=d(2027, 7, 1),
        )
    term = services.save_term(
        by=people.librarian,
        school=people.school,
        year_name="2026-2027",
        number=2,
        start=d(2027, 2, 22),
        end=d(2027, 7, 2),
    )
    assert queries.term_on(people.school, d(2027, 3, 1)) == term


def test_the_same_term_twice_in_a_year_is_refused(people):
    with pytest.raises(services.SchoolError):
        services.save_term(
            by=people.librarian,
            school=people.school,
            year_name="2026-2027",
            number=1,
            start=d(2027, 2, 22),
            end=d(2027, 7, 2),
        )


def test_week_of_term_counts_from_the_first_monday():
    term = Term(start=d(2026, 9, 1), end=d(2027, 1, 22))  # a Tuesday
    assert term.week_of(d(2026, 9, 1)) == 1
    assert term.week_of(d(2026, 9, 6)) == 1
    assert term.week_of(d(2026, 9, 7)) == 2
    assert term.week_of(d(2026, 11, 26)) == 13


def test_month_grid_starts_on_monday(people):
    weeks = queries.month_grid(people.school, 2026, 11)  # 1 Nov 2026 is a Sunday
    assert weeks[0][:6] == [None] * 6 and weeks[0][6].date == d(2026, 11, 1)
    assert all(len(week) == 7 for week in weeks)


def test_calendar_page_marks_days_through_the_form(client, people):
    client.force_login(people.librarian)
    response = client.post(
        reverse("schools:calendar_mark"),
        {"start": "2026-12-24", "end": "", "kind": DayKind.CLOSED, "name": "盘点"},
    )
    assert response["Location"].endswith("?month=2026-12")
    page = client.get(response["Location"]).content.decode()
    assert "盘点" in page
    assert not queries.day_status(people.school, d(2026, 12, 24)).is_open


def test_calendar_form_errors_are_shown(client, people):
    client.force_login(people.librarian)
    response = client.post(
        reverse("schools:calendar_mark"),
        {"start": "2026-12-24", "end": "2026-12-01", "kind": DayKind.CLOSED},
        follow=True,
    )
    assert "最后一天早于第一天" in response.content.decode()


def test_leader_reads_the_calendar_but_cannot_mark(client, people):
    client.force_login(people.leader)
    page = client.get(reverse("schools:calendar")).content.decode()
    assert "标记日期" not in page
    assert client.post(reverse("schools:calendar_mark"), {}).status_code == 403


def test_district_admin_creates_a_school_and_works_in_it(client, people):
    client.force_login(people.district)
    client.post(
        reverse("schools:choose"),
        {"code": "east", "name": "东街中学", "type": "junior", "address": ""},
    )
    client.post(reverse("schools:switch", args=["east"]))
    page = client.get("/").content.decode()
    assert "东街中学" in page


def test_term_form_saves_and_lists(client, people):
    client.force_login(people.librarian)
    response = client.post(
        reverse("schools:term_create"),
        {"year_name": "2026-2027", "number": 2, "start": "2027-02-22", "end": "2027-07-02"},
    )
    assert response.status_code == 302
    assert "2027-07-02" in client.get(reverse("schools:terms")).content.decode()
