"""A school roster (学生/教师名单) becomes checked reader rows, or row errors saying what to fix."""

from __future__ import annotations

import datetime
import re
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shuxiang.lib.xlsx import XlsxError, find_header
from shuxiang.patrons.roster import (
    COLUMNS,
    Gender,
    Roster,
    RosterRow,
    RowError,
    parse_class,
    parse_gender,
    parse_grade,
    read_roster,
)

HEADER = ["姓名", "性别", "学号", "学籍号", "班级", "班主任"]
XIAOMING = ["张小明", "男", "20240201", "G110101201601011234", "三年级(2)班", "王老师"]
XIAOHONG = ["刘小红", "女", "20230101", "G110101201501011234", "四年级(1)班", ""]
TEACHER_HEADER = ["工号", "教师姓名", "性别", "任教学科"]
WANG = ["T01", "王老师", "女", "语文"]
LI = ["T02", "李老师", "男", "数学"]


def make_xlsx(path: Path, rows: list[list[Any]], *, merges: tuple[str, ...] = ()) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    for ref in merges:
        sheet.merge_cells(ref)
    workbook.save(path)
    return path


def read(tmp_path: Path, rows: list[list[Any]], **kwargs: Any) -> Roster:
    merges = kwargs.pop("merges", ())
    return read_roster(make_xlsx(tmp_path / "名单.xlsx", rows, merges=merges), **kwargs)


def student(**cells: Any) -> list[Any]:
    """张小明's row with some cells (by header name) replaced."""
    row = list(XIAOMING)
    for name, value in cells.items():
        row[HEADER.index(name)] = value
    return row


def messages(result: Roster) -> list[str]:
    return [str(e) for e in result.errors]


def student_row(row: int = 2, **fields: Any) -> RosterRow:
    values: dict[str, Any] = dict(
        row=row,
        kind="student",
        name="张小明",
        gender="M",
        student_number="20240201",
        registry_number="G110101201601011234",
        grade=3,
        class_number=2,
        class_teacher="王老师",
        staff_number="",
        subject="",
        card_number="",
    )
    values.update(fields)
    return RosterRow(**values)


def teacher_row(row: int, name: str, gender: Gender, staff_number: str, subject: str) -> RosterRow:
    return RosterRow(
        row=row,
        kind="teacher",
        name=name,
        gender=gender,
        student_number="",
        registry_number="",
        grade=None,
        class_number=None,
        class_teacher="",
        staff_number=staff_number,
        subject=subject,
        card_number="",
    )


# Whole rosters as schools send them


def test_reads_a_student_roster_below_a_title_row(tmp_path: Path) -> None:
    rows = [["北街小学2026学年学生名单"], HEADER, XIAOMING, XIAOHONG]
    result = read(tmp_path, rows, merges=("A1:F1",))
    assert result.errors == []
    assert result.rows == [
        student_row(3),
        student_row(
            4,
            name="刘小红",
            gender="F",
            student_number="20230101",
            registry_number="G110101201501011234",
            grade=4,
            class_number=1,
            class_teacher="",
        ),
    ]
    assert result.header is not None and result.header.row == 2


def test_reads_a_teacher_roster(tmp_path: Path) -> None:
    result = read(tmp_path, [TEACHER_HEADER, WANG, LI])
    assert result.errors == []
    assert result.rows == [
        teacher_row(2, "王老师", "F", "T01", "语文"),
        teacher_row(3, "李老师", "M", "T02", "数学"),
    ]


def test_reads_a_registry_export_with_grade_and_class_columns(tmp_path: Path) -> None:
    header = ["序号", "全国学籍号", "学籍辅号", "学生姓名", "性别", "年级", "班级名称", "借书证号"]
    rows = [
        header,
        [1, "G110101201601011234", "L0001", "张小明", 1, "三年级", "2班", "n0001"],
        [2, None, "L0002", "刘小红", 2, "4", "1", None],
    ]
    result = read(tmp_path, rows)
    assert result.errors == []
    first, second = result.rows
    assert first == student_row(student_number="", class_teacher="", card_number="N0001")
    # 学籍辅号 stands in for a blank 学籍号
    assert (second.registry_number, second.gender, second.grade, second.class_number) == (
        "L0002",
        "F",
        4,
        1,
    )


