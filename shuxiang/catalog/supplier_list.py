"""The supplier's list (馆配清单): the Excel file a book supplier sends with a delivery.

Each supplier names its columns differently and adds a title row, a totals row and odd
formatting; `read_supplier_list` finds the columns, checks each row and turns the good
ones into `BibData`. Rows with mistakes come back as `RowError`s beside the good rows; the
caller decides whether to import the good rows or send the file back. Pure: no Django here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from shuxiang.catalog.bibdata import AUTHOR_ROLES, BibData, Contributor
from shuxiang.lib.xlsx import (
    HeaderMatch,
    RowError,
    Source,
    find_header,
    merged_cell_errors,
    merged_ranges,
    read_rows,
)

T = TypeVar("T")

# Field → the names suppliers give its column; the first is the name used in messages.
COLUMNS: dict[str, list[str]] = {
    "order_number": ["订单号", "订购号", "订单编号", "征订号"],
    "title": ["书名", "题名", "正题名", "图书名称", "品名"],
    "other_title": ["副书名", "副题名", "其他题名", "副标题"],
    "class_number": ["分类号", "中图分类号", "中图法分类号", "CLC"],
    "isbn": ["ISBN", "书号", "国际标准书号", "ISBN号", "条码"],
    "price": ["定价", "单价", "价格", "码洋单价", "定价(元)"],
    "author": ["作者", "著者", "责任者", "编著者", "第一责任者"],
    "publisher": ["出版社", "出版者", "出版单位"],
    "date": ["出版日期", "出版时间", "出版年", "版次时间"],
    "copies": ["复本数", "册数", "数量", "订数", "复本"],
    "summary": ["简介", "内容简介", "摘要", "提要"],
    "series": ["丛书", "丛书名", "丛编"],
    "pages": ["页数", "页码"],
    "edition": ["版次"],
    "audience": ["读者对象"],
}
REQUIRED = {"title"}
MAX_COPIES = 200  # more copies of one title in a school is a typo, not an order


@dataclass
class SupplierRow:
    row: int  # Excel row number
    order_number: str
    bib: BibData  # holdings empty; bib.position is the Excel row number
    copies: int
    audience: str = ""  # 读者对象 as given; BibData has no place for it


@dataclass
class SupplierList:
    rows: list[SupplierRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    header: HeaderMatch | None = None


def read_supplier_list(source: Source) -> SupplierList:
    """Read a 馆配清单 (.xlsx); raise `XlsxError` when the file or its header is unusable.

    Rows above the header, blank rows and totals rows ("合计", "总计", "小计") are skipped.
    Every other row becomes a `SupplierRow` or, when something in it is wrong, one
    `RowError` per mistake. Rows that a merged range touches are refused, because all but
    the first of them would silently lose the merged value.
    """
    all_rows = list(read_rows(source))
    header = find_header(all_rows, COLUMNS, required=REQUIRED)
    result = SupplierList(header=header)
    merged = [
        m
        for m in merged_ranges(source)
        if m.max_row > header.row and any(m.touches_column(i) for i in header.columns.values())
    ]
    seen: dict[tuple[str, str], int] = {}  # (order number, ISBN) → first row
    for number, cells in all_rows:
        if number <= header.row or _is_totals(cells, header) or _is_header(cells, header):
            continue
        errors = merged_cell_errors(number, merged, header, COLUMNS)
        row = None
        if not errors:
            row, errors = _read_row(number, cells, header)
        # Rows with other mistakes count too, so that one upload reports every problem.
        key = (header.get(cells, "order_number"), _isbn_or_blank(header.get(cells, "isbn")))
        if key[1] and key in seen:
            message = f"与第 {seen[key]} 行重复（订单号和 ISBN 都相同）"
            errors.append(RowError(number, COLUMNS["isbn"][0], message))
        elif key[1]:
            seen[key] = number
        if errors:
            result.errors.extend(errors)
        elif row is not None:
            result.rows.append(row)
    return result


# "合计", "合 计", "合计：120种 350册", "总计(元)"; not a title such as "合计算术题".
_TOTALS = re.compile(r"(合计|总计|小计|共计)([:：(（\d].*)?")


def _is_totals(cells: list[str], header: HeaderMatch) -> bool:
    title = header.get(cells, "title")
    for cell in cells[:3]:
        if _TOTALS.fullmatch("".join(cell.split())) and (not title or title == cell):
            return True
    return False


def _is_header(cells: list[str], header: HeaderMatch) -> bool:
    """Whether the row repeats the header, as lists printed page by page do."""
    return all(header.get(cells, name) == label for name, label in header.labels.items())


def _isbn_or_blank(text: str) -> str:
    try:
        return parse_isbn(text)
    except ValueError:
        return ""


def _read_row(
    number: int, cells: list[str], header: HeaderMatch
) -> tuple[SupplierRow | None, list[RowError]]:
    def text(name: str) -> str:
        return header.get(cells, name)

    errors: list[RowError] = []

    def check(name: str, parse: Callable[[str], T], default: T) -> T:
        try:
            return parse(text(name))
        except ValueError as exc:
            errors.append(RowError(number, COLUMNS[name][0], str(exc)))
            return default

    title = text("title")
    if not title:
        errors.append(RowError(number, COLUMNS["title"][0], "没有填写书名"))
    isbn = check("isbn", parse_isbn, "")
    price = check("price", parse_price, None) if "price" in header.columns else None
    copies = check("copies", parse_copies, 1)
    date = check("date", parse_date, "")
    if errors:
        return None, errors
    author = text("author")
    bib = BibData(
        title=title,
        other_title=text("other_title"),
        responsibility=author,
        contributors=parse_contributors(author),
        publisher=text("publisher"),
        date=date,
        edition=text("edition"),
        isbns=[isbn] if isbn else [],
        price=price,
        pages=text("pages"),
        series=text("series"),
        summary=text("summary"),
        class_number=text("class_number").upper(),
        position=number,
    )
    row = SupplierRow(
        row=number,
        order_number=text("order_number"),
        bib=bib,
        copies=copies,
        audience=text("audience"),
    )
    return row, []


_ISBN_PREFIX = re.compile(r"^ISBN[:：]?\s*", re.IGNORECASE)


def parse_isbn(text: str) -> str:
    """The compact ISBN-13 of an ISBN-10 or -13 written with or without hyphens; "" for ""."""
    if not text:
        return ""
    try:
        number = stdnum_isbn.validate(_ISBN_PREFIX.sub("", text))
    except InvalidChecksum:
        raise ValueError(f"{text} 校验位错误") from None
    except InvalidLength:
        raise ValueError(f"“{text}”位数不对，ISBN 是 10 位或 13 位") from None
    except InvalidComponent:
        raise ValueError(f"“{text}”不是 ISBN（13 位的 ISBN 以 978 或 979 开头）") from None
    except ValidationError:
        raise ValueError(f"“{text}”不是 ISBN") from None
    return stdnum_isbn.to_isbn13(number)


_AMOUNT = re.compile(r"(?:CNY|RMB|¥|￥)?\s*(\d+(?:\.\d*)?|\.\d+)\s*元?", re.IGNORECASE)
_CENT = Decimal("0.01")


def parse_price(text: str) -> Decimal:
    """A positive amount in yuan with two decimal places: "25", "¥25.00", "25元", "CNY25.00"."""
    if not text:
        raise ValueError("没有填写定价")
    match = _AMOUNT.fullmatch(text.replace(",", ""))
    if match is None:
        raise ValueError(f"“{text}”不是金额")
    try:
        amount = Decimal(match.group(1)).quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是金额") from None
    if amount <= 0:
        raise ValueError(f"“{text}”不是大于 0 的金额")
    return amount


_COPIES = re.compile(r"(\d+)\s*[册本套]?")


def parse_copies(text: str) -> int:
    """A whole number of copies from 1 to `MAX_COPIES`; 1 when blank."""
    if not text:
        return 1
    match = _COPIES.fullmatch(text)
    if match is None:
        raise ValueError(f"“{text}”不是整数")
    copies = int(match.group(1))
    if copies < 1:
        raise ValueError("至少 1 册")
    if copies > MAX_COPIES:
        raise ValueError(f"{copies} 册超过了 {MAX_COPIES} 册，请核对")
    return copies


# "2016-05-01", "2016.5", "2016/5", "2016年5月", "2016年5月第1版", "2016年", "2016"
_DATE = re.compile(r"(\d{4})\s*(?:[年./-]\s*(?:(\d{1,2})(?!\d)\s*(?:月|[./-]|日|$))?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})?")  # "201605", "20160501"


def parse_date(text: str) -> str:
    """ "YYYY" or "YYYY-MM" from the ways suppliers write a publication date.

    Text with no year at its start (e.g. "不详") is kept as given; a month outside 1–12 is
    an error.
    """
    match = _COMPACT_DATE.fullmatch(text) or _DATE.match(text)
    if match is None:
        return text
    year, month = match.group(1), match.group(2)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        raise ValueError(f"“{text}”不是日期（月份不对）")
    return f"{year}-{int(month):02d}"


# Longest first, so that "主编" is not read as "编" after "主".
_ROLES = sorted(
    {*AUTHOR_ROLES, "编写", "选编", "编译", "翻译", "绘图", "整理", "原著"}, key=len, reverse=True
)
_STATEMENTS = re.compile(r"[;；]")
_NAMES = re.compile(r"[,，、]")


def parse_contributors(text: str) -> list[Contributor]:
    """The people of an author statement, each with the role word that follows the names.

    "曹雪芹著" → 曹雪芹/著; "杨红樱 主编" → 杨红樱/主编; "[美]E.B.怀特著；任溶溶译" → two
    contributors; "张三、李四编" → both with 编. A name without a role word is 著. "等"
    before the role ("杨红樱等著") is dropped. Nationality marks stay in the name.
    """
    contributors = []
    for statement in _STATEMENTS.split(text):
        names, role = _split_role(statement.strip())
        for name in _NAMES.split(names):
            name = name.strip()
            if name:
                contributors.append(Contributor(name=name, role=role))
    return contributors


def _split_role(statement: str) -> tuple[str, str]:
    for role in _ROLES:
        if statement.endswith(role):
            names = statement[: -len(role)].rstrip()
            names = names.removesuffix("等").rstrip()
            # A one-character role word after a one-character rest is more likely a name
            # ("李编"); Chinese names have two characters or more.
            if len(names) >= 2 or (len(role) > 1 and names):
                return names, role
    return statement.removesuffix("等").rstrip(), "著"
