"""Roster import (登记发证): readers created or updated from a school's list, all or nothing."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from shuxiang.audit.models import AuditEvent
from shuxiang.patrons import services
from shuxiang.patrons.models import CardRule, LostCard, Patron, PatronStatus, SchoolClass
from shuxiang.patrons.queries import patron_by_card, search_patrons
from shuxiang.patrons.roster import RosterRow, read_roster
from shuxiang.patrons.roster_views import SESSION_ROSTERS

HEADER = ["姓名", "性别", "学号", "班级", "班主任"]
TEACHER_HEADER = ["工号", "教师姓名", "性别", "任教学科"]


def student(
    row: int,
    name: str,
    number: str,
    grade: int | None = 3,
    class_number: int | None = 2,
    **fields: Any,
) -> RosterRow:
    values: dict[str, Any] = dict(
        row=row,
        kind="student",
        name=name,
        gender="",
        student_number=number,
        registry_number="",
        grade=grade,
        class_number=class_number,
        class_teacher="",
        staff_number="",
        subject="",
        card_number="",
    )
    values.update(fields)
    return RosterRow(**values)


def teacher(row: int, name: str, number: str, subject: str = "", **fields: Any) -> RosterRow:
    values: dict[str, Any] = dict(
        row=row,
        kind="teacher",
        name=name,
        gender="",
        student_number="",
        registry_number="",
        grade=None,
        class_number=None,
        class_teacher="",
        staff_number=number,
        subject=subject,
        card_number="",
    )
    values.update(fields)
    return RosterRow(**values)


def run(people, rows: list[RosterRow], **options: Any) -> services.RosterResult:
    options.setdefault("create_classes", True)
    return services.import_roster(people.school, rows, by=people.librarian, **options)


def xlsx(tmp_path: Path, rows: list[list[Any]], name: str = "名单.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def stored() -> tuple[int, int, int]:
    return Patron.objects.count(), SchoolClass.objects.count(), AuditEvent.objects.count()


def reader(number: str) -> Patron:
    return Patron.objects.get(student_number=number)


# ---------------------------------------------------------------- the service


def test_import_creates_students_with_their_classes_and_cards(people):
    result = run(
        people,
        [
            student(2, "王小丫", "20240215", gender="F"),
            student(3, "李大壮", "20220101", grade=5, class_number=1),
            student(4, "赵小虎", "20220102", grade=5, class_number=1),
        ],
    )

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.errors == []
    assert result.classes_created == ["五年级(1)班"]
    fifth = SchoolClass.objects.get(school=people.school, grade=5, number=1)
    assert [p.name for p in fifth.students.order_by("student_number")] == ["李大壮", "赵小虎"]
    xiaoya = reader("20240215")
    assert (xiaoya.school_class, xiaoya.gender) == (people.class_3_2, "F")
    assert xiaoya.card_number == "20240215"
    assert xiaoya.card_issued_on is not None
    assert search_patrons(people.school, "wxy") == [xiaoya]
    event = AuditEvent.objects.get(action="patrons.import")
    assert event.details == {"created": 3, "updated": 0, "classes": ["五年级(1)班"]}


def test_import_numbers_new_cards_by_the_sequence_rule(people):
    services.change_card_settings(
        people.school, by=None, rule=CardRule.SEQUENCE, prefix="D", digits=4
    )

    run(people, [student(2, "王小丫", "20240215"), student(3, "李大壮", "20240216")])

    assert [reader(n).card_number for n in ("20240215", "20240216")] == ["D0001", "D0002"]
    nxt = services.register_patron(
        by=None,
        school=people.school,
        data=services.PatronData(kind="student", name="新生", student_number="20240217"),
    )
    assert nxt.card_number == "D0003"


def test_reimport_updates_the_same_readers_and_keeps_their_cards(people):
    run(people, [student(2, "王小丫", "20240215"), student(3, "李大壮", "20240216")])
    first = {p.student_number: (p.pk, p.card_number) for p in Patron.objects.all()}
    xiaoming = Patron.objects.get(user=people.student)
    services.reissue_card(xiaoming, by=people.librarian)  # now 20240201-2

    result = run(
        people,
        [
            student(2, "王晓雅", "20240215"),  # name corrected
            student(3, "李大壮", "20240216"),  # unchanged
            student(4, "张小明", "20240201", grade=4, class_number=1, card_number="99999"),
        ],
    )

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    after = {p.student_number: (p.pk, p.card_number) for p in Patron.objects.all()}
    assert after == first | {"20240201": (xiaoming.pk, "20240201-2")}
    assert reader("20240215").name == "王晓雅"
    assert search_patrons(people.school, "wxy") == [reader("20240215")]
    assert reader("20240201").school_class == people.class_4_1


def test_reimport_matches_students_by_registry_number_when_there_is_no_student_number(people):
    run(people, [student(2, "王小丫", "", registry_number="G1101")])
    pk = Patron.objects.get(registry_number="G1101").pk

    result = run(people, [student(2, "王晓雅", "", registry_number="G1101")])

    assert (result.created, result.updated) == (0, 1)
    assert Patron.objects.get(registry_number="G1101").pk == pk


def test_a_roster_without_classes_updates_the_students_and_keeps_their_classes(people, tmp_path):
    parsed = read_roster(
        xlsx(tmp_path, [["姓名", "学号"], ["张晓明", "20240201"]]),
        school_grades=people.school.grades,
    )
    assert parsed.errors == []

    result = run(people, parsed.rows)

    assert result.updated == 1
    xiaoming = reader("20240201")
    assert (xiaoming.name, xiaoming.school_class) == ("张晓明", people.class_3_2)


def test_a_row_with_a_grade_but_no_class_keeps_the_students_class(people):
    result = run(people, [student(2, "张晓明", "20240201", grade=3, class_number=None)])

    assert (result.updated, result.classes_created) == (1, [])
    assert reader("20240201").school_class == people.class_3_2


def test_teachers_are_matched_by_staff_number(people):
    wang = Patron.objects.get(staff_number="T01")

    result = run(people, [teacher(2, "王老师", "T01", "语文"), teacher(3, "周老师", "T09", "数学")])

    assert (result.created, result.updated) == (1, 1)
    wang.refresh_from_db()
    assert wang.subject == "语文"
    assert wang.classes_taught.get() == people.class_3_2
    zhou = Patron.objects.get(staff_number="T09")
    assert (zhou.kind, zhou.card_number, zhou.school_class) == ("teacher", "T09", None)


def test_a_class_teacher_named_in_the_roster_is_linked_to_the_class(people):
    result = run(
        people,
        [
            student(2, "王小丫", "20240215", grade=5, class_number=3, class_teacher="李老师"),
            student(3, "李大壮", "20240216", grade=5, class_number=3, class_teacher="李老师"),
        ],
    )

    assert result.class_teachers == 1
    assert result.warnings == []
    fifth = SchoolClass.objects.get(school=people.school, grade=5, number=3)
    assert fifth.class_teacher == Patron.objects.get(staff_number="T02")


def test_a_class_teacher_in_the_same_roster_is_linked(people):
    result = run(
        people,
        [
            teacher(2, "周老师", "T09", "数学"),
            student(3, "王小丫", "20240215", grade=5, class_number=3, class_teacher="周老师"),
        ],
    )

    assert result.warnings == []
    fifth = SchoolClass.objects.get(school=people.school, grade=5, number=3)
    assert fifth.class_teacher.staff_number == "T09"


def test_an_unknown_or_ambiguous_class_teacher_is_a_warning_and_the_class_keeps_its_own(
    people,
):
    for number in ("T10", "T11"):
        services.register_patron(
            by=None,
            school=people.school,
            data=services.PatronData(kind="teacher", name="周老师", staff_number=number),
        )

    result = run(
        people,
        [
            student(2, "张小明", "20240201", class_teacher="钱老师"),
            student(3, "刘小红", "20230101", grade=4, class_number=1, class_teacher="周老师"),
        ],
    )

    assert result.errors == []
    assert len(result.warnings) == 2
    assert "第 2 行" in result.warnings[0] and "钱老师" in result.warnings[0]
    assert "第 3 行" in result.warnings[1] and "周老师" in result.warnings[1]
    people.class_3_2.refresh_from_db()
    people.class_4_1.refresh_from_db()
    assert people.class_3_2.class_teacher.name == "王老师"
    assert people.class_4_1.class_teacher is None
    assert result.updated == 0  # the warnings did not stop the import
    assert AuditEvent.objects.filter(action="patrons.import").exists()


def test_an_unknown_class_is_refused_when_classes_are_not_created(people):
    before = stored()

    result = run(
        people,
        [student(2, "王小丫", "20240215"), student(3, "李大壮", "20240216", class_number=5)],
        create_classes=False,
    )

    assert len(result.errors) == 1
    assert "第 3 行" in result.errors[0]
    assert "三年级(5)班" in result.errors[0]
    assert stored() == before


def test_any_error_stores_nothing_of_the_roster(people):
    before = stored()

    result = run(
        people,
        [
            student(2, "王小丫", "20240215", grade=5, class_number=3),  # a new class
            student(3, "张晓明", "20240201"),  # an update
            student(4, "李大壮", "20240216", card_number="20230101"),  # 刘小红's card
        ],
    )

    assert len(result.errors) == 1
    assert "第 4 行" in result.errors[0] and "20230101" in result.errors[0]
    assert stored() == before
    assert reader("20240201").name == "张小明"
    assert not SchoolClass.objects.filter(grade=5, number=3).exists()


def test_a_lost_card_number_in_the_file_is_an_error(people):
    services.reissue_card(Patron.objects.get(user=people.student), by=people.librarian)
    before = stored()

    result = run(people, [student(2, "王小丫", "20240215", card_number="20240201")])

    assert "20240201" in result.errors[0]
    assert stored() == before


def test_a_card_number_from_the_file_is_kept(people):
    run(people, [student(2, "王小丫", "20240215", card_number="K0042")])

    assert patron_by_card(people.school, "K0042") == reader("20240215")


def test_a_dry_run_stores_nothing_and_says_what_would_happen(people):
    before = stored()

    result = run(
        people,
        [
            student(2, "王小丫", "20240215", grade=5, class_number=3),
            student(3, "张晓明", "20240201"),
        ],
        dry_run=True,
    )

    assert (result.created, result.updated, result.classes_created) == (1, 1, ["五年级(3)班"])
    assert stored() == before
    assert reader("20240201").name == "张小明"


def test_an_import_never_deletes_a_reader(people):
    xiaohong = reader("20230101")

    result = run(people, [student(2, "张小明", "20240201")])

    assert result.unchanged == 1
    xiaohong.refresh_from_db()
    assert (xiaohong.status, xiaohong.card_number) == (PatronStatus.ACTIVE, "20230101")
    assert xiaohong.school_class == people.class_4_1
    assert patron_by_card(people.school, "20230101") == xiaohong


def test_another_schools_readers_are_neither_matched_nor_touched(people):
    south = Patron.objects.get(name="孙南南")

    result = run(people, [student(2, "孙北北", "20249901")])

    assert result.created == 1
    south.refresh_from_db()
    assert south.name == "孙南南"
    assert reader_in(people.school, "20249901").card_number == "20249901"


def reader_in(school, number: str) -> Patron:
    return Patron.objects.get(school=school, student_number=number)


def test_a_roster_of_3000_students_imports_in_seconds(people):
    rows = [
        student(i + 2, f"学生{i}", f"2025{i:05d}", grade=1 + i % 6, class_number=1 + i // 6 % 10)
        for i in range(3000)
    ]

    started = time.perf_counter()
    result = run(people, rows)
    elapsed = time.perf_counter() - started

    assert result.errors == []
    assert result.created == 3000
    assert Patron.objects.filter(student_number__startswith="2025").count() == 3000
    # The issue asks for < 5 s; this is loose for slow CI machines (bench/ has the figure).
    assert elapsed < 15


# ---------------------------------------------------------------- the pages


@pytest.fixture
def librarian(client, people, settings, tmp_path):
    settings.SHUXIANG_HOME = tmp_path / "home"
    client.force_login(people.librarian)
    return client


def upload(client, path: Path, **data: Any):
    with path.open("rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post("/readers/roster/", {"file": file, "create_classes": "on", **data})


GOOD = [
    HEADER,
    ["王小丫", "女", "20240215", "三年级(2)班", "王老师"],
    ["李大壮", "男", "20220101", "五年级(1)班", ""],
]


def test_roster_page_previews_then_imports_with_the_roster_token(librarian, people, tmp_path):
    before = stored()

    preview = upload(librarian, xlsx(tmp_path, GOOD))

    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.created, result.updated, result.classes_created) == (2, 0, ["五年级(1)班"])
    assert stored() == before
    token = preview.context["roster_token"]
    assert f'value="{token}"' in preview.text

    done = librarian.post(
        "/readers/roster/", {"roster_token": token, "create_classes": "on", "confirm": "1"}
    )

    assert done.status_code == 302
    assert done["Location"] == "/readers/classes/"
    assert reader("20240215").school_class == people.class_3_2
    assert reader("20220101").school_class.grade == 5
    assert AuditEvent.objects.filter(action="patrons.import", actor=people.librarian).exists()


def test_an_imported_upload_is_removed_and_its_token_no_longer_works(librarian, tmp_path):
    token = upload(librarian, xlsx(tmp_path, GOOD)).context["roster_token"]
    path = Path(librarian.session[SESSION_ROSTERS][token])
    assert path.is_file()

    done = librarian.post(
        "/readers/roster/", {"roster_token": token, "create_classes": "on", "confirm": "1"}
    )

    assert done.status_code == 302
    assert not path.exists()
    again = librarian.post("/readers/roster/", {"roster_token": token, "confirm": "1"})
    assert again.status_code == 200
    assert "result" not in again.context


def test_roster_page_without_create_classes_refuses_an_unknown_class(librarian, tmp_path):
    before = stored()
    token = upload(librarian, xlsx(tmp_path, GOOD)).context["roster_token"]

    response = librarian.post("/readers/roster/", {"roster_token": token, "confirm": "1"})

    assert response.status_code == 200
    assert any("第 3 行" in e for e in response.context["result"].errors)
    assert stored() == before


def test_roster_page_lists_bad_rows_with_their_numbers_and_offers_no_import(
    librarian, people, tmp_path
):
    rows = [
        *GOOD,
        ["", "男", "20220102", "五年级(1)班", ""],
        ["赵小虎", "男", "20220101", "5-1", ""],
    ]
    before = stored()

    response = upload(librarian, xlsx(tmp_path, rows))

    errors = [str(e) for e in response.context["parsed"].errors]
    assert any(e.startswith("第 4 行") for e in errors)
    assert any(e.startswith("第 5 行") and "20220101" in e for e in errors)
    assert "第 4 行" in response.text
    assert 'name="confirm"' not in response.text
    assert stored() == before


def test_a_forced_confirm_of_a_roster_with_bad_rows_imports_nothing(librarian, tmp_path):
    rows = [*GOOD, ["", "男", "20220102", "五年级(1)班", ""]]
    token = upload(librarian, xlsx(tmp_path, rows)).context["roster_token"]
    before = stored()

    response = librarian.post(
        "/readers/roster/", {"roster_token": token, "create_classes": "on", "confirm": "1"}
    )

    assert response.status_code == 200
    assert stored() == before
    assert not Patron.objects.filter(student_number="20240215").exists()


def test_a_file_that_is_not_excel_is_refused_on_the_form(librarian, tmp_path):
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,学号\n王小丫,20240215\n", encoding="utf-8")
    before = stored()

    response = upload(librarian, path)

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert "result" not in response.context
    assert stored() == before


@pytest.mark.parametrize("role", ["helper", "class_teacher", "leader", "teacher"])
def test_roster_import_is_for_library_staff_only(client, people, role):
    client.force_login(people.by_role(role))

    assert client.get("/readers/roster/").status_code == 403


# ---------------------------------------------------------------- the command


def import_roster(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_roster_command_imports_a_file(people, tmp_path):
    out, _err = import_roster(str(xlsx(tmp_path, GOOD)), "--school", "north")

    assert "2 readers read: 2 created, 0 updated, 0 unchanged" in out
    assert "五年级(1)班" in out
    assert reader("20240215").card_number == "20240215"
    assert LostCard.objects.count() == 0


def test_import_roster_command_dry_run_stores_nothing(people, tmp_path):
    before = stored()

    out, _err = import_roster(str(xlsx(tmp_path, GOOD)), "--school", "north", "--dry-run")

    assert "2 would be created" in out
    assert "nothing was stored" in out
    assert stored() == before


def test_import_roster_command_prints_teachers_and_warnings(people, tmp_path):
    rows = [HEADER, ["王小丫", "女", "20240215", "三年级(2)班", "钱老师"]]

    out, _err = import_roster(str(xlsx(tmp_path, rows)), "--school", "north")

    assert "warning: 第 2 行，班主任：钱老师" in out


def test_import_roster_command_fails_on_bad_rows_and_imports_nothing(people, tmp_path):
    rows = [*GOOD, ["", "男", "20220102", "五年级(1)班", ""]]
    before = stored()
    err = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_roster", str(xlsx(tmp_path, rows)), "--school", "north", stderr=err)

    assert "第 4 行" in err.getvalue()
    assert stored() == before


def test_import_roster_command_refuses_unknown_classes_with_no_create_classes(people, tmp_path):
    err = io.StringIO()
    before = stored()

    with pytest.raises(CommandError):
        call_command(
            "import_roster",
            str(xlsx(tmp_path, GOOD)),
            "--school",
            "north",
            "--no-create-classes",
            stderr=err,
        )

    assert "五年级(1)班" in err.getvalue()
    assert stored() == before


def test_import_roster_command_refuses_a_file_that_is_not_excel(people, tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("姓名,学号\n王小丫,20240215\n", encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was imported"):
        import_roster(str(path), "--school", "north")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["missing.xlsx", "--school", "north"], "no such file"), ([None, "--school", "x"], "x")],
)
def test_import_roster_command_refuses_a_missing_file_or_school(people, tmp_path, args, message):
    args = [a if a is not None else str(xlsx(tmp_path, GOOD)) for a in args]

    with pytest.raises(CommandError, match=message):
        import_roster(*args)


def test_import_roster_command_imports_a_teacher_roster(people, tmp_path):
    rows = [TEACHER_HEADER, ["T01", "王老师", "女", "语文"], ["T09", "周老师", "男", "数学"]]

    out, _err = import_roster(str(xlsx(tmp_path, rows)), "--school", "north")

    assert "1 created, 1 updated" in out
    assert Patron.objects.get(staff_number="T09").card_number == "T09"


def test_a_reader_registered_by_registry_number_gets_the_student_number_later(people):
    run(people, [student(2, "王芳", "", registry_number="G110101201601011234")])
    first = Patron.objects.get(registry_number="G110101201601011234")

    result = run(people, [student(2, "王芳", "20260301", registry_number="G110101201601011234")])

    assert (result.created, result.updated) == (0, 1)
    first.refresh_from_db()
    assert first.student_number == "20260301"
    assert Patron.objects.filter(name="王芳").count() == 1


def test_a_matched_reader_without_a_card_is_given_one(people):
    patron = people.student2.patron
    Patron.objects.filter(pk=patron.pk).update(card_number="")

    run(people, [student(2, patron.name, patron.student_number, grade=4, class_number=1)])

    patron.refresh_from_db()
    assert patron.card_number == patron.student_number
    assert patron_by_card(people.school, patron.card_number) == patron