def test_a_mixed_roster_takes_each_rows_kind_from_the_identity_column(tmp_path: Path) -> None:
    header = ["身份", "姓名", "学号", "工号", "班级", "学科"]
    rows = [
        header,
        ["学生", "张小明", "20240201", None, "3-2", None],
        ["教师", "王老师", None, "T01", None, "语文"],
        ["教职工", "赵会计", None, "T09", None, "财务室"],
    ]
    result = read(tmp_path, rows)
    assert result.errors == []
    assert [(r.kind, r.name, r.grade, r.class_number) for r in result.rows] == [
        ("student", "张小明", 3, 2),
        ("teacher", "王老师", None, None),
        ("teacher", "赵会计", None, None),
    ]
    assert (result.rows[1].staff_number, result.rows[1].subject) == ("T01", "语文")


def test_student_rows_drop_staff_fields_and_teacher_rows_drop_student_fields(
    tmp_path: Path,
) -> None:
    header = ["身份", "姓名", "学号", "学籍号", "工号", "班级", "班主任", "学科"]
    rows = [
        header,
        ["学生", "张小明", "20240201", "G1", "T77", "3-2", "王老师", "语文"],
        ["教师", "王老师", "20249999", "G2", "T01", "3-2", "王老师", "语文"],
    ]
    pupil, teacher = read(tmp_path, rows).rows
    assert (pupil.staff_number, pupil.subject, pupil.class_teacher) == ("", "", "王老师")
    assert (teacher.student_number, teacher.registry_number) == ("", "")
    assert (teacher.grade, teacher.class_number, teacher.class_teacher) == (None, None, "")
    assert (teacher.staff_number, teacher.subject) == ("T01", "语文")


def test_a_file_with_staff_numbers_and_classes_is_a_student_roster(tmp_path: Path) -> None:
    result = read(tmp_path, [["姓名", "工号", "班级"], ["王老师", "T01", None]])
    assert messages(result) == [
        "第 2 行，学号：没有填写学号或学籍号",
        "第 2 行，班级：没有填写班级",
    ]


def test_a_file_with_only_a_student_number_is_a_student_roster(tmp_path: Path) -> None:
    result = read(tmp_path, [["姓名", "学号"], ["张小明", "20240201"]])
    assert [(r.kind, r.grade, r.class_number) for r in result.rows] == [("student", None, None)]


def test_a_file_with_only_a_registry_number_is_a_student_roster(tmp_path: Path) -> None:
    result = read(tmp_path, [["姓名", "学籍号"], ["张小明", "G1"]])
    assert [r.kind for r in result.rows] == ["student"]


def test_a_roster_that_shows_neither_students_nor_teachers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XlsxError, match="看不出这是学生名单还是教师名单"):
        read(tmp_path, [["姓名", "性别"], ["张小明", "男"]])


def test_a_row_without_identity_where_the_file_needs_one_is_an_error(tmp_path: Path) -> None:
    rows = [["身份", "姓名"], ["教师", "王老师"], [None, "李老师"]]
    result = read(tmp_path, rows)
    assert messages(result) == ["第 3 行，身份：没有填写身份（学生或教师）"]
    assert [r.name for r in result.rows] == ["王老师"]


def test_an_identity_that_is_neither_student_nor_teacher_is_an_error(tmp_path: Path) -> None:
    result = read(tmp_path, [["类别", "姓名", "学号"], ["家长", "张爸爸", "20240201"]])
    assert messages(result) == ["第 2 行，身份：“家长”不是学生或教师"]
    assert result.rows == []


# Columns


