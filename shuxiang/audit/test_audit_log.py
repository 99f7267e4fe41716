"""The audit log: recorded by services, browsed and filtered by administrators."""

from __future__ import annotations

import datetime

from django.urls import reverse

from shuxiang.audit.services import record
from shuxiang.schools import services as school_services
from shuxiang.schools.models import DayKind


def test_a_service_records_actor_object_school_and_details(people):
    school_services.mark_days(
        by=people.librarian,
        school=people.school,
        start=datetime.date(2026, 12, 1),
        end=datetime.date(2026, 12, 1),
        kind=DayKind.CLOSED,
    )
    event = people.school.audit_events.get(action="calendar.mark")
    assert event.actor_name == "librarian"
    assert event.object_type == "schools.school"
    assert event.details["start"] == "2026-12-01"


def test_admin_filters_by_action_and_person(client, people):
    record("user.create", actor=people.admin, obj=people.teacher)
    record("auth.login", actor=people.librarian, obj=people.librarian)
    client.force_login(people.admin)
    page = client.get(reverse("audit:events"), {"action": "user."}).content.decode()
    assert "<td>user.create</td>" in page and "<td>auth.login</td>" not in page
    page = client.get(reverse("audit:events"), {"actor": "librar"}).content.decode()
    assert "<td>auth.login</td>" in page and "<td>user.create</td>" not in page


def test_admin_never_sees_another_schools_events(client, people):
    record("auth.login", actor=people.other_librarian, obj=people.other_librarian)
    client.force_login(people.admin)
    page = client.get(reverse("audit:events")).content.decode()
    assert "librarian_south" not in page


def test_the_log_keeps_the_name_after_the_user_is_deleted(people):
    event = record("auth.login", actor=people.teacher, obj=people.teacher)
    people.teacher.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_name == "teacher"


def test_details_with_any_keys_are_shown(client, people):
    record(
        "catalog.import",
        actor=people.librarian,
        obj=people.school,
        details={"records": 11, "items": 113},
    )
    client.force_login(people.admin)
    page = client.get(reverse("audit:events")).content.decode()
    assert "items=113; records=11" in page  # by key: PostgreSQL's JSON keeps no order
