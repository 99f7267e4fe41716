"""Reading and writing the .xlsx files that librarians exchange with suppliers and the office.

Every Excel import (supplier lists, rosters, stocktakes) reads cells through `read_rows`,
finds its columns with `find_header` and every export writes through `write_workbook`, so
that full-width digits, "123.0", dates, merged cells and the `.xls` that was only renamed
are handled the same way everywhere. Pure: no Django here. Messages are Chinese because
they are shown to the librarian as they are.

Merged cells: openpyxl's read-only reader gives the value of a merged range to its top-left
cell only; the other cells of the range come back blank. An importer that must not lose
values calls `merged_ranges` and refuses data rows that a range touches.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

Source = IO[bytes] | Path

NOT_XLSX = (
    "文件不是 Excel（.xlsx）文件。旧版的 .xls 文件请先在 Excel 或 WPS 中“另存为” .xlsx 再导入"
)
ENCRYPTED = "文件设置了打开密码，请在 Excel 或 WPS 中取消密码、另存为 .xlsx 后再导入"
CORRUPT = "文件已损坏，无法读取，请在 Excel 或 WPS 中打开后重新“另存为” .xlsx 再导入"
EMPTY_FILE = "文件是空的"
EMPTY_SHEET = "第一个工作表“{title}”是空的（导入只读取第一个工作表）"

# What a damaged or foreign file makes openpyxl and the zip/xml layers raise.
_READ_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    EOFError,
    zlib.error,
    ElementTree.ParseError,
    OSError,  # "File contains no valid workbook part"
)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted .xlsx, are OLE2 files
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")


class XlsxError(ValueError):
    """The file cannot be read as the spreadsheet the importer expects; the message is Chinese."""


# Full-width digits, letters, the ideographic space and the signs of numbers, ISBNs and
# call numbers (．－／) turn half-width. Other full-width punctuation （）：；，！？ stays:
# it is ordinary Chinese punctuation and author statements are split on it.
_HALF_WIDTH = {
    ch: unicodedata.normalize("NFKC", ch)
    for ch in (
        [chr(c) for c in range(ord("０"), ord("９") + 1)]
        + [chr(c) for c in range(ord("Ａ"), ord("Ｚ") + 1)]
        + [chr(c) for c in range(ord("ａ"), ord("ｚ") + 1)]
        + ["\u3000", "．", "－", "／"]
    )
}
_HALF_WIDTH.update({"\u200b": "", "\ufeff": "", "\xa0": " "})  # pasted from web pages
_TRANSLATION = str.maketrans(_HALF_WIDTH)


def normalize_text(text: str) -> str:
    """`text` with full-width digits/letters/spaces made half-width and ends stripped."""
    return text.translate(_TRANSLATION).strip()


def cell_text(value: Any) -> str:
    """The text of a cell value as a librarian would type it: 123 not 123.0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel shows 15 significant digits; 25.799999999999997 is 25.8 to the librarian.
        return f"{value:.15g}"
    if isinstance(value, int | Decimal):
        return str(value)
    return normalize_text(str(value))


def _open_binary(source: Source) -> IO[bytes]:
    # A Path is opened here so that openpyxl judges the content, not the extension: a real
    # .xlsx uploaded as "清单.XLS" still reads.
    if isinstance(source, Path):
        try:
            return source.open("rb")
        except OSError as exc:
            raise XlsxError(f"无法打开文件：{exc.strerror}") from None
    return source


def _load(stream: IO[bytes]) -> Any:
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except _READ_ERRORS as exc:
        raise _refusal(stream, exc) from None


def _refusal(stream: IO[bytes], exc: Exception) -> XlsxError:
    """The right message for a file that openpyxl could not open."""
    stream.seek(0)
    head = stream.read(8)
    if not head:
        return XlsxError(EMPTY_FILE)
    if head == _OLE2_MAGIC:
        # An encrypted .xlsx is an OLE2 container holding an "EncryptedPackage" stream; the
        # directory entry may sit anywhere, so look through the file (only on this error path).
        stream.seek(0)
        if _ENCRYPTED_MARK in stream.read():
            return XlsxError(ENCRYPTED)
        return XlsxError(NOT_XLSX)
    if head.startswith(b"PK") and not isinstance(exc, KeyError | InvalidFileException | OSError):
        return XlsxError(CORRUPT)  # a zip whose parts do not unpack or parse
    return XlsxError(NOT_XLSX)  # a CSV, a text file, a .docx or another zip