@pytest.mark.parametrize(
    ("name", "alias"), [(name, alias) for name, aliases in COLUMNS.items() for alias in aliases]
)
def test_every_alias_names_its_column(name: str, alias: str) -> None:
    cells = ["序号", alias] if name == "name" else ["姓名", alias]
    assert find_header([(1, cells)], COLUMNS, required={"name"}).columns[name] == 1


@pytest.mark.parametrize(
    ("field", "aliases"),
    [
        ("name", {"姓名", "学生姓名", "教师姓名", "名字"}),
        ("gender", {"性别"}),
        ("student_number", {"学号", "学生编号", "校内学号"}),
        ("registry_number", {"学籍号", "全国学籍号", "国网学籍号"}),
        ("registry_aux", {"学籍辅号"}),
        ("grade", {"年级"}),
        ("class", {"班级", "班级名称", "所在班级", "班"}),
        ("class_teacher", {"班主任"}),
        ("staff_number", {"工号", "教工号", "职工号", "教师编号"}),
        ("subject", {"学科", "任教学科", "部门", "科目", "所在部门"}),
        ("kind", {"身份", "类别", "人员类别"}),
    ],
)
def test_the_aliases_schools_use_are_all_known(field: str, aliases: set[str]) -> None:
    assert aliases <= set(COLUMNS[field])


def test_a_roster_without_a_name_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XlsxError, match="缺少必需的列：姓名（可以叫 姓名/学生姓名/教师姓名/名字）"):
        read(tmp_path, [["学号", "班级"], ["20240201", "3-2"]])


def test_a_roster_with_two_name_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XlsxError, match="“姓名”列出现了两次：第 A 列“姓名”和第 C 列“学生姓名”"):
        read(tmp_path, [["姓名", "学号", "学生姓名"], ["张小明", "20240201", "张小明"]])


def test_registry_number_and_its_auxiliary_number_side_by_side_are_not_duplicates(
    tmp_path: Path,
) -> None:
    rows = [["姓名", "全国学籍号", "学籍辅号"], ["张小明", "G1", "L1"]]
    assert [r.registry_number for r in read(tmp_path, rows).rows] == ["G1"]


# Files that are not a roster at all


def test_a_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_text("姓名,学号\n张小明,20240201\n", encoding="utf-8")
    with pytest.raises(XlsxError, match="文件不是 Excel"):
        read_roster(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"")
    with pytest.raises(XlsxError, match="文件是空的"):
        read_roster(path)


def test_a_password_protected_roster_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "名单.xlsx"
    body = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048 + body)
    with pytest.raises(XlsxError, match="密码"):
        read_roster(path)


# Rows that are not readers


def test_blank_rows_are_skipped_silently_and_row_numbers_kept(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, [], XIAOMING, [None, "  "], XIAOHONG])
    assert result.errors == [] and [r.row for r in result.rows] == [3, 5]


def test_rows_numbered_ahead_in_a_template_are_skipped(tmp_path: Path) -> None:
    rows = [["序号", *HEADER], [1, *XIAOMING], [2], [3]]
    result = read(tmp_path, rows)
    assert result.errors == [] and [r.row for r in result.rows] == [2]


def test_a_repeated_header_row_is_skipped(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, XIAOMING, HEADER, XIAOHONG])
    assert result.errors == [] and [r.row for r in result.rows] == [2, 4]


def test_a_totals_row_is_skipped(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, XIAOMING, ["合计：1人"]])
    assert result.errors == [] and len(result.rows) == 1


# Names


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("张  三", "张三"),
        (" 李　四 ", "李四"),
        ("欧阳 小 明", "欧阳小明"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽 · 买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),
        ("阿依古丽.买买提", "阿依古丽·买买提"),
        ("Tom  Smith", "Tom Smith"),
    ],
)
def test_names_lose_their_spaces_but_keep_the_middle_dot(
    tmp_path: Path, written: str, name: str
) -> None:
    result = read(tmp_path, [HEADER, student(姓名=written)])
    assert [r.name for r in result.rows] == [name]


