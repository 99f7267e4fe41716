"""The demo schools: deterministic (seeded), built in bulk in a few seconds.

`build_demo(scale=1)` makes school `demo` (a primary school, grades 1-6,
4 x scale classes a grade, about 40 students a class, about 60 teachers) and a
small school `demo2`, so that the separation of schools can be seen. The
rows are written in bulk, as an import would, not one service call at a time.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from shuxiang.accounts.models import Role, User
from shuxiang.catalog.models import AccessionBatch, Item, Location, LocationKind
from shuxiang.demo.collection import build_collection
from shuxiang.demo.names import person_name
from shuxiang.lib.pinyin import pinyin_key
from shuxiang.patrons.models import Patron, PatronKind, SchoolClass
from shuxiang.schools.models import CalendarDay, DayKind, School, SchoolType, SchoolYear, Term

DEMO_PASSWORD = "demo12345"
DEMO_CODES = ("demo", "demo2")
SUBJECTS = ["语文", "数学", "英语", "科学", "音乐", "美术", "体育", "道德与法治", "信息技术"]
LOCATIONS = [
    ("stacks", "藏书室", LocationKind.STACKS, False, True, "#2f6b4f"),
    ("teachers", "教师资料室", LocationKind.TEACHER_ROOM, True, True, "#8a4b08"),
    ("reading", "学生阅览室", LocationKind.READING_ROOM, False, False, "#1f4e8c"),
    ("teacher-reading", "教师阅览室", LocationKind.READING_ROOM, True, False, "#6b2f6b"),
    ("corner", "班级图书角", LocationKind.CLASS_CORNER, False, True, "#b03a2e"),
    ("gallery", "开放书廊", LocationKind.OPEN_SHELVES, False, True, "#5d6b64"),
]


# Who to sign in as, printed by `shuxiang demo`: user name, what they are, school.
ACCOUNTS = [
    ("admin", "系统管理员", "demo"),
    ("district", "区县管理员", "*"),
    ("librarian", "图书管理员", "demo"),
    ("helper", "小小图书管理员", "demo"),
    ("classteacher", "班主任 三年级(2)班", "demo"),
    ("teacher", "教师", "demo"),
    ("student", "学生 三年级(2)班", "demo"),
    ("leader", "校领导", "demo"),
    ("librarian2", "图书管理员", "demo2"),
]


def _calendar(school: School) -> None:
    """Last year's second term, this year's two terms, holidays and vacations."""
    last = SchoolYear.objects.create(
        school=school,
        name="2025-2026",
        start=datetime.date(2025, 9, 1),
        end=datetime.date(2026, 8, 31),
    )
    this = SchoolYear.objects.create(
        school=school,
        name="2026-2027",
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 8, 31),
    )
    Term.objects.bulk_create(
        [
            Term(
                school=school,
                school_year=last,
                number=2,
                start=datetime.date(2026, 2, 24),
                end=datetime.date(2026, 7, 3),
            ),
            Term(
                school=school,
                school_year=this,
                number=1,
                start=datetime.date(2026, 9, 1),
                end=datetime.date(2027, 1, 22),
            ),
            Term(
                school=school,
                school_year=this,
                number=2,
                start=datetime.date(2027, 2, 22),
                end=datetime.date(2027, 7, 2),
            ),
        ]
    )
    days: list[CalendarDay] = []

    def mark(start: datetime.date, end: datetime.date, kind: str, name: str) -> None:
        day = start
        while day <= end:
            days.append(CalendarDay(school=school, date=day, kind=kind, name=name))
            day += datetime.timedelta(days=1)

    d = datetime.date
    mark(d(2026, 7, 4), d(2026, 8, 31), DayKind.VACATION, "暑假")
    mark(d(2026, 9, 25), d(2026, 9, 25), DayKind.HOLIDAY, "中秋节")
    mark(d(2026, 10, 1), d(2026, 10, 7), DayKind.HOLIDAY, "国庆节")
    mark(d(2026, 10, 10), d(2026, 10, 10), DayKind.WORKDAY, "国庆调休上班")
    mark(d(2027, 1, 1), d(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    mark(d(2027, 1, 23), d(2027, 2, 21), DayKind.VACATION, "寒假")
    CalendarDay.objects.bulk_create(days)


def _locations(school: School) -> None:
    Location.objects.bulk_create(
        Location(
            school=school,
            code=code,
            name=name,
            kind=kind,
            teachers_only=teachers_only,
            lendable=lendable,
            label_colour=colour,
        )
        for code, name, kind, teachers_only, lendable, colour in LOCATIONS
    )


def _people(
    school: School,
    rng: random.Random,
    *,
    classes_per_grade: int,
    students_per_class: int,
    teachers: int,
) -> tuple[list[SchoolClass], list[Patron]]:
    """Classes, their students and the teachers; returns (classes, teachers)."""
    staff = []
    for i in range(1, teachers + 1):
        gender = "F" if rng.random() < 0.7 else "M"
        name = person_name(rng, gender, teacher=True)
        staff.append(
            Patron(
                school=school,
                kind=PatronKind.TEACHER,
                name=name,
                name_pinyin=pinyin_key(name),
                gender=gender,
                staff_number=f"T{i:04d}",
                card_number=f"T{i:04d}",
                subject=SUBJECTS[i % len(SUBJECTS)],
            )
        )
    Patron.objects.bulk_create(staff)
    staff = list(Patron.objects.filter(school=school, kind=PatronKind.TEACHER).order_by("pk"))
    classes = [
        SchoolClass(
            school=school,
            grade=grade,
            number=number,
            class_teacher=staff[((grade - 1) * classes_per_grade + number - 1) % len(staff)],
        )
        for grade in school.grades
        for number in range(1, classes_per_grade + 1)
    ]
    SchoolClass.objects.bulk_create(classes)
    classes = list(SchoolClass.objects.filter(school=school).order_by("grade", "number"))
    entry_year = 2026  # this school year's grade 1 entered in 2026
    students = []
    for school_class in classes:
        size = students_per_class + rng.randint(-2, 2)
        for seat in range(1, size + 1):
            gender = rng.choice("MF")
            name = person_name(rng, gender)
            number = f"{entry_year - school_class.grade + 1}{school_class.number:02d}{seat:02d}"
            students.append(
                Patron(
                    school=school,
                    kind=PatronKind.STUDENT,
                    name=name,
                    name_pinyin=pinyin_key(name),
                    gender=gender,
                    student_number=number,
                    card_number=number,
                    school_class=school_class,
                )
            )
    Patron.objects.bulk_create(students, batch_size=2000)
    return classes, staff


def _users(rows: list[tuple[str, str, School | None, Patron | None, str]]) -> None:
    password = make_password(DEMO_PASSWORD)  # hashed once: the demo is built in seconds
    for username, role, school, patron, display in rows:
        user = User.objects.create(
            username=username, role=role, school=school, display_name=display, password=password
        )
        if patron is not None:
            patron.user = user
            patron.save(update_fields=["user"])


@transaction.atomic
def remove_demo() -> None:
    """Delete both demo schools and everything in them (readers before classes)."""
    schools = School.objects.filter(code__in=DEMO_CODES)
    Item.objects.filter(school__in=schools).delete()
    AccessionBatch.objects.filter(school__in=schools).delete()
    Patron.objects.filter(school__in=schools).delete()
    User.objects.filter(school__in=schools).delete()
    User.objects.filter(username="district", role=Role.DISTRICT).delete()
    schools.delete()


@transaction.atomic
def build_demo(*, scale: int = 1, seed: int = 2026) -> None:
    """Build both demo schools; the caller removes an older demo first."""
    rng = random.Random(seed)
    demo = School.objects.create(
        code="demo", name="书香实验小学", type=SchoolType.PRIMARY, address="书香路1号"
    )
    demo2 = School.objects.create(
        code="demo2", name="书香第二小学", type=SchoolType.PRIMARY, address="书香路2号"
    )
    for school in (demo, demo2):
        _calendar(school)
        _locations(school)
    classes, staff = _people(
        demo, rng, classes_per_grade=4 * scale, students_per_class=40, teachers=max(60, 30 * scale)
    )
    _classes2, staff2 = _people(demo2, rng, classes_per_grade=1, students_per_class=20, teachers=8)
    class_3_2 = next(c for c in classes if (c.grade, c.number) == (3, 2))
    helper = Patron.objects.filter(school_class__school=demo, school_class__grade=5).first()
    student = Patron.objects.filter(school_class=class_3_2).order_by("student_number").first()
    class_teachers = {c.class_teacher_id for c in classes}
    teacher = next(t for t in staff if t.pk not in class_teachers)
    rows = [
        ("admin", Role.ADMIN, demo, None, "系统管理员"),
        ("district", Role.DISTRICT, None, None, "区教育局"),
        ("librarian", Role.LIBRARIAN, demo, None, "图书管理员"),
        ("helper", Role.HELPER, demo, helper, helper.name),
        (
            "classteacher",
            Role.CLASS_TEACHER,
            demo,
            class_3_2.class_teacher,
            class_3_2.class_teacher.name,
        ),
        ("teacher", Role.TEACHER, demo, teacher, teacher.name),
        ("student", Role.STUDENT, demo, student, student.name),
        ("leader", Role.LEADER, demo, None, "校长"),
        ("librarian2", Role.LIBRARIAN, demo2, None, "二小图书管理员"),
    ]
    _users(rows)
    build_collection(demo, records=8000 * scale, seed=seed)
    build_collection(demo2, records=300, seed=seed + 1)
