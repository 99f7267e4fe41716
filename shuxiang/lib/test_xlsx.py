"""Excel files read the same way in every import, and exports open cleanly in Excel and WPS."""

from __future__ import annotations

import datetime
import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from shuxiang.lib.xlsx import (
    HeaderMatch,
    Sheet,
    XlsxError,
    cell_text,
    column_letter,
    find_header,
    merged_ranges,
    read_rows,
    write_workbook,
)


def make_xlsx(
    path: Path, rows: list[list[Any]], *, merges: tuple[str, ...] = (), sheets: int = 1
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=number, column=column, value=value)
    for ref in merges:
        sheet.merge_cells(ref)
    for extra in range(1, sheets):
        workbook.create_sheet(f"其他{extra}").append(["不该读到"])
    workbook.save(path)
    return path


# read_rows


def test_read_rows_skips_blank_rows_and_keeps_excel_row_numbers(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["书名"], [], ["  ", None, "　"], ["西游记"]])
    assert list(read_rows(path)) == [(1, ["书名"]), (4, ["西游记"])]


def test_read_rows_trims_trailing_blank_cells_but_keeps_inner_ones(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["a", None, "c", None, None], ["x"]])
    assert list(read_rows(path)) == [(1, ["a", "", "c"]), (2, ["x"])]


def test_read_rows_writes_whole_numbers_without_decimals(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [[9787020002207, 3, 25.5, 25.0]])
    assert list(read_rows(path)) == [(1, ["9787020002207", "3", "25.5", "25"])]


def test_cell_text_shows_floats_as_excel_does() -> None:
    assert cell_text(123.0) == "123"
    assert cell_text(9787020002207.0) == "9787020002207"
    assert cell_text(25.799999999999997) == "25.8"
    assert cell_text(Decimal("25.00")) == "25.00"
    assert cell_text(None) == ""


def test_read_rows_writes_dates_as_iso(tmp_path: Path) -> None:
    rows = [[datetime.datetime(2016, 5, 1), datetime.datetime(2016, 5, 1, 14, 30)]]
    path = make_xlsx(tmp_path / "a.xlsx", rows)
    assert list(read_rows(path)) == [(1, ["2016-05-01", "2016-05-01"])]


def test_read_rows_makes_full_width_digits_letters_and_spaces_half_width(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "a.xlsx",
        [["Ａ１２３", "９７８－７－０２", "　曹雪芹　著\u200b", "ｉ２８７．５"]],
    )
    assert list(read_rows(path)) == [(1, ["A123", "978-7-02", "曹雪芹 著", "i287.5"])]


def test_read_rows_keeps_chinese_punctuation(tmp_path: Path) -> None:
    text = "[美]E.B.怀特著；任溶溶译（插图本）：第１册，好！"
    path = make_xlsx(tmp_path / "a.xlsx", [[text]])
    assert list(read_rows(path)) == [(1, ["[美]E.B.怀特著；任溶溶译（插图本）：第1册，好！"])]


def test_read_rows_reads_only_the_first_worksheet(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [["第一张"]], sheets=3)
    assert list(read_rows(path)) == [(1, ["第一张"])]


def test_read_rows_accepts_an_open_binary_file(tmp_path: Path) -> None:
    data = make_xlsx(tmp_path / "a.xlsx", [["书名"]]).read_bytes()
    assert list(read_rows(io.BytesIO(data))) == [(1, ["书名"])]


def test_read_rows_judges_the_content_not_the_extension(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "清单.XLS", [["书名"]])
    assert list(read_rows(path)) == [(1, ["书名"])]


def refusal(path: Path) -> str:
    with pytest.raises(XlsxError) as caught:
        list(read_rows(path))
    return str(caught.value)


def test_a_csv_is_refused_with_advice_about_xls(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_text("书名,定价\n西游记,25\n", encoding="utf-8")
    message = refusal(path)
    assert "文件不是 Excel（.xlsx）文件" in message
    assert ".xls" in message and "另存为" in message


def test_an_old_xls_renamed_is_refused_as_not_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024 + "Workbook".encode("utf-16-le")
    )
    assert "文件不是 Excel（.xlsx）文件" in refusal(path)


def test_a_password_protected_file_is_refused_as_such(tmp_path: Path) -> None:
    # What Excel writes for an encrypted workbook: an OLE2 container with these streams.
    path = tmp_path / "清单.xlsx"
    body = (
        "EncryptionInfo".encode("utf-16-le") + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le")
    )
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048 + body)
    assert "密码" in refusal(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    path.write_bytes(b"")
    assert refusal(path) == "文件是空的"


def test_a_workbook_with_nothing_in_its_first_sheet_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "a.xlsx", [[], ["  "]])
    assert "是空的" in refusal(path)


