"""The school roster (学生名单/教师名单): the Excel file exported from the 学籍系统 or typed up
by the school office at the start of a year.

`read_roster` finds the columns, tells students from teachers, reads classes however they
are written ("三年级(2)班", "3-2", "302", or a 年级 column beside a 班级 column) and checks
each row. Rows with mistakes come back as `RowError`s beside the good rows, one per
mistake; the caller decides what to import. Pure: no Django here, messages in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from shuxiang.lib.xlsx import (
    HeaderMatch,
    RowError,
    Source,
    XlsxError,
    find_header,
    merged_cell_errors,
    merged_ranges,
    normalize_text,
    read_rows,
)

Kind = Literal["student", "teacher"]
Gender = Literal["M", "F", ""]

STUDENT: Kind = "student"
TEACHER: Kind = "teacher"

# Field → the names a column may have; the first is the name used in messages.
COLUMNS: dict[str, list[str]] = {
    "name": ["姓名", "学生姓名", "教师姓名", "名字"],
    "gender": ["性别"],
    "student_number": ["学号", "学生编号", "校内学号"],
    "registry_number": ["学籍号", "全国学籍号", "国网学籍号"],
    # The 学籍系统 exports 学籍辅号 beside 全国学籍号; as one field the two would collide
    # as a duplicated column, so 学籍辅号 is read apart and stands in when 学籍号 is blank.
    "registry_aux": ["学籍辅号"],
    "grade": ["年级"],
    "class": ["班级", "班级名称", "所在班级", "班"],
    "class_teacher": ["班主任"],
    "staff_number": ["工号", "教工号", "职工号", "教师编号"],
    "subject": ["学科", "任教学科", "部门", "科目", "所在部门"],
    "kind": ["身份", "类别", "人员类别"],
    "card_number": ["借书证号", "借书证", "读者证号"],
}
REQUIRED = {"name"}
STUDENT_COLUMNS = {"student_number", "registry_number", "registry_aux", "class"}

UNKNOWN_KIND = (
    "看不出这是学生名单还是教师名单：学生名单要有“学号”“学籍号”或“班级”列，"
    "教师名单要有“工号”列；也可以加一列“身份”，填 学生 或 教师"
)

_KINDS: dict[str, Kind] = {
    "学生": STUDENT,
    "教师": TEACHER,
    "老师": TEACHER,
    "教职工": TEACHER,
    "教职员工": TEACHER,
    "教工": TEACHER,
    "职工": TEACHER,
    "专任教师": TEACHER,
}
_GENDERS: dict[str, Gender] = {
    "男": "M",
    "男性": "M",
    "男生": "M",
    "M": "M",
    "1": "M",  # GB/T 2261.1: 1 男, 2 女
    "女": "F",
    "女性": "F",
    "女生": "F",
    "F": "F",
    "2": "F",
}
# For messages only; the app labels classes itself.
_GRADE_NAMES = {
    1: "一年级",
    2: "二年级",
    3: "三年级",
    4: "四年级",
    5: "五年级",
    6: "六年级",
    7: "初一",
    8: "初二",
    9: "初三",
    10: "高一",
    11: "高二",
    12: "高三",
}


@dataclass
class RosterRow:
    """One reader. Fields that do not belong to the kind are blank: a teacher has no 学号,
    学籍号, class or class teacher; a student has no 工号 or subject."""

    row: int  # Excel row number
    kind: Kind
    name: str  # without spaces; "·" of minority names kept
    gender: Gender
    student_number: str
    registry_number: str
    grade: int | None  # 1–6 primary, 7–9 junior (初一–初三), 10–12 senior (高一–高三)
    class_number: int | None
    class_teacher: str  # the 班主任's name as written, without spaces
    staff_number: str
    subject: str
    card_number: str


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header: HeaderMatch | None = None


def read_roster(source: Source, *, school_grades: range | None = None) -> Roster:
    """Read a roster (.xlsx); raise `XlsxError` when the file or its header is unusable.

    The file is a student roster when it has a 学号, 学籍号 or 班级 column, a teacher
    roster when it has a 工号 column and none of those; a 身份 cell overrides that for its
    row. Rows above the header, blank rows, repeated header rows and totals rows are
    skipped. Every other row becomes a `RosterRow` or one `RowError` per mistake. With
    `school_grades`, a class of another grade is a mistake. A 学号, 学籍号, 工号 or
    借书证号 seen earlier in the file makes the later row a mistake.
    """
    all_rows = list(read_rows(source))
    header = find_header(all_rows, COLUMNS, required=REQUIRED)
    file_kind = _file_kind(header)
    roster = Roster(header=header)
    merged = [
        m
        for m in merged_ranges(source)
        if m.max_row > header.row and any(m.touches_column(i) for i in header.columns.values())
    ]
    duplicates = _Duplicates()
    for number, cells in all_rows:
        if number <= header.row or _is_skipped(cells, header):
            continue
        errors = merged_cell_errors(number, merged, header, COLUMNS)
        if errors:
            roster.errors.extend(errors)
            continue
        row, errors = _read_row(number, cells, header, file_kind, school_grades)
        if row is not None:
            # Rows with other mistakes count too, so that one upload reports every problem.
            errors.extend(duplicates.check(row))
        if errors:
            roster.errors.extend(errors)
        elif row is not None:
            roster.rows.append(row)
    return roster


def _file_kind(header: HeaderMatch) -> Kind | None:
    """The kind of every row without a 身份 cell; None when each row must say."""
    if STUDENT_COLUMNS & header.columns.keys():
        return STUDENT
    if "staff_number" in header.columns:
        return TEACHER
    if "kind" in header.columns:
        return None
    raise XlsxError(UNKNOWN_KIND)


# "合计", "合 计：45人", "总计(人)", "总人数：45"; not a name such as "合计算".
_TOTALS = re.compile(r"(合计|总计|小计|共计|总人数)([:：(（\d].*)?")


def _is_skipped(cells: list[str], header: HeaderMatch) -> bool:
    """Rows that are not readers: blank in every column read (a template numbered ahead),
    a repeated header, or a totals line."""
    texts = [header.get(cells, name) for name in header.columns]
    if not any(texts):
        return True
    if all(header.get(cells, name) == label for name, label in header.labels.items()):
        return True
    name = header.get(cells, "name")
    return any(
        _TOTALS.fullmatch("".join(cell.split())) and (not name or name == cell)
        for cell in cells[:3]
    )


def _read_row(
    number: int,
    cells: list[str],
    header: HeaderMatch,
    file_kind: Kind | None,
    school_grades: range | None,
) -> tuple[RosterRow | None, list[RowError]]:
    """The row and its mistakes; the row is None only when its kind is unknown."""

    def text(name: str) -> str:
        return header.get(cells, name)

    errors: list[RowError] = []

    def error(name: str, message: str) -> None:
        errors.append(RowError(number, COLUMNS[name][0], message))

    name = _name(text("name"))
    if not name:
        error("name", "没有填写姓名")
    gender: Gender = ""
    try:
        gender = parse_gender(text("gender"))
    except ValueError as exc:
        error("gender", str(exc))
    kind = file_kind
    if written := text("kind"):
        kind = _KINDS.get("".join(written.split()))
        if kind is None:
            error("kind", f"“{written}”不是学生或教师")
    elif kind is None:
        error("kind", "没有填写身份（学生或教师）")
    if kind is None:
        return None, errors

    row = RosterRow(
        row=number,
        kind=kind,
        name=name,
        gender=gender,
        student_number="",
        registry_number="",
        grade=None,
        class_number=None,
        class_teacher="",
        staff_number="",
        subject="",
        card_number=_code(text("card_number")),
    )
    if kind == TEACHER:
        row.staff_number = _code(text("staff_number"))
        row.subject = text("subject")
        return row, errors

    row.student_number = _code(text("student_number"))
    row.registry_number = _code(text("registry_number")) or _code(text("registry_aux"))
    if not row.student_number and not row.registry_number:
        error("student_number", "没有填写学号或学籍号")
    row.class_teacher = _name(text("class_teacher"))
    has_grade, has_class = "grade" in header.columns, "class" in header.columns
    grade_text, class_text = text("grade"), text("class")
    try:
        if has_grade and not grade_text and not has_class:
            raise ValueError("没有填写年级")
        grade = parse_grade(grade_text) if grade_text else None
    except ValueError as exc:
        error("grade", str(exc))
        return row, errors
    if has_class:
        try:
            grade, row.class_number = parse_class(grade_text, class_text)
        except ValueError as exc:
            error("class", str(exc))
            return row, errors
    row.grade = grade
    if grade is not None and school_grades is not None and grade not in school_grades:
        error("grade" if grade_text else "class", f"本校没有{_GRADE_NAMES[grade]}")
    return row, errors


class _Duplicates:
    """The first row of each 学号, 学籍号, 工号 and 借书证号 seen so far."""

    def __init__(self) -> None:
        self.first: dict[tuple[str, str], RosterRow] = {}

    def check(self, row: RosterRow) -> list[RowError]:
        if row.kind == STUDENT:
            keys = [
                ("student_number", row.student_number),
                ("registry_number", row.registry_number),
            ]
        else:
            keys = [("staff_number", row.staff_number)]
        keys.append(("card_number", row.card_number))
        errors = []
        for name, value in keys:
            if not value:
                continue
            first = self.first.setdefault((name, value), row)
            if first is row:
                continue
            label = COLUMNS[name][0]
            here, there = _place(row), _place(first)
            if name != "card_number" and here and there and here != there:
                message = f"{label} {value} 在第 {first.row} 行是{there}，这里是{here}"
            else:
                message = f"{label} {value} 与第 {first.row} 行重复"
            errors.append(RowError(row.row, label, message))
        return errors


def _place(row: RosterRow) -> str:
    if row.kind != STUDENT or row.grade is None:
        return ""
    if row.class_number is None:
        return _GRADE_NAMES[row.grade]
    return f"{_GRADE_NAMES[row.grade]}({row.class_number})班"


# Look-alikes of the middle dot of minority names (阿依古丽·买买提), as IMEs and fonts type it.
_DOTS = str.maketrans(dict.fromkeys("•・･‧∙⋅", "·"))
_SPACE_OUTSIDE_LATIN = re.compile(r" (?![A-Za-z])|(?<![A-Za-z]) ")


def _name(text: str) -> str:
    """A name without the spaces that align two-character names ("张  三" → "张三").

    A space between two Latin letters stays ("Tom Smith"); "." between Chinese characters
    is the middle dot typed on a keyboard.
    """
    name = _SPACE_OUTSIDE_LATIN.sub("", " ".join(text.split())).translate(_DOTS)
    if not re.search(r"[A-Za-z]", name):
        name = name.replace(".", "·")
    return name


def _code(text: str) -> str:
    """A 学号/学籍号/工号/借书证号 as compared: half-width (done by `cell_text`), no spaces,
    upper case; leading zeros kept."""
    return "".join(text.split()).upper()


def parse_gender(text: str) -> Gender:
    """ "M" or "F" from 男/女, 男性/女性, 男生/女生, M/F or 1/2 (1 男, 2 女); "" for blank."""
    key = "".join(text.split()).upper()
    if not key:
        return ""
    try:
        return _GENDERS[key]
    except KeyError:
        raise ValueError(f"“{text}”不是性别（请填 男 或 女）") from None


# ---------------------------------------------------------------- grades and classes

_CN_DIGITS = "一二三四五六七八九"
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_GRADE = (
    r"(?:(?P<stage>初中|高中|初|高)(?P<year>[一二三1-3])(?:年级|年)?"
    r"|(?:小学)?(?P<cn>[一二三四五六七八九])(?P<cn_mark>年级|年)?"
    r"|(?:小学)?(?P<digits>1[0-2]|[1-9])(?P<digits_mark>年级|年)?)"
)
_NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_GRADE_ONLY = re.compile(_GRADE)
_CLASS_ONLY = re.compile(rf"第?(?:\((?P<bracketed>{_NUMBER})\)|(?P<plain>{_NUMBER}))班?")
_FULL = re.compile(
    rf"{_GRADE}(?:\((?P<bracketed>{_NUMBER})\)|(?P<sep>[-./_·—–])?(?P<plain>{_NUMBER}))班?"
)
_THREE_DIGITS = re.compile(r"([1-9])(\d{2})班?")  # "302": grade 3, class 2
# "2024级", "初2024级", "2027届": the year a class entered or will leave, not a grade.
_CLASS_YEAR = re.compile(r"(?:初中|高中|初|高)?(?:19|20)\d{2}([级届])")
_YEAR = re.compile(r"(?:19|20)\d{2}")
# What Excel makes of "3-2" typed into a cell that is not text: the 2nd of March.
_DATE = re.compile(r"\d{4}-(\d{2})-(\d{2})")


def _squeeze(text: str) -> str:
    return "".join(normalize_text(text).translate(_BRACKETS).split())


def _refuse_year(squeezed: str) -> None:
    if match := _CLASS_YEAR.search(squeezed):
        what = "毕业年份" if match[1] == "届" else "入学年份"
        raise ValueError(f"“{match[0]}”是{what}，不是年级，请改填年级（如“三年级”“初一”）")


def parse_grade(text: str) -> int:
    """The grade 1–12 of a 年级 cell: "三年级", "三", "3", "3年级", "初一", "七年级",
    "初中一年级", "高一"... A year of entry ("2024级") or of leaving ("2027届") is refused."""
    squeezed = _squeeze(text)
    _refuse_year(squeezed)
    if _YEAR.fullmatch(squeezed):
        raise ValueError(f"“{squeezed}”是年份，不是年级，请改填年级（如“三年级”“初一”）")
    match = _GRADE_ONLY.fullmatch(squeezed)
    if match is None:
        raise ValueError(
            f"看不出“{normalize_text(text)}”是哪个年级（可以写成“三年级”“3”“初一”或“高一”）"
        )
    return _grade_of(match)


def parse_class(grade_text: str, class_text: str) -> tuple[int, int]:
    """(grade 1–12, class number) of a 班级 cell, with the 年级 cell when there is one.

    The class cell alone: "三年级(2)班", "三年级（2）班", "三年级二班", "3年级2班", "三(2)班",
    "3-2", "3.2", "3(2)", "302" (three digits: grade, then class), "初一(3)班", "初二3班",
    "七年级(1)班", "九年级2班", "高一(2)班", "高三10班". With a grade cell (see
    `parse_grade`) the class cell may be just the number: "2", "2班", "(3)班", "二班", or a
    whole class of the same grade. Full-width digits and brackets and stray spaces are
    read. Raises `ValueError` with a Chinese message.
    """
    squeezed = _squeeze(class_text)
    shown = normalize_text(class_text)
    if not squeezed:
        raise ValueError("没有填写班级")
    if grade_text.strip():
        grade = parse_grade(grade_text)
        alone = _CLASS_ONLY.fullmatch(squeezed)
        if alone:
            return grade, _class_number(alone["bracketed"] or alone["plain"], shown)
        own, number = _parse_whole_class(squeezed, shown)
        if own != grade:
            raise ValueError(f"年级“{normalize_text(grade_text)}”和班级“{shown}”不一致")
        return grade, number
    if _CLASS_ONLY.fullmatch(squeezed):
        raise ValueError(f"“{shown}”没有写年级（写成“三年级(2)班”，或另加一列“年级”）")
    return _parse_whole_class(squeezed, shown)


def _parse_whole_class(squeezed: str, shown: str) -> tuple[int, int]:
    _refuse_year(squeezed)
    if date := _DATE.fullmatch(squeezed):
        typed = f"{int(date[1])}-{int(date[2])}"
        raise ValueError(
            f"“{shown}”是日期：Excel 把“{typed}”自动改成了日期，"
            "请把这一列设为“文本”格式、重新填写后再导入"
        )
    if three := _THREE_DIGITS.fullmatch(squeezed):
        return int(three[1]), _class_number(three[2], shown)
    match = _FULL.fullmatch(squeezed)
    if match is None or not _delimited(match):
        if _GRADE_ONLY.fullmatch(squeezed):
            raise ValueError(f"“{shown}”没有写几班")
        raise ValueError(f"看不出“{shown}”是哪个年级哪个班（可以写成“三年级(2)班”“3-2”或“302”）")
    return _grade_of(match), _class_number(match["bracketed"] or match["plain"], shown)


def _delimited(match: re.Match[str]) -> bool:
    """Whether grade and class are told apart by 年级, 初/高, brackets or a separator.

    Without them "12" could be 1-2 or grade 12, and "三二" is no way to write a class;
    only a Chinese grade before Arabic digits ("三2班") is plain.
    """
    return bool(
        match["stage"]
        or match["cn_mark"]
        or match["digits_mark"]
        or match["bracketed"]
        or match["sep"]
        or (match["cn"] and match["plain"].isdigit())
    )


def _grade_of(match: re.Match[str]) -> int:
    if match["stage"]:
        year = match["year"]
        offset = int(year) if year.isdigit() else "一二三".index(year) + 1
        return (6 if match["stage"].startswith("初") else 9) + offset
    if match["cn"]:
        return _CN_DIGITS.index(match["cn"]) + 1
    return int(match["digits"])


def _class_number(text: str, shown: str) -> int:
    """1–99 from "2", "02", "二", "十", "十二", "二十", "二十三"."""
    if text.isdigit():
        number = int(text)
    else:
        tens, ten, units = text.partition("十")
        try:
            if ten:
                number = (_cn_digit(tens) if tens else 1) * 10 + (_cn_digit(units) if units else 0)
            else:
                number = _cn_digit(text)
        except ValueError:
            number = 0
    if number < 1:
        raise ValueError(f"看不出“{shown}”是几班")
    return number


def _cn_digit(text: str) -> int:
    if len(text) != 1 or text not in _CN_DIGITS:
        raise ValueError(text)
    return _CN_DIGITS.index(text) + 1