def test_a_row_without_a_name_is_an_error(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, XIAOMING, student(姓名="　", 学号="2", 学籍号=None)])
    assert messages(result) == ["第 3 行，姓名：没有填写姓名"]
    assert [r.row for r in result.rows] == [2]


def test_the_class_teachers_name_loses_its_spaces(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(班主任=" 王 老师 ")])
    assert result.rows[0].class_teacher == "王老师"


# Numbers


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("２０２４０２０１", "20240201"),
        (" 2024 0201 ", "20240201"),
        (20240201, "20240201"),
        (20240201.0, "20240201"),
        ("00123", "00123"),
        ("s2024-01", "S2024-01"),
        ("ｓ２０２４－０１", "S2024-01"),
    ],
)
def test_numbers_are_half_width_without_spaces_and_upper_case(
    tmp_path: Path, written: Any, number: str
) -> None:
    header = ["姓名", "学号", "学籍号", "借书证号"]
    rows = [header, ["张小明", written, written, written]]
    (row,) = read(tmp_path, rows).rows
    assert (row.student_number, row.registry_number, row.card_number) == (number, number, number)


@pytest.mark.parametrize(("written", "number"), [(" t０１ ", "T01"), (7.0, "7"), ("007", "007")])
def test_staff_numbers_are_normalised_too(tmp_path: Path, written: Any, number: str) -> None:
    (row,) = read(tmp_path, [TEACHER_HEADER, [written, "王老师", "女", "语文"]]).rows
    assert row.staff_number == number


def test_a_student_without_student_or_registry_number_is_an_error(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(学号=None, 学籍号=" ")])
    assert messages(result) == ["第 2 行，学号：没有填写学号或学籍号"]


def test_a_student_with_only_one_of_the_numbers_is_fine(tmp_path: Path) -> None:
    only_registry = student(学号=None)
    only_number = student(学籍号=None, 姓名="刘小红")
    only_number[HEADER.index("学号")] = "20240202"
    result = read(tmp_path, [HEADER, only_registry, only_number])
    assert result.errors == [] and len(result.rows) == 2


def test_a_teacher_without_a_staff_number_is_fine(tmp_path: Path) -> None:
    result = read(tmp_path, [TEACHER_HEADER, [None, "王老师", "女", "语文"]])
    assert result.errors == [] and result.rows[0].staff_number == ""


# Gender


@pytest.mark.parametrize(
    ("written", "gender"),
    [
        ("男", "M"),
        ("女", "F"),
        ("男性", "M"),
        ("女性", "F"),
        ("m", "M"),
        ("F", "F"),
        (1, "M"),
        (2, "F"),
        ("1", "M"),
        (" 女 ", "F"),
        (None, ""),
    ],
)
def test_genders_are_m_f_or_blank(tmp_path: Path, written: Any, gender: str) -> None:
    result = read(tmp_path, [HEADER, student(性别=written)])
    assert [r.gender for r in result.rows] == [gender]


@pytest.mark.parametrize("written", ["未知", "3", "0", "男女"])
def test_another_gender_is_an_error(tmp_path: Path, written: str) -> None:
    result = read(tmp_path, [HEADER, student(性别=written)])
    assert messages(result) == [f"第 2 行，性别：“{written}”不是性别（请填 男 或 女）"]


def test_parse_gender_reads_the_national_standard_codes() -> None:
    assert (parse_gender("1"), parse_gender("2"), parse_gender("")) == ("M", "F", "")


# Classes