def test_a_truncated_file_is_refused_as_corrupt(tmp_path: Path) -> None:
    data = make_xlsx(tmp_path / "a.xlsx", [["书名"]] * 50).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert "损坏" in refusal(path)


def test_a_sheet_that_does_not_unpack_is_refused_as_corrupt(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "a.xlsx", [[f"第{i}本书" for i in range(20)]] * 200)
    path = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[:-200]  # cut mid-element: the XML no longer parses
            new.writestr(info, data)
    assert "损坏" in refusal(path)


def test_another_kind_of_zip_is_refused_as_not_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "清单.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "文件不是 Excel（.xlsx）文件" in refusal(path)


# merged cells


def test_read_rows_gives_a_merged_value_to_the_top_left_cell_only(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "a.xlsx", [["x", "y"], ["合并", None], [None, "z"]], merges=("A2:A3",)
    )
    assert list(read_rows(path)) == [(1, ["x", "y"]), (2, ["合并"]), (3, ["", "z"])]


def test_merged_ranges_lists_the_ranges_of_the_first_sheet(tmp_path: Path) -> None:
    rows = [["馆配清单"], ["书名", "定价"], ["a", 1], ["b", 2]]
    path = make_xlsx(tmp_path / "a.xlsx", rows, merges=("A1:D1", "B3:B4"))
    ranges = merged_ranges(path)
    assert [(m.ref, m.min_row, m.max_row, m.min_col, m.max_col) for m in ranges] == [
        ("A1:D1", 1, 1, 1, 4),
        ("B3:B4", 3, 4, 2, 2),
    ]
    assert ranges[1].touches_column(1) and not ranges[1].touches_column(0)


def test_merged_ranges_is_empty_without_merges(tmp_path: Path) -> None:
    assert merged_ranges(make_xlsx(tmp_path / "a.xlsx", [["a"]])) == []


def test_merged_ranges_refuses_a_non_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(XlsxError, match="不是 Excel"):
        merged_ranges(path)


# find_header

ALIASES = {
    "title": ["书名", "题名", "正题名"],
    "price": ["定价", "单价", "定价(元)"],
    "isbn": ["ISBN", "书号"],
    "copies": ["复本数", "册数"],
}


def test_find_header_skips_a_title_row_above_the_header() -> None:
    rows = [(1, ["XX书店馆配清单"]), (3, ["序号", "题名", "ISBN", "定价"]), (4, ["1", "西游记"])]
    match = find_header(rows, ALIASES, required={"title"})
    assert match.row == 3
    assert match.columns == {"title": 1, "isbn": 2, "price": 3}
    assert match.labels["title"] == "题名"


def test_find_header_picks_the_row_with_most_matching_cells() -> None:
    # A note above the header mentions one column name; the header names three.
    rows = [(1, ["书名"]), (2, ["书名", "定价", "书号"])]
    assert find_header(rows, ALIASES, required={"title"}).row == 2


@pytest.mark.parametrize(
    "written",
    ["*书名", " 书 名 ", "书名：", "书名:", "正题名（必填）", "ＩＳＢＮ", "isbn", "定价（元）"],
)
def test_find_header_ignores_spaces_width_case_and_marks(written: str) -> None:
    match = find_header([(1, ["序号", written])], ALIASES, required=set())
    assert list(match.columns.values()) == [1]


def test_find_header_matches_units_in_brackets_of_either_width() -> None:
    rows = [(1, ["书名", "定价(元)", "复本数（册）"])]
    assert find_header(rows, ALIASES, required=set()).columns == {
        "title": 0,
        "price": 1,
        "copies": 2,
    }


def test_find_header_names_a_missing_required_column_and_its_aliases() -> None:
    with pytest.raises(XlsxError) as caught:
        find_header([(1, ["ISBN", "定价"])], ALIASES, required={"title"})
    assert str(caught.value) == "缺少必需的列：书名（可以叫 书名/题名/正题名）"


def test_find_header_names_every_missing_required_column() -> None:
    with pytest.raises(XlsxError) as caught:
        find_header([(1, ["序号", "定价"])], ALIASES, required={"title", "isbn"})
    assert "书名（可以叫" in str(caught.value) and "ISBN（可以叫 ISBN/书号）" in str(caught.value)


