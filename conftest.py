"""Shared personas for every test: one school with its people, and another school.

`people.librarian`, `people.helper`, `people.class_teacher` (of class 3-2),
`people.student` (in 3-2), `people.student2` (in 4-1), `people.teacher`,
`people.graduate`, `people.leader`, `people.admin`, `people.district`, and
`people.other_librarian` of `people.other_school`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from shuxiang.accounts.models import Role, User
from shuxiang.catalog.models import Item, Location, LocationKind, Record
from shuxiang.lib.pinyin import pinyin_key
from shuxiang.patrons.models import Patron, PatronKind, PatronStatus, SchoolClass
from shuxiang.schools.models import School, SchoolYear, Term

PASSWORD = "s3cret-pass"


@dataclass
class People:
    school: School
    other_school: School
    class_3_2: SchoolClass
    class_4_1: SchoolClass
    other_class: SchoolClass
    admin: User
    librarian: User
    helper: User
    class_teacher: User
    teacher: User
    student: User
    student2: User
    graduate: User
    leader: User
    district: User
    other_librarian: User
    location: Location
    other_location: Location
    record: Record
    item: Item
    other_item: Item

    def by_role(self, role: str) -> User:
        return {
            Role.ADMIN: self.admin,
            Role.LIBRARIAN: self.librarian,
            Role.HELPER: self.helper,
            Role.CLASS_TEACHER: self.class_teacher,
            Role.TEACHER: self.teacher,
            Role.STUDENT: self.student,
            Role.LEADER: self.leader,
            Role.DISTRICT: self.district,
        }[role]


def make_user(
    username: str,
    role: str,
    school: School | None,
    patron: Patron | None = None,
) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, school=school, display_name=username
    )
    if patron is not None:
        patron.user = user
        patron.save(update_fields=["user"])
    return user


def make_patron(
    school: School,
    name: str,
    *,
    kind: str = PatronKind.STUDENT,
    school_class: SchoolClass | None = None,
    number: str = "",
    status: str = PatronStatus.ACTIVE,
) -> Patron:
    return Patron.objects.create(
        school=school,
        kind=kind,
        name=name,
        name_pinyin=pinyin_key(name),
        school_class=school_class,
        status=status,
        card_number=number,
        student_number=number if kind == PatronKind.STUDENT else "",
        staff_number=number if kind == PatronKind.TEACHER else "",
    )


def make_term(school: School) -> Term:
    year = SchoolYear.objects.create(
        school=school,
        name="2026-2027",
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 8, 31),
    )
    return Term.objects.create(
        school=school,
        school_year=year,
        number=1,
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 1, 22),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db) -> People:
    school = School.objects.create(code="north", name="北街小学")
    other = School.objects.create(code="south", name="南街小学")
    make_term(school)
    make_term(other)
    class_teacher_patron = make_patron(school, "王老师", kind=PatronKind.TEACHER, number="T01")
    teacher_patron = make_patron(school, "李老师", kind=PatronKind.TEACHER, number="T02")
    class_3_2 = SchoolClass.objects.create(
        school=school, grade=3, number=2, class_teacher=class_teacher_patron
    )
    class_4_1 = SchoolClass.objects.create(school=school, grade=4, number=1)
    other_class = SchoolClass.objects.create(school=other, grade=3, number=2)
    student = make_patron(school, "张小明", school_class=class_3_2, number="20240201")
    student2 = make_patron(school, "刘小红", school_class=class_4_1, number="20230101")
    helper = make_patron(school, "陈小帮", school_class=class_4_1, number="20230102")
    graduate = make_patron(school, "赵毕业", number="20200101", status=PatronStatus.GRADUATED)
    make_patron(other, "孙南南", school_class=other_class, number="20249901")
    location = Location.objects.create(
        school=school, code="stacks", name="藏书室", kind=LocationKind.STACKS
    )
    other_location = Location.objects.create(
        school=other, code="stacks", name="藏书室", kind=LocationKind.STACKS
    )
    record = Record.objects.create(
        title="西游记",
        class_number="I242.4",
        first_author="吴承恩",
        authors=[{"name": "吴承恩", "role": "著"}],
    )
    item = Item.objects.create(
        school=school,
        record=record,
        barcode="N0001",
        accession_number="0000001",
        call_number="I242.4/1",
        location=location,
    )
    other_item = Item.objects.create(
        school=other,
        record=record,
        barcode="S0001",
        accession_number="0000001",
        call_number="I242.4/7",
        location=other_location,
    )
    return People(
        school=school,
        other_school=other,
        class_3_2=class_3_2,
        class_4_1=class_4_1,
        other_class=other_class,
        admin=make_user("admin", Role.ADMIN, school),
        librarian=make_user("librarian", Role.LIBRARIAN, school),
        helper=make_user("helper", Role.HELPER, school, helper),
        class_teacher=make_user("classteacher", Role.CLASS_TEACHER, school, class_teacher_patron),
        teacher=make_user("teacher", Role.TEACHER, school, teacher_patron),
        student=make_user("student", Role.STUDENT, school, student),
        student2=make_user("student2", Role.STUDENT, school, student2),
        graduate=make_user("graduate", Role.STUDENT, school, graduate),
        leader=make_user("leader", Role.LEADER, school),
        district=make_user("district", Role.DISTRICT, None),
        other_librarian=make_user("librarian_south", Role.LIBRARIAN, other),
        location=location,
        other_location=other_location,
        record=record,
        item=item,
        other_item=other_item,
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (never `playwright install`).

    Missing Chromium skips browser tests on a developer's machine and fails
    them in CI, where .ci/run installs it.
    """
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the live
    # server's database calls from the test thread are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh 1366x768 browser tab (the school PC) and a way to sign in."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def sign_in_browser(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