@pytest.mark.parametrize(
    ("written", "grade", "number"),
    [
        ("三年级(2)班", 3, 2),
        ("三年级（2）班", 3, 2),
        ("三年级 ( 2 ) 班", 3, 2),
        ("三年级二班", 3, 2),
        ("三年级十二班", 3, 12),
        ("3年级2班", 3, 2),
        ("３年级２班", 3, 2),
        ("三(2)班", 3, 2),
        ("三2班", 3, 2),
        ("3-2", 3, 2),
        ("３－２", 3, 2),
        ("3.2", 3, 2),
        ("3(2)", 3, 2),
        ("302", 3, 2),
        ("312班", 3, 12),
        ("一年级(1)班", 1, 1),
        ("六年级(5)班", 6, 5),
        ("初一(3)班", 7, 3),
        ("初二3班", 8, 3),
        ("初三(1)班", 9, 1),
        ("初中一年级3班", 7, 3),
        ("七年级(1)班", 7, 1),
        ("八年级4班", 8, 4),
        ("九年级2班", 9, 2),
        ("高一(2)班", 10, 2),
        ("高二(1)班", 11, 1),
        ("高三10班", 12, 10),
        ("10-2", 10, 2),
    ],
)
def test_a_class_cell_alone_gives_grade_and_number(written: str, grade: int, number: int) -> None:
    assert parse_class("", written) == (grade, number)


@pytest.mark.parametrize(
    ("grade_text", "class_text", "grade", "number"),
    [
        ("三年级", "2班", 3, 2),
        ("3", "2", 3, 2),
        ("３", "２", 3, 2),
        ("三", "(2)班", 3, 2),
        ("初一", "(3)班", 7, 3),
        ("七年级", "3", 7, 3),
        ("高一", "二班", 10, 2),
        ("高三", "10班", 12, 10),
        ("三年级", "三年级(2)班", 3, 2),
        ("三年级", "302", 3, 2),
    ],
)
def test_a_grade_cell_and_a_class_cell_give_grade_and_number(
    grade_text: str, class_text: str, grade: int, number: int
) -> None:
    assert parse_class(grade_text, class_text) == (grade, number)


@pytest.mark.parametrize(
    ("grade_text", "class_text", "message"),
    [
        ("2024级", "2班", "“2024级”是入学年份，不是年级"),
        ("", "2024级2班", "“2024级”是入学年份，不是年级"),
        ("", "高2024级3班", "“高2024级”是入学年份，不是年级"),
        ("2027届", "2班", "“2027届”是毕业年份，不是年级"),
        ("2024", "2", "“2024”是年份，不是年级"),
        ("", "", "没有填写班级"),
        ("三年级", "", "没有填写班级"),
        ("", "2班", "“2班”没有写年级"),
        ("", "三年级", "“三年级”没有写几班"),
        ("", "32", "“32”没有写年级"),
        ("", "三十二班", "“三十二班”没有写年级"),
        ("", "300", "看不出“300”是几班"),
        ("", "1203", "看不出“1203”是哪个年级哪个班"),
        ("", "三年级甲班", "看不出“三年级甲班”是哪个年级哪个班"),
        ("十三", "2", "看不出“十三”是哪个年级"),
        ("四年级", "三年级(2)班", "年级“四年级”和班级“三年级(2)班”不一致"),
        ("", "2026-03-02", "Excel 把“3-2”自动改成了日期"),
    ],
)
def test_a_class_that_cannot_be_read_is_refused_with_a_reason(
    grade_text: str, class_text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_class(grade_text, class_text)


@pytest.mark.parametrize(
    ("written", "grade"),
    [("一年级", 1), ("6", 6), ("小学三年级", 3), ("初三", 9), ("九年级", 9), ("高中二年级", 11)],
)
def test_parse_grade_reads_primary_junior_and_senior_grades(written: str, grade: int) -> None:
    assert parse_grade(written) == grade


def test_classes_are_read_from_the_file(tmp_path: Path) -> None:
    rows = [
        HEADER,
        XIAOMING,
        student(学号="2", 学籍号=None, 班级="初一（3）班"),
        student(学号="3", 学籍号=None, 班级=302),
    ]
    result = read(tmp_path, rows)
    assert [(r.grade, r.class_number) for r in result.rows] == [(3, 2), (7, 3), (3, 2)]


def test_a_class_that_does_not_parse_is_a_row_error(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(班级="三年级甲班")])
    assert messages(result) == [
        "第 2 行，班级：看不出“三年级甲班”是哪个年级哪个班（可以写成“三年级(2)班”“3-2”或“302”）"
    ]
    assert result.rows == []