def test_find_header_refuses_two_columns_for_one_field_by_letter() -> None:
    rows = [(1, ["书名", "ISBN", "作者", "定价", "a", "b", "c", "定价"])]
    with pytest.raises(XlsxError) as caught:
        find_header(rows, ALIASES, required={"title"})
    assert str(caught.value).startswith("“定价”列出现了两次：第 D 列和第 H 列")


def test_find_header_shows_both_headers_when_differently_named_columns_collide() -> None:
    rows = [(1, ["书名", "定价", "单价"])]
    with pytest.raises(XlsxError, match="第 B 列“定价”和第 C 列“单价”"):
        find_header(rows, ALIASES, required={"title"})


def test_find_header_looks_only_at_the_first_search_rows() -> None:
    rows = [(n, [f"说明{n}"]) for n in range(1, 11)] + [(11, ["书名", "定价"])]
    with pytest.raises(XlsxError, match="缺少必需的列"):
        find_header(rows, ALIASES, required={"title"})
    assert find_header(rows, ALIASES, required={"title"}, search_rows=11).row == 11


def test_find_header_consumes_no_more_than_search_rows_of_an_iterator() -> None:
    rows = iter([(1, ["书名"]), (2, ["a"]), (3, ["b"])])
    find_header(rows, ALIASES, required={"title"}, search_rows=2)
    assert next(rows) == (3, ["b"])


def test_header_match_get_reads_a_field_or_blank() -> None:
    match = HeaderMatch(row=1, columns={"title": 0, "price": 3})
    assert match.get(["西游记", ""], "title") == "西游记"
    assert match.get(["西游记"], "price") == ""  # the row ended before column D
    assert match.get(["西游记"], "isbn") == ""  # the file has no such column


# column_letter


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (3, "D"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letter_counts_from_zero(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_column_letter_refuses_negative_indexes() -> None:
    with pytest.raises(ValueError):
        column_letter(-1)


# write_workbook


def open_written(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_write_workbook_bolds_and_freezes_the_header() -> None:
    data = write_workbook([Sheet(title="清单", header=["书名", "定价"], rows=[["西游记", 25]])])
    sheet = open_written(data)["清单"]
    assert sheet["A1"].font.bold and sheet["B1"].font.bold
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"


def test_write_workbook_sets_widths_and_number_formats() -> None:
    sheet_spec = Sheet(
        title="清单",
        header=["书名", "定价"],
        rows=[["西游记", Decimal("25.5")]],
        widths=[40, 10],
        number_formats={1: "0.00"},
    )
    sheet = open_written(write_workbook([sheet_spec]))["清单"]
    assert sheet.column_dimensions["A"].width == 40
    assert sheet.column_dimensions["B"].width == 10
    assert sheet["B2"].number_format == "0.00"
    assert sheet["B2"].value == 25.5
    assert sheet["A2"].number_format == "General"


def test_write_workbook_writes_text_as_text() -> None:
    rows = [['=HYPERLINK("http://x")', "000123", "a\x07b"]]
    sheet = open_written(write_workbook([Sheet(title="s", header=["a", "b", "c"], rows=rows)]))["s"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["B2"].value == "000123"
    assert sheet["C2"].value == "ab"  # Excel refuses control characters


def test_write_workbook_writes_several_sheets_with_safe_titles() -> None:
    data = write_workbook(
        [
            Sheet(title="2024/2025 学年 [上]", header=["a"], rows=[]),
            Sheet(title="一" * 40, header=["b"], rows=iter([[1]])),
        ]
    )
    names = open_written(data).sheetnames
    assert names == ["2024_2025 学年 _上_", "一" * 31]


def test_write_workbook_round_trips_10000_chinese_rows_quickly(tmp_path: Path) -> None:
    def rows():
        for i in range(10_000):
            yield [
                f"第{i}本：西游记（插图本）",
                "吴承恩著",
                Decimal("25.80"),
                datetime.date(2016, 5, 1),
            ]

    started = time.perf_counter()
    data = write_workbook(
        [Sheet(title="清单", header=["书名", "作者", "定价", "出版日期"], rows=rows())]
    )
    back = list(read_rows(io.BytesIO(data)))
    elapsed = time.perf_counter() - started

    assert len(back) == 10_001
    assert back[0] == (1, ["书名", "作者", "定价", "出版日期"])
    assert back[1] == (2, ["第0本：西游记（插图本）", "吴承恩著", "25.8", "2016-05-01"])
    assert back[-1] == (10_001, ["第9999本：西游记（插图本）", "吴承恩著", "25.8", "2016-05-01"])
    assert elapsed < 10, f"10,000 rows took {elapsed:.1f}s"