def read_rows(source: Source) -> Iterator[tuple[int, list[str]]]:
    """Yield (Excel row number, cell texts) for each non-blank row of the first worksheet.

    Cells are `cell_text` strings; a row's list ends at its last non-blank cell, so index
    with care. Raises `XlsxError` when the file is not an .xlsx (a CSV, a renamed .xls),
    is password-protected, corrupt, or has no non-blank row. A merged range yields its value
    in its top-left cell only (see `merged_ranges`).
    """
    stream = _open_binary(source)
    try:
        workbook = _load(stream)
        try:
            if not workbook.worksheets:
                raise XlsxError(EMPTY_FILE)
            sheet = workbook.worksheets[0]
            seen = False
            try:
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    cells = [cell_text(v) for v in values]
                    while cells and not cells[-1]:
                        cells.pop()
                    if cells:
                        seen = True
                        yield number, cells
            except _READ_ERRORS:
                raise XlsxError(CORRUPT) from None
            if not seen:
                raise XlsxError(EMPTY_SHEET.format(title=sheet.title))
        finally:
            workbook.close()
    finally:
        if isinstance(source, Path):
            stream.close()


@dataclass(frozen=True)
class MergedRange:
    """A merged range of cells; rows and columns are 1-based as Excel shows them."""

    ref: str  # "A5:C5"
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    def touches_column(self, index: int) -> bool:
        """Whether the range covers the 0-based column `index` (as in `HeaderMatch.columns`)."""
        return self.min_col <= index + 1 <= self.max_col


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def merged_ranges(source: Source) -> list[MergedRange]:
    """The merged ranges of the first worksheet, in file order.

    Streams the sheet's XML once and keeps only the <mergeCell> elements, so a sheet of
    100,000 rows costs a parse but no memory. Raises `XlsxError` like `read_rows`.
    """
    stream = _open_binary(source)
    try:
        workbook = _load(stream)
        try:
            if not workbook.worksheets:
                return []
            # openpyxl (pinned 3.1) opens a read-only sheet's XML part with _get_source();
            # it has no public way to list merged ranges without loading every cell.
            found: list[MergedRange] = []
            try:
                with workbook.worksheets[0]._get_source() as xml:
                    for _event, element in ElementTree.iterparse(xml):
                        if element.tag == f"{_MAIN_NS}mergeCell":
                            ref = element.get("ref", "")
                            min_col, min_row, max_col, max_row = range_boundaries(ref)
                            found.append(MergedRange(ref, min_col, min_row, max_col, max_row))
                        elif element.tag == f"{_MAIN_NS}row":
                            element.clear()
            except (*_READ_ERRORS, ValueError, TypeError):
                raise XlsxError(CORRUPT) from None
            return found
        finally:
            workbook.close()
    finally:
        if isinstance(source, Path):
            stream.close()


def column_letter(index: int) -> str:
    """The Excel letter of a 0-based column index: 0 → "A", 25 → "Z", 26 → "AA"."""
    if index < 0:
        raise ValueError(f"column index must be >= 0, not {index}")
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# Header cells differ in spaces, width, case, required-marks and units: "*书名", "定价（元）",
# "ISBN：", "复本数 (册)" all name the same columns as "书名", "定价", "isbn", "复本数".
_BRACKETED = re.compile(r"[(\[【（［][^)\]】）］]*[)\]】）］]")


