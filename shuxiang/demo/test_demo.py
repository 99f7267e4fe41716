"""The demo: both schools, the accounts, deterministic, rebuilt on request."""

from __future__ import annotations

import datetime
from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from shuxiang.accounts.models import Role, User
from shuxiang.catalog.models import Location
from shuxiang.demo.build import DEMO_PASSWORD, build_demo, remove_demo
from shuxiang.patrons.models import Patron, PatronKind, SchoolClass
from shuxiang.schools import queries
from shuxiang.schools.models import School


def test_demo_school_has_the_promised_shape(db):
    build_demo()
    demo = School.objects.get(code="demo")
    classes = SchoolClass.objects.filter(school=demo)
    assert classes.count() == 24
    students = Patron.objects.filter(school=demo, kind=PatronKind.STUDENT)
    assert 38 * 24 <= students.count() <= 42 * 24
    assert Patron.objects.filter(school=demo, kind=PatronKind.TEACHER).count() == 60
    assert all(c.class_teacher_id for c in classes)
    assert set(Location.objects.filter(school=demo).values_list("name", flat=True)) == {
        "藏书室",
        "教师资料室",
        "学生阅览室",
        "教师阅览室",
        "班级图书角",
        "开放书廊",
    }
    assert queries.term_on(demo, datetime.date(2026, 11, 26)) is not None
    assert all(p.name_pinyin for p in students[:50])
    assert School.objects.get(code="demo2").patrons.count() < students.count() // 5


def test_demo_accounts_sign_in_with_the_demo_password(db):
    build_demo()
    expected = {
        "admin": Role.ADMIN,
        "district": Role.DISTRICT,
        "librarian": Role.LIBRARIAN,
        "helper": Role.HELPER,
        "classteacher": Role.CLASS_TEACHER,
        "teacher": Role.TEACHER,
        "student": Role.STUDENT,
        "leader": Role.LEADER,
        "librarian2": Role.LIBRARIAN,
    }
    for username, role in expected.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None and user.role == role, username
    classteacher = User.objects.get(username="classteacher")
    assert str(classteacher.patron.classes_taught.get()) == "三年级(2)班"
    assert str(User.objects.get(username="student").patron.school_class) == "三年级(2)班"
    assert User.objects.get(username="librarian2").school.code == "demo2"


def test_demo_is_deterministic(db):
    build_demo()
    first = list(
        Patron.objects.order_by("school__code", "student_number", "staff_number").values_list(
            "name", "student_number"
        )
    )
    remove_demo()
    build_demo()
    again = list(
        Patron.objects.order_by("school__code", "student_number", "staff_number").values_list(
            "name", "student_number"
        )
    )
    assert first == again


def test_demo_command_skips_an_existing_demo_and_rebuilds_on_request(db):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=out)
    assert "already built" in out.getvalue()
    call_command("demo", "--rebuild", stdout=out)
    assert School.objects.filter(code="demo").count() == 1
    assert User.objects.filter(username="district").count() == 1


def test_scale_grows_the_demo(db):
    build_demo(scale=2)
    assert SchoolClass.objects.filter(school__code="demo").count() == 48