def test_a_student_without_a_class_is_an_error_when_the_file_has_classes(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(班级=None)])
    assert messages(result) == ["第 2 行，班级：没有填写班级"]


def test_a_year_of_entry_in_the_grade_column_is_an_error_on_the_grade(tmp_path: Path) -> None:
    rows = [["姓名", "学号", "年级", "班级"], ["张小明", "20240201", "2024级", "2班"]]
    assert messages(read(tmp_path, rows)) == [
        "第 2 行，年级：“2024级”是入学年份，不是年级，请改填年级（如“三年级”“初一”）"
    ]


def test_a_grade_column_without_a_class_column_gives_the_grade_only(tmp_path: Path) -> None:
    rows = [["姓名", "学号", "年级"], ["张小明", "20240201", "三年级"], ["刘小红", "2", None]]
    result = read(tmp_path, rows)
    assert [(r.grade, r.class_number) for r in result.rows] == [(3, None)]
    assert messages(result) == ["第 3 行，年级：没有填写年级"]


def test_a_class_excel_turned_into_a_date_is_an_error(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(班级=datetime.datetime(2026, 3, 2))])
    assert len(result.errors) == 1 and "Excel 把“3-2”自动改成了日期" in messages(result)[0]


def test_a_grade_the_school_does_not_teach_is_an_error(tmp_path: Path) -> None:
    rows = [HEADER, XIAOMING, student(学号="2", 学籍号=None, 班级="高一(2)班")]
    result = read(tmp_path, rows, school_grades=range(1, 7))
    assert messages(result) == ["第 3 行，班级：本校没有高一"]
    assert [r.row for r in result.rows] == [2]


def test_a_grade_the_school_does_not_teach_is_an_error_on_the_grade_column(
    tmp_path: Path,
) -> None:
    rows = [["姓名", "学号", "年级", "班级"], ["张小明", "1", "七年级", "1班"]]
    assert messages(read(tmp_path, rows, school_grades=range(1, 7))) == [
        "第 2 行，年级：本校没有初一"
    ]


def test_without_school_grades_every_grade_is_accepted(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(班级="高一(2)班")])
    assert result.errors == [] and result.rows[0].grade == 10


def test_a_junior_school_accepts_its_grades(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(班级="初三(1)班")], school_grades=range(7, 10))
    assert result.errors == [] and result.rows[0].grade == 9


# Duplicates


def test_a_student_number_twice_in_one_class_is_an_error_on_the_second(tmp_path: Path) -> None:
    again = student(姓名="张晓明", 学籍号=None, 班级="3-2")
    result = read(tmp_path, [HEADER, XIAOHONG, XIAOMING, again])
    assert messages(result) == ["第 4 行，学号：学号 20240201 与第 3 行重复"]
    assert [r.row for r in result.rows] == [2, 3]


def test_a_student_number_in_two_classes_names_both_classes(tmp_path: Path) -> None:
    again = student(姓名="张晓明", 学籍号=None, 班级="4-1")
    result = read(tmp_path, [HEADER, XIAOMING, again])
    assert messages(result) == [
        "第 3 行，学号：学号 20240201 在第 2 行是三年级(2)班，这里是四年级(1)班"
    ]


def test_a_registry_number_twice_is_an_error(tmp_path: Path) -> None:
    again = student(学号="20240299")
    result = read(tmp_path, [HEADER, XIAOMING, again])
    assert messages(result) == ["第 3 行，学籍号：学籍号 G110101201601011234 与第 2 行重复"]


