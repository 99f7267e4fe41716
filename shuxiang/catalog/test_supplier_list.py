"""A supplier's list (馆配清单) becomes checked BibData rows, or row errors saying what to fix."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shuxiang.catalog.bibdata import Contributor
from shuxiang.catalog.supplier_list import (
    COLUMNS,
    SupplierList,
    parse_contributors,
    parse_date,
    read_supplier_list,
)
from shuxiang.lib.xlsx import XlsxError, find_header

HEADER = ["订单号", "书名", "ISBN", "定价", "作者", "出版社", "出版日期", "复本数"]
GOOD = ["D001", "西游记", "9787020002207", "25.00", "吴承恩著", "人民文学出版社", "2016.5", 2]


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


def read(tmp_path: Path, rows: list[list[Any]], **kwargs: Any) -> SupplierList:
    return read_supplier_list(make_xlsx(tmp_path / "清单.xlsx", rows, **kwargs))


def with_cell(name: str, value: Any, header: list[str] = HEADER) -> list[Any]:
    row = list(GOOD)
    row[header.index(name)] = value
    return row


def messages(result: SupplierList) -> list[str]:
    return [str(e) for e in result.errors]


# A whole list as a supplier sends it


def test_reads_a_typical_list_with_title_blank_and_totals_rows(tmp_path: Path) -> None:
    header = ["序号", "订购号", "正题名", "副题名", "中图分类号", "书号", "定价(元)", "责任者"]
    header += ["出版者", "出版时间", "册数", "内容简介", "丛书名", "页数", "版次", "读者对象"]
    book = ["1", "D001", "西游记", "青少版", " i242.4 ", "978-7-02-000220-7", "¥25.00", "吴承恩著"]
    book += ["人民文学出版社", "2016年5月", 3, "唐僧师徒取经。", "语文新课标必读", "235页", "2版"]
    book += ["小学"]
    other = ["2", "D001", "草房子", None, "I287.5", "7-5346-1858-4", 18, "曹文轩 著"]
    other += ["江苏少年儿童出版社", datetime.datetime(2008, 1, 1)]
    totals = ["合计", None, None, None, None, None, 43, None, None, None, 4]
    rows = [["XX书店馆配清单"], [], header, book, [], other, totals]
    result = read(tmp_path, rows, merges=("A1:P1", "A7:C7"))

    assert result.errors == []
    first, second = result.rows
    assert first.row == 4 and first.order_number == "D001" and first.copies == 3
    assert first.audience == "小学"
    bib = first.bib
    assert (bib.title, bib.other_title, bib.class_number) == ("西游记", "青少版", "I242.4")
    assert bib.isbns == ["9787020002207"]
    assert bib.price == Decimal("25.00")
    assert bib.contributors == [Contributor("吴承恩", "著")]
    assert bib.responsibility == "吴承恩著"
    assert (bib.publisher, bib.date, bib.summary) == ("人民文学出版社", "2016-05", "唐僧师徒取经。")
    assert (bib.series, bib.pages, bib.edition) == ("语文新课标必读", "235页", "2版")
    assert bib.holdings == [] and bib.position == 4
    assert second.row == 6 and second.copies == 1
    assert second.bib.isbns == ["9787534618581"]  # the ISBN-10 as ISBN-13
    assert second.bib.price == Decimal("18.00")
    assert second.bib.date == "2008-01"
    assert second.bib.contributors == [Contributor("曹文轩", "著")]


def test_a_row_with_errors_is_reported_and_the_good_rows_still_come_back(tmp_path: Path) -> None:
    untitled = with_cell("书名", None)
    untitled[0] = "D002"
    result = read(tmp_path, [HEADER, GOOD, untitled, with_cell("订单号", "D003")])
    assert [r.row for r in result.rows] == [2, 4]
    assert messages(result) == ["第 3 行，书名：没有填写书名"]


def test_every_mistake_of_a_row_is_reported(tmp_path: Path) -> None:
    row = with_cell("定价", "二十元")
    row[HEADER.index("复本数")] = 0
    result = read(tmp_path, [HEADER, row])
    assert messages(result) == ["第 2 行，定价：“二十元”不是金额", "第 2 行，复本数：至少 1 册"]
    assert result.rows == []


def test_full_width_digits_in_cells_are_read(tmp_path: Path) -> None:
    row = with_cell("ISBN", "９７８－７－０２－０００２２０－７")
    row[HEADER.index("定价")] = "２５．００元"
    result = read(tmp_path, [HEADER, row])
    assert result.rows[0].bib.isbns == ["9787020002207"]
    assert result.rows[0].bib.price == Decimal("25.00")


def test_a_repeated_header_row_is_skipped(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, GOOD, HEADER, with_cell("订单号", "D002")])
    assert result.errors == [] and [r.row for r in result.rows] == [2, 4]


def test_a_totals_row_is_skipped_silently(tmp_path: Path) -> None:
    totals = ["合 计：2种", None, None, "50.00", None, None, None, 4]
    result = read(tmp_path, [HEADER, GOOD, totals])
    assert result.errors == [] and len(result.rows) == 1


def test_a_book_whose_title_starts_with_heji_is_not_a_totals_row(tmp_path: Path) -> None:
    header = ["书名", "定价"]
    result = read(tmp_path, [header, ["合计算术题", "12"]])
    assert [r.bib.title for r in result.rows] == ["合计算术题"]


def test_a_note_saying_gongji_beside_a_title_is_not_a_totals_row(tmp_path: Path) -> None:
    result = read(tmp_path, [["备注", "书名"], ["共计3册", "西游记"]])
    assert [r.bib.title for r in result.rows] == ["西游记"]


# Columns


@pytest.mark.parametrize(
    ("name", "alias"), [(name, alias) for name, aliases in COLUMNS.items() for alias in aliases]
)
def test_every_alias_names_its_column(name: str, alias: str) -> None:
    cells = ["序号", alias] if name == "title" else ["书名", alias]
    assert find_header([(1, cells)], COLUMNS, required={"title"}).columns[name] == 1


def test_a_list_without_a_title_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XlsxError, match="缺少必需的列：书名（可以叫 书名/题名/正题名"):
        read(tmp_path, [["订单号", "ISBN", "定价"], ["D1", "9787020002207", "25"]])


def test_a_list_with_two_price_columns_is_refused(tmp_path: Path) -> None:
    header = ["订单号", "书名", "ISBN", "定价", "作者", "出版社", "出版日期", "单价"]
    with pytest.raises(XlsxError, match="“定价”列出现了两次：第 D 列“定价”和第 H 列“单价”"):
        read(tmp_path, [header, GOOD])


def test_a_list_without_a_price_column_gives_no_price(tmp_path: Path) -> None:
    result = read(tmp_path, [["书名", "作者"], ["西游记", "吴承恩"]])
    assert result.errors == [] and result.rows[0].bib.price is None


# Merged cells


def test_merged_cells_in_data_rows_are_refused_naming_the_rows(tmp_path: Path) -> None:
    second = with_cell("订单号", None)
    result = read(tmp_path, [HEADER, GOOD, second, with_cell("订单号", "D3")], merges=("A2:A3",))
    advice = "单元格 A2:A3（第 2–3 行）是合并的，请取消合并、每一行填上自己的值后再导入"
    assert messages(result) == [f"第 2 行，订单号：{advice}", f"第 3 行，订单号：{advice}"]
    assert [r.row for r in result.rows] == [4]


def test_merged_cells_outside_the_columns_read_are_harmless(tmp_path: Path) -> None:
    rows = [
        ["备注", "", *HEADER],
        ["见附件", None, *GOOD],
        [None, None, *with_cell("订单号", "D2")],
    ]
    result = read(tmp_path, rows, merges=("A2:B3",))
    assert result.errors == [] and len(result.rows) == 2


# Price


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("25", "25.00"),
        ("25.00", "25.00"),
        ("25.5", "25.50"),
        ("¥25.00", "25.00"),
        ("￥25.00", "25.00"),
        ("25元", "25.00"),
        ("CNY25.00", "25.00"),
        ("cny 25", "25.00"),
        ("1,280.00", "1280.00"),
        (25.8, "25.80"),
        ("25.005", "25.01"),
    ],
)
def test_prices_are_read_as_two_place_decimals(tmp_path: Path, written: Any, amount: str) -> None:
    result = read(tmp_path, [HEADER, with_cell("定价", written)])
    assert result.errors == []
    price = result.rows[0].bib.price
    assert price == Decimal(amount) and str(price) == amount


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("二十元", "第 2 行，定价：“二十元”不是金额"),
        ("25.00（全4册）", "第 2 行，定价：“25.00（全4册）”不是金额"),
        ("0", "第 2 行，定价：“0”不是大于 0 的金额"),
        ("-5", "第 2 行，定价：“-5”不是金额"),
        (None, "第 2 行，定价：没有填写定价"),
    ],
)
def test_a_price_that_is_not_a_positive_amount_is_an_error(
    tmp_path: Path, written: Any, message: str
) -> None:
    assert messages(read(tmp_path, [HEADER, with_cell("定价", written)])) == [message]


# Copies


@pytest.mark.parametrize(
    ("written", "copies"), [(None, 1), ("3", 3), (3, 3), ("5册", 5), (200, 200)]
)
def test_copies_are_a_whole_number_defaulting_to_one(
    tmp_path: Path, written: Any, copies: int
) -> None:
    result = read(tmp_path, [HEADER, with_cell("复本数", written)])
    assert result.errors == [] and result.rows[0].copies == copies


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("0", "至少 1 册"),
        (201, "201 册超过了 200 册，请核对"),
        (2.5, "“2.5”不是整数"),
        ("三", "“三”不是整数"),
        ("-1", "“-1”不是整数"),
    ],
)
def test_copies_out_of_range_are_an_error(tmp_path: Path, written: Any, message: str) -> None:
    result = read(tmp_path, [HEADER, with_cell("复本数", written)])
    assert messages(result) == [f"第 2 行，复本数：{message}"]


# ISBN


@pytest.mark.parametrize(
    "written",
    [
        "9787020002207",
        "978-7-02-000220-7",
        "978 7 02 000220 7",
        "ISBN 978-7-02-000220-7",
        "7-02-000220-X",
        "702000220x",
        9787020002207,
    ],
)
def test_isbns_are_normalised_to_compact_isbn13(tmp_path: Path, written: Any) -> None:
    result = read(tmp_path, [HEADER, with_cell("ISBN", written)])
    assert result.errors == [] and result.rows[0].bib.isbns == ["9787020002207"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("9787020002208", "9787020002208 校验位错误"),
        ("7-02-000220-8", "7-02-000220-8 校验位错误"),
        ("12345", "“12345”位数不对，ISBN 是 10 位或 13 位"),
        ("9771234567898", "“9771234567898”不是 ISBN（13 位的 ISBN 以 978 或 979 开头）"),
        ("统一书号10019·1234", "“统一书号10019·1234”不是 ISBN"),
    ],
)
def test_a_wrong_isbn_is_an_error(tmp_path: Path, written: str, message: str) -> None:
    result = read(tmp_path, [HEADER, GOOD, GOOD, GOOD, with_cell("ISBN", written)])
    assert messages(result)[-1] == f"第 5 行，ISBN：{message}"


def test_a_blank_isbn_is_allowed(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, with_cell("ISBN", None)])
    assert result.errors == [] and result.rows[0].bib.isbns == []


def test_the_same_isbn_twice_in_one_order_is_an_error(tmp_path: Path) -> None:
    again = with_cell("ISBN", "978-7-02-000220-7")
    other_order = with_cell("订单号", "D002")
    result = read(tmp_path, [HEADER, GOOD, other_order, again])
    assert messages(result) == ["第 4 行，ISBN：与第 2 行重复（订单号和 ISBN 都相同）"]
    assert [r.row for r in result.rows] == [2, 3]


def test_a_duplicate_of_a_row_with_other_errors_is_reported_too(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, with_cell("定价", "二十元"), GOOD])
    assert "第 3 行，ISBN：与第 2 行重复（订单号和 ISBN 都相同）" in messages(result)


# Class number, date, author


def test_class_numbers_are_kept_stripped_and_upper_case(tmp_path: Path) -> None:
    header = ["书名", "分类号"]
    result = read(tmp_path, [header, ["西游记", "  i242.4/12 "]])
    assert result.rows[0].bib.class_number == "I242.4/12"


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2016.5", "2016-05"),
        ("2016.05", "2016-05"),
        ("2016-05-01", "2016-05"),
        ("2016/5/1", "2016-05"),
        ("2016年5月", "2016-05"),
        ("2016年5月第1版", "2016-05"),
        ("2016年", "2016"),
        ("2016", "2016"),
        (2016, "2016"),
        ("201605", "2016-05"),
        ("20160501", "2016-05"),
        (datetime.datetime(2016, 5, 1), "2016-05"),
        ("不详", "不详"),
    ],
)
def test_publication_dates_become_year_or_year_month(
    tmp_path: Path, written: Any, date: str
) -> None:
    result = read(tmp_path, [HEADER, with_cell("出版日期", written)])
    assert result.errors == [] and result.rows[0].bib.date == date


def test_a_month_that_does_not_exist_is_an_error() -> None:
    with pytest.raises(ValueError, match="“2016.13”不是日期"):
        parse_date("2016.13")


@pytest.mark.parametrize(
    ("written", "contributors"),
    [
        ("曹雪芹著", [("曹雪芹", "著")]),
        ("杨红樱 主编", [("杨红樱", "主编")]),
        ("[美]E.B.怀特著；任溶溶译", [("[美]E.B.怀特", "著"), ("任溶溶", "译")]),
        ("[美]E.B.怀特 著; 任溶溶 译", [("[美]E.B.怀特", "著"), ("任溶溶", "译")]),
        ("郑渊洁编著", [("郑渊洁", "编著")]),
        ("张三、李四编", [("张三", "编"), ("李四", "编")]),
        ("杨红樱等著", [("杨红樱", "著")]),
        ("几米绘", [("几米", "绘")]),
        ("曹文轩", [("曹文轩", "著")]),
        ("张译", [("张译", "著")]),  # a two-character name, not 张 translating
        ("", []),
    ],
)
def test_authors_are_split_into_names_and_roles(
    written: str, contributors: list[tuple[str, str]]
) -> None:
    assert parse_contributors(written) == [Contributor(n, r) for n, r in contributors]


def test_an_author_cell_becomes_contributors_of_the_record(tmp_path: Path) -> None:
    result = read(tmp_path, [HEADER, with_cell("作者", "[美]E.B.怀特著；任溶溶译")])
    bib = result.rows[0].bib
    assert bib.contributors == [Contributor("[美]E.B.怀特", "著"), Contributor("任溶溶", "译")]
    assert bib.responsibility == "[美]E.B.怀特著；任溶溶译"
