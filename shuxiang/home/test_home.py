"""Each role's home page shows what that person needs, and only that."""

from __future__ import annotations

import datetime

from django.utils import timezone

from shuxiang.home.queries import today_figures
from shuxiang.schools import services
from shuxiang.schools.models import DayKind


def test_dashboard_figures_count_the_school_only(people):
    figures = today_figures(people.school, datetime.date(2026, 11, 26))
    assert figures["readers"] == {"students": 3, "teachers": 2, "classes": 2}
    assert figures["copies"] == 1  # 西游记 here; the other school's copy is not counted
    assert figures["week"] == 13
    assert figures["status"].is_open
    assert figures["open_days_this_week"] == 5


def test_dashboard_says_why_the_library_is_closed_today(client, people):
    today = timezone.localdate()
    services.mark_days(
        by=people.librarian,
        school=people.school,
        start=today,
        end=today,
        kind=DayKind.CLOSED,
        name="图书盘点",
    )
    client.force_login(people.librarian)
    page = client.get("/").content.decode()
    assert "闭馆" in page and "图书盘点" in page


def test_librarian_dashboard_links_to_every_area_they_may_use(client, people):
    client.force_login(people.librarian)
    page = client.get("/").content.decode()
    for url in ("/readers/classes/", "/schools/terms/", "/schools/calendar/"):
        assert f'href="{url}"' in page
    assert 'href="/audit/"' not in page  # administrators only


def test_class_teacher_sees_own_class_not_others(client, people):
    client.force_login(people.class_teacher)
    page = client.get("/").content.decode()
    assert "三年级(2)班" in page and "张小明" in page
    assert "刘小红" not in page


def test_class_teacher_gets_404_for_another_class(client, people):
    client.force_login(people.class_teacher)
    assert client.get(f"/readers/classes/{people.class_4_1.pk}/").status_code == 404
    assert client.get(f"/readers/classes/{people.class_3_2.pk}/").status_code == 200


def test_student_sees_own_card_and_class_only(client, people):
    client.force_login(people.student)
    page = client.get("/").content.decode()
    assert "20240201" in page and "三年级(2)班" in page
    assert "刘小红" not in page and "20230101" not in page


def test_helper_page_is_the_desk_greeting(client, people):
    client.force_login(people.helper)
    page = client.get("/").content.decode()
    assert "谢谢你在借还台帮忙" in page
    assert "/readers/classes/" not in page


def test_district_admin_without_a_school_chooses_one(client, people):
    client.force_login(people.district)
    response = client.get("/")
    assert response["Location"] == "/schools/"
