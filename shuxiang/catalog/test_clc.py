"""The CLC table, class-number syntax and shelf order (shuxiang.catalog.clc); no database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuxiang.catalog import clc

BASIC = list("ABCDEFGHIJKNOPQRSTUVXZ")
T_TWO_LETTER = ["T" + letter for letter in "BDEFGHJKLMNPQSUV"]


# --- the table -----------------------------------------------------------------------------


def test_table_has_at_least_400_classes() -> None:
    assert len(clc.load()) >= 400


def test_table_has_the_22_basic_classes_and_t_subclasses() -> None:
    table = clc.load()
    assert set(BASIC) <= set(table)
    assert set(T_TWO_LETTER) <= set(table)
    assert table["I"] == "文学"
    assert table["TP"] == "自动化技术、计算机技术"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("A8", "马克思主义、列宁主义、毛泽东思想、邓小平理论的学习和研究"),
        ("B82", "伦理学（道德哲学）"),
        ("B84", "心理学"),
        ("D6", "中国政治"),
        ("D9", "法律"),
        ("D92", "中国法律"),
        ("E2", "中国军事"),
        ("F12", "中国经济"),
        ("F7", "贸易经济"),
        ("G2", "信息与知识传播"),
        ("G25", "图书馆学、图书馆事业"),
        ("G4", "教育"),
        ("G6", "各级教育"),
        ("G61", "学前教育、幼儿教育"),
        ("G62", "初等教育"),
        ("G623", "各科教学法、教学参考书"),
        ("G623.2", "汉语语文"),
        ("G623.3", "外语"),
        ("G624", "教材、课本、学生参考书"),
        ("G63", "中等教育"),
        ("G634", "教材、课本、辅助教材"),
        ("G8", "体育"),
        ("H1", "汉语"),
        ("H12", "文字学"),
        ("H15", "写作、修辞"),
        ("H16", "字书、字典、词典"),
        ("H19", "汉语教学"),
        ("H3", "常用外国语"),
        ("H31", "英语"),
        ("H316", "词典"),
        ("I2", "中国文学"),
        ("I210", "鲁迅著作及研究"),
        ("I24", "小说"),
        ("I247.5", "新体长篇、中篇小说"),
        ("I247.7", "新体短篇小说"),
        ("I28", "儿童文学"),
        ("I287.2", "诗歌、童谣"),
        ("I287.45", "长篇、中篇小说"),
        ("I287.5", "故事"),
        ("I287.7", "童话、寓言"),
        ("I287.8", "图画故事"),
        ("I29", "少数民族文学"),
        ("J2", "绘画"),
        ("J29", "书法、篆刻"),
        ("J6", "音乐"),
        ("K2", "中国史"),
        ("K81", "传记"),
        ("K82", "中国人物传记"),
        ("K92", "中国地理"),
        ("N49", "普及读物"),
        ("O1", "数学"),
        ("O4", "物理学"),
        ("O6", "化学"),
        ("P1", "天文学"),
        ("Q94", "植物学"),
        ("Q95", "动物学"),
        ("R2", "中国医学"),
        ("TP3", "计算技术、计算机技术"),
        ("Z1", "丛书"),
        ("Z22", "中国百科全书、类书"),
        ("Z228", "综合性普及读物"),
        ("Z228.1", "少年儿童读物"),
        ("Z3", "辞典"),
        ("Z5", "年鉴、年刊"),
    ],
)
def test_table_names_classes_a_school_uses(code: str, name: str) -> None:
    assert clc.load()[code] == name


def test_table_file_has_header_and_no_duplicate_codes() -> None:
    lines = clc.DATA_FILE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "code\tname"
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 2 and row[0] and row[1] == row[1].strip() != "" for row in rows)
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes))


def test_every_listed_code_is_a_normalised_class_number() -> None:
    for code in clc.load():
        assert clc.validate(code) == code


def test_every_listed_code_hangs_from_a_listed_basic_class() -> None:
    for code in clc.load():
        chain = clc.ancestors(code)
        assert chain[0] == clc.basic_class(code) == code[0]
        assert chain[-1] == code
        if code.startswith("T") and len(code) > 1 and code[1].isalpha():
            assert chain[1] == code[:2]


# --- validate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "A81",
        "I2",
        "I287.5",
        "TP311.13",
        "G623.202",
        "F299.233.5",
        "Z228.1",
        "I287.5-49",
        "O1-0",
        "G40-011.8",
        "Q-49",
        "K82(2)",
        "K837.125.6(202)",
        "D92=2",
        'K25"54"',
        "I287.5<1>",
        "T",
        "TB",
    ],
)
def test_validate_accepts_real_class_numbers(code: str) -> None:
    assert clc.validate(code) == code


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Ｉ２８７．５", "I287.5"),
        ("ｔｐ３１１．１３", "TP311.13"),
        (" i 287.5 ", "I287.5"),
        ("I287.5－49", "I287.5-49"),
        ("I287.5—49", "I287.5-49"),
        ("K82（2）", "K82(2)"),
        ("I287。5", "I287.5"),
    ],
)
def test_validate_normalises_what_people_type(typed: str, normalised: str) -> None:
    assert clc.validate(typed) == normalised


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("L12", "L"),
        ("M", "L、M、W、Y"),
        ("Y2", "L、M、W、Y"),
        ("I2A", "无法识别"),
        ("", "为空"),
        ("I287..5", "每三位"),
        ("I2875", "每三位"),
        ("I287.", "每三位"),
        ("12", "字母开头"),
        ("TA1", "TA"),
        ("DF12", "只有 T 类"),
        ("[B019.2]", "交替类目"),
        ("I287.5/12", "书次号"),
        ("R173:G25", "组配"),
        ("K82(2", "不完整"),
    ],
)
def test_validate_refuses_bad_codes_naming_them(code: str, reason: str) -> None:
    with pytest.raises(clc.ClcError) as caught:
        clc.validate(code)
    message = str(caught.value)
    assert f"分类号“{code}”不符合中图法格式" in message
    assert reason in message


def test_class_number_regex_matches_exactly_what_validate_returns() -> None:
    assert clc.CLASS_NUMBER.fullmatch("I287.5-49")
    assert not clc.CLASS_NUMBER.fullmatch("I287..5")
    assert not clc.CLASS_NUMBER.fullmatch("L1")


# --- lookups -------------------------------------------------------------------------------


def test_name_of_falls_back_to_the_nearest_listed_ancestor() -> None:
    assert clc.name_of("I287.45") == "长篇、中篇小说"
    assert clc.name_of("I287.451") == "长篇、中篇小说"
    assert clc.name_of("I287.5-49") == "故事"
    assert clc.name_of("TP311.13") == "程序设计、软件工程"
    assert clc.name_of("ｉ２８７．８") == "图画故事"
    assert clc.name_of("L12") is None


def test_ancestors_run_from_the_basic_class_down() -> None:
    assert clc.ancestors("I287.45") == ["I", "I2", "I28", "I287", "I287.4", "I287.45"]
    assert clc.ancestors("TP311.13") == ["T", "TP", "TP3", "TP31", "TP311"]
    assert clc.ancestors("B-49") == ["B", "B-4", "B-49"]
    with pytest.raises(clc.ClcError):
        clc.ancestors("W1")


def test_basic_class_folds_t_subclasses_into_t() -> None:
    assert clc.basic_class("I287.5") == "I"
    assert clc.basic_class("TP") == "T"
    assert clc.basic_class("tp311") == "T"


def test_children_browse_the_table_in_clc_order() -> None:
    assert [code for code, _ in clc.children(None)] == BASIC
    assert [code for code, _ in clc.children("T")] == T_TWO_LETTER
    assert [code for code, _ in clc.children("I28")] == ["I286", "I287"]
    assert [code for code, _ in clc.children("Q")][:2] == ["Q-49", "Q1"]
    under_i287 = [code for code, _ in clc.children("I287")]
    assert under_i287[:4] == ["I287.2", "I287.3", "I287.4", "I287.5"]
    # The parent is found by shortening the code, so I287.39 曲艺 sits under I287.3.
    assert clc.children("I287.3") == [("I287.39", "曲艺")]
    assert "I287.45" not in under_i287
    assert clc.children("I287.45") == []


# --- shelf order ---------------------------------------------------------------------------

SHELF_ORDER = [
    "A",
    "A1",
    "B",
    "B-4",
    "B-49",
    "B0",
    "I",
    "I2",
    "I20",
    "I206",
    "I21",
    "I247.5",
    "I247.57",
    "I247.7",
    "I287.5",
    "I287.5-49",
    "I287.5(1)",
    "I287.51",
    "T",
    "T1",
    "TB",
    "TB1",
    "TP",
    "TP3",
    "TP311.13",
    "TV",
    "U",
    "X",
    "Z",
]


def test_sort_key_gives_shelf_order() -> None:
    shuffled = list(reversed(SHELF_ORDER))
    assert sorted(shuffled, key=clc.sort_key) == SHELF_ORDER


def test_sort_string_gives_shelf_order_with_a_fixed_width() -> None:
    shuffled = list(reversed(SHELF_ORDER))
    assert sorted(shuffled, key=clc.sort_string) == SHELF_ORDER
    assert {len(clc.sort_string(code)) for code in SHELF_ORDER} == {clc.SORT_STRING_LENGTH}
    assert all(clc.sort_string(code).isalnum() for code in SHELF_ORDER)


def test_sort_key_is_made_of_plain_values() -> None:
    assert all(isinstance(part, int | str) for part in clc.sort_key("I287.5-49(1)"))


_NUMBERS = st.text("0123456789", min_size=1, max_size=8).map(
    lambda digits: ".".join(digits[i : i + 3] for i in range(0, len(digits), 3))
)
_AUXILIARY = st.tuples(st.sampled_from(["-{}", "({})", "={}", '"{}"', "<{}>"]), _NUMBERS).map(
    lambda pair: pair[0].format(pair[1])
)
class_numbers = st.builds(
    lambda letters, digits, auxiliaries: letters + digits + "".join(auxiliaries),
    st.sampled_from(BASIC + T_TWO_LETTER),
    st.one_of(st.just(""), _NUMBERS),
    st.lists(_AUXILIARY, max_size=3),
)


@given(class_numbers)
def test_generated_class_numbers_are_valid_and_fixed_width(code: str) -> None:
    assert clc.validate(code) == code
    assert len(clc.sort_string(code)) == clc.SORT_STRING_LENGTH


@given(class_numbers, class_numbers)
def test_sort_string_order_equals_sort_key_order(a: str, b: str) -> None:
    key_a, key_b = clc.sort_key(a), clc.sort_key(b)
    string_a, string_b = clc.sort_string(a), clc.sort_string(b)
    assert (key_a < key_b) == (string_a < string_b)
    assert (key_a == key_b) == (string_a == string_b)


@given(st.lists(class_numbers, max_size=20))
def test_sorting_by_sort_string_equals_sorting_by_sort_key(codes: list[str]) -> None:
    assert sorted(codes, key=clc.sort_string) == sorted(codes, key=clc.sort_key)


# --- call numbers --------------------------------------------------------------------------

CALL_NUMBER_SHELF_ORDER = [
    "A81/3",
    "G623.2/7",
    "H319.4/G93",
    "H319.4/G932",
    "H319.4/G94",
    "I287.5",
    "I287.5/12",
    "I287.5/12:2",
    "I287.5/12:10",
    "I287.5/13",
    "I287.5/102",
    "I287.51/1",
    "K825.6/5",
    "K825.6/5-2",
    "K825.6/6",
    "T/1",
    "TB/1",
    "TP311/5",
    "U1/1",
    "Z228.1/3",
]


def test_call_numbers_sort_in_shelf_order() -> None:
    shuffled = list(reversed(CALL_NUMBER_SHELF_ORDER))
    assert sorted(shuffled, key=clc.call_number_sort_string) == CALL_NUMBER_SHELF_ORDER


def test_call_number_sort_strings_have_one_width() -> None:
    widths = {len(clc.call_number_sort_string(number)) for number in CALL_NUMBER_SHELF_ORDER}
    assert widths == {clc.CALL_NUMBER_SORT_STRING_LENGTH}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("I287.5/12", "I287.5/102"),
        ("I287.5/102", "I287.51/1"),
        ("TP311/9", "U1/1"),
        ("T/99", "TB/1"),
        ("A/9", "Z/1"),
        ("G254.364-62/G932/2005", "G254.364-62/G932/2010"),
        ("Ｉ２８７．５／１２", "I287.5/13"),
    ],
)
def test_call_number_pairs_keep_shelf_order(before: str, after: str) -> None:
    assert clc.call_number_sort_string(before) < clc.call_number_sort_string(after)


def test_four_corner_author_numbers_compare_digit_by_digit() -> None:
    numbers = ["I313.45/6075", "I313.45/60751", "I313.45/6076"]
    as_sequence = sorted(numbers, key=clc.call_number_sort_string)
    assert as_sequence == ["I313.45/6075", "I313.45/6076", "I313.45/60751"]

    def four_corner(number: str) -> str:
        return clc.call_number_sort_string(number, four_corner=True)

    assert sorted(numbers, key=four_corner) == numbers


@pytest.mark.parametrize("number", ["I287.5/", "/12", "L1/2", "I287.5/12:", "I287.5/12*3"])
def test_call_number_sort_string_refuses_what_it_cannot_read(number: str) -> None:
    with pytest.raises(clc.ClcError) as caught:
        clc.call_number_sort_string(number)
    assert "索书号" in str(caught.value)


def test_call_numbers_in_one_class_group_together() -> None:
    numbers = [f"{code}/{n}" for code, n in itertools.product(["I287.5", "I287.51"], [1, 99])]
    keys = [clc.call_number_sort_string(number) for number in numbers]
    assert keys == sorted(keys)