def header_key(text: str) -> str:
    """The form in which header cells and aliases are compared."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _BRACKETED.sub("", text)
    return "".join(ch for ch in text if ch.isalnum())


@dataclass
class HeaderMatch:
    """Where the header row is and which 0-based column holds each field."""

    row: int  # Excel row number of the header
    columns: dict[str, int]  # field → 0-based column index
    labels: dict[str, str] = field(default_factory=dict)  # field → header text as written

    def get(self, cells: Sequence[str], name: str) -> str:
        """The text of field `name` in a data row; "" when the column or the cell is absent."""
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return ""
        return cells[index]


def find_header(
    rows: Iterable[tuple[int, list[str]]],
    aliases: Mapping[str, Sequence[str]],
    *,
    required: set[str],
    search_rows: int = 10,
) -> HeaderMatch:
    """Find the header among the first `search_rows` rows: the row where most cells name a field.

    `aliases` maps each field to the names a column may have; the first alias is the field's
    name in messages. Rows above the header (a title such as "XX书店馆配清单") are ignored.
    Takes at most `search_rows` items from `rows`, so pass a list when the data rows are
    needed afterwards. Raises `XlsxError` when a `required` field has no column or when two
    columns name the same field.
    """
    keys = {header_key(alias): name for name, names in aliases.items() for alias in names}
    best: tuple[int, list[str], list[tuple[int, str]]] | None = None
    for number, cells in islice(rows, search_rows):
        hits = [(i, keys[k]) for i, cell in enumerate(cells) if (k := header_key(cell)) in keys]
        if hits and (best is None or len(hits) > len(best[2])):
            best = (number, cells, hits)

    if best is None:
        header_row, cells, hits = 0, [], []
    else:
        header_row, cells, hits = best
    columns: dict[str, int] = {}
    for index, name in hits:
        if name in columns:
            raise XlsxError(_duplicate_message(aliases[name][0], cells, columns[name], index))
        columns[name] = index

    missing = [name for name in aliases if name in required and name not in columns]
    if missing:
        described = "；".join(f"{aliases[n][0]}（可以叫 {'/'.join(aliases[n])}）" for n in missing)
        where = f"（在前 {search_rows} 行里没有找到表头）" if best is None else ""
        raise XlsxError(f"缺少必需的列：{described}{where}")
    return HeaderMatch(
        row=header_row,
        columns=columns,
        labels={name: cells[index] for name, index in columns.items()},
    )


def _duplicate_message(label: str, cells: list[str], first: int, second: int) -> str:
    where = f"第 {column_letter(first)} 列和第 {column_letter(second)} 列"
    if cells[first] != cells[second]:
        where = (
            f"第 {column_letter(first)} 列“{cells[first]}”"
            f"和第 {column_letter(second)} 列“{cells[second]}”"
        )
    return f"“{label}”列出现了两次：{where}，请删去或改名其中一列"


@dataclass
class Sheet:
    """One worksheet of an export. `rows` may be a generator: it is consumed once, row by row."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] = ()  # column widths in characters, from column A on
    number_formats: Mapping[int, str] = field(default_factory=dict)  # 0-based column → "0.00"


# Excel refuses these in sheet names and cuts names at 31 characters.
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx bytes of `sheets`, each with a bold header row frozen above the data.

    Written in openpyxl's write-only mode, so memory stays flat however many rows there are.
    Text is always written as text: a patron named "=1+1" does not become a formula, and
    "000123" keeps its zeros.
    """
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_BAD_TITLE.sub("_", sheet.title)[:31] or "Sheet")
        for index, width in enumerate(sheet.widths):
            worksheet.column_dimensions[column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header = []
        for text in sheet.header:
            cell = WriteOnlyCell(worksheet, _CONTROL.sub("", text))
            cell.font = bold
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append([_out(worksheet, sheet, i, value) for i, value in enumerate(row)])
    if not sheets:
        workbook.create_sheet("Sheet")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _out(worksheet: Any, sheet: Sheet, index: int, value: Any) -> Any:
    number_format = sheet.number_formats.get(index)
    if isinstance(value, str):
        value = _CONTROL.sub("", value)
        if value.startswith("="):
            cell = WriteOnlyCell(worksheet, value)
            cell.data_type = "s"
            return cell
    if number_format is None or value is None:
        return value
    cell = WriteOnlyCell(worksheet, value)
    cell.number_format = number_format
    return cell


@dataclass
class RowError:
    """A problem with one row of an imported sheet, said where it is: "第 7 行，定价：…"."""

    row: int  # Excel row number
    field: str  # the column's name in Chinese, e.g. "定价"; "" for the whole row
    message: str  # e.g. "“二十元”不是金额"

    def __str__(self) -> str:
        where = f"第 {self.row} 行，{self.field}" if self.field else f"第 {self.row} 行"
        return f"{where}：{self.message}"


def merged_cell_errors(
    number: int,
    merged: Sequence[MergedRange],
    header: HeaderMatch,
    columns: Mapping[str, Sequence[str]],
) -> list[RowError]:
    """One error for each merged range that covers row `number` in a column the import
    reads; `columns` gives each field's aliases, the first being its Chinese name."""
    errors = []
    for m in merged:
        if m.min_row <= number <= m.max_row:
            names = [n for n, i in header.columns.items() if m.touches_column(i)]
            span = f"第 {m.min_row}–{m.max_row} 行" if m.min_row != m.max_row else "同一行"
            errors.append(
                RowError(
                    number,
                    columns[names[0]][0],
                    f"单元格 {m.ref}（{span}）是合并的，请取消合并、每一行填上自己的值后再导入",
                )
            )
    return errors