def test_numbers_are_compared_after_normalising(tmp_path: Path) -> None:
    again = student(学号="２０２４ ０２０１", 学籍号="g110101201601011234")
    assert len(read(tmp_path, [HEADER, XIAOMING, again]).errors) == 2


def test_a_staff_number_twice_among_teachers_is_an_error(tmp_path: Path) -> None:
    result = read(tmp_path, [TEACHER_HEADER, WANG, LI, ["T01", "王小丽", "女", "英语"]])
    assert messages(result) == ["第 4 行，工号：工号 T01 与第 2 行重复"]
    assert [r.row for r in result.rows] == [2, 3]


def test_a_card_number_twice_is_an_error_whoever_holds_it(tmp_path: Path) -> None:
    header = ["身份", "姓名", "学号", "工号", "借书证号"]
    rows = [
        header,
        ["学生", "张小明", "20240201", None, "C1"],
        ["教师", "王老师", None, "T01", "c1"],
    ]
    assert messages(read(tmp_path, rows)) == ["第 3 行，借书证号：借书证号 C1 与第 2 行重复"]


def test_a_student_number_may_equal_a_staff_number(tmp_path: Path) -> None:
    header = ["身份", "姓名", "学号", "工号"]
    rows = [header, ["学生", "张小明", "1001", None], ["教师", "王老师", None, "1001"]]
    assert read(tmp_path, rows).errors == []


def test_a_duplicate_of_a_row_with_other_errors_is_reported_too(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(性别="未知", 学籍号=None), XIAOMING])
    assert messages(result)[-1] == "第 3 行，学号：学号 20240201 与第 2 行重复"


# Merged cells


def test_merged_cells_in_data_rows_are_refused_naming_the_rows(tmp_path: Path) -> None:
    second = student(学号="20240202", 学籍号=None, 姓名="李小华", 班级=None)
    third = student(学号="20240203", 学籍号=None, 姓名="赵小亮", 班级="3-2")
    result = read(tmp_path, [HEADER, XIAOMING, second, third], merges=("E2:E3",))
    advice = "单元格 E2:E3（第 2–3 行）是合并的，请取消合并、每一行填上自己的值后再导入"
    assert messages(result) == [f"第 2 行，班级：{advice}", f"第 3 行，班级：{advice}"]
    assert [r.row for r in result.rows] == [4]


def test_merged_cells_outside_the_columns_read_are_harmless(tmp_path: Path) -> None:
    rows = [["备注", "", *HEADER], ["转入", None, *XIAOMING], [None, None, *XIAOHONG]]
    result = read(tmp_path, rows, merges=("A2:B3",))
    assert result.errors == [] and len(result.rows) == 2


# Errors and speed


def test_a_row_error_reads_as_row_field_and_message() -> None:
    assert str(RowError(7, "学号", "没有填写学号或学籍号")) == "第 7 行，学号：没有填写学号或学籍号"
    assert str(RowError(7, "", "空行")) == "第 7 行：空行"


def test_every_mistake_of_a_row_is_reported(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, student(姓名=None, 性别="?", 班级="甲班")])
    assert [(e.row, e.field) for e in result.errors] == [(2, "姓名"), (2, "性别"), (2, "班级")]


def test_reads_3000_students_quickly(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["XX小学2026学年学生名单"], HEADER]
    for i in range(3000):
        grade, number = i % 6 + 1, i // 6 % 8 + 1
        rows.append([f"学生{i}", "男女"[i % 2], f"2024{i:05d}", None, f"{grade}-{number}", None])
    path = make_xlsx(tmp_path / "名单.xlsx", rows)
    started = time.perf_counter()
    result = read_roster(path, school_grades=range(1, 7))
    elapsed = time.perf_counter() - started
    assert result.errors == [] and len(result.rows) == 3000
    last = result.rows[-1]
    assert (last.row, last.name, last.grade, last.class_number) == (3002, "学生2999", 6, 4)
    assert elapsed < 3.0
