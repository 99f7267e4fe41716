"""The Chinese Library Classification (中国图书馆分类法, 中图法), 5th edition.

Pure: no Django here. Three things live in this module:

* the syntax of a class number (分类号) and its normalisation (`validate`);
* the curated table of classes a school library uses, `data/clc.tsv` (`load`, `name_of`,
  `ancestors`, `children`); schools meet the rest of the 45,000-odd classes only as codes,
  and a code absent from the table takes the name of its nearest listed ancestor;
* shelf order (`sort_key`, `sort_string`, `call_number_sort_string`).

What `validate` accepts, after normalising (full-width to half-width, letters upper-cased,
spaces removed):

* a basic class letter, ``A B C D E F G H I J K N O P Q R S T U V X Z`` (L, M, W and Y are
  unused); only T takes a second letter, ``TB TD TE TF TG TH TJ TK TL TM TN TP TQ TS TU TV``;
* then the class digits, if any, with a point after every three digits: ``I2``, ``I287.5``,
  ``TP311.13``, ``F299.233.5``;
* then any number of auxiliary parts (复分号), each of whose digits follow the same
  three-and-a-point rule: ``-49`` general subdivision (总论复分, so ``I287.5-49`` and even
  ``Q-49``), ``(2)`` country or region (世界地区表, ``K82(2)``), ``"5"`` period (时代表),
  ``=2`` ethnic group (民族表) and ``<1>`` the table of common time, place and people.

Refused on purpose: 交替类目 in brackets (``[B019.2]``, ``{G6}``), the combining signs ``:``
and ``+`` (组配、联合, which belong to one subject heading, not to a shelf), a book number
after ``/`` (that is a call number: see `call_number_sort_string`), and the alternative law
notation ``DF``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

# The 22 basic classes in CLC order, which happens to be alphabetical order.
BASIC_CLASSES = "ABCDEFGHIJKNOPQRSTUVXZ"
# The second letters of T's two-letter classes (TB 一般工业技术 … TV 水利工程).
T_SUBCLASSES = "BDEFGHJKLMNPQSUV"

DATA_FILE = Path(__file__).resolve().parent / "data" / "clc.tsv"

# Digits with a point after every three: "2", "28", "287", "287.5", "299.233.5".
_NUMBER = r"(?:\d{3}(?:\.\d{3})*(?:\.\d{1,3})?|\d{1,2})"
_CLASS = r"(?:T[" + T_SUBCLASSES + r"]?|[" + BASIC_CLASSES.replace("T", "") + r"])"
# Auxiliary parts: the opening sign, the closing sign (may be empty), and a rank for sorting.
_AUXILIARIES = {"-": ("", 1), "(": (")", 2), "=": ("", 3), '"': ('"', 4), "<": (">", 5)}
_AUXILIARY = (
    "(?:"
    + "|".join(
        re.escape(sign) + _NUMBER + re.escape(close) for sign, (close, _) in _AUXILIARIES.items()
    )
    + ")"
)

CLASS_NUMBER = re.compile(
    f"(?P<letters>{_CLASS})(?P<digits>{_NUMBER})?(?P<auxiliaries>{_AUXILIARY}*)"
)
"""A normalised CLC class number; use with ``fullmatch``."""

_NUMBER_AT = re.compile(_NUMBER)
_AUXILIARY_AT = re.compile(_AUXILIARY)
_DIGITS_AND_POINTS = re.compile(r"[\d.]+")

# Limits that keep `sort_string` fixed-width; real class numbers stay well inside them.
MAX_DIGITS = 16
MAX_AUXILIARIES = 4
MAX_AUXILIARY_DIGITS = 8

# Characters that NFKC leaves alone but cataloguers type for "-", "." and '"'.
_LOOKALIKES = str.maketrans({"—": "-", "–": "-", "‐": "-", "。": ".", "“": '"', "”": '"'})


class ClcError(ValueError):
    """A class number or call number that does not fit CLC syntax; the message is for people."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)
    return "".join(text.split()).upper()


def _refuse(shown: str, reason: str) -> ClcError:
    return ClcError(f"分类号“{shown}”不符合中图法格式：{reason}")


def validate(code: str) -> str:
    """Return `code` normalised (half-width, upper case, no spaces) if it is a CLC class number.

    Raises ClcError, in Chinese and naming the code, saying what is wrong. The syntax
    accepted is described in the module docstring.
    """
    shown = code.strip()
    text = _normalise(code)
    if not text:
        raise _refuse(shown, "分类号为空")
    first = text[0]
    if first in "[{":
        raise _refuse(shown, "方括号、花括号里的是交替类目或停用类目，请用正式类号")
    if not ("A" <= first <= "Z"):
        raise _refuse(shown, "应以基本大类字母开头，如 I287.5、TP311")
    if first not in BASIC_CLASSES:
        raise _refuse(shown, f"中图法没有“{first}”大类（L、M、W、Y 未使用）")
    position = 1
    if position < len(text) and "A" <= text[position] <= "Z":
        second = text[position]
        if first != "T":
            raise _refuse(shown, "只有 T 类有双字母类号（TB～TV）")
        if second not in T_SUBCLASSES:
            raise _refuse(shown, f"T 类没有“T{second}”这个类，可用 TB、TD、TE…TV")
        position += 1
    if position < len(text) and text[position] in "0123456789.":
        run = _DIGITS_AND_POINTS.match(text, position)
        assert run is not None
        number = _NUMBER_AT.match(text, position)
        if number is None or number.end() != run.end():
            raise _refuse(shown, "数字部分应每三位数字加一个小数点，如 I287.5、TP311.13")
        if len(number.group().replace(".", "")) > MAX_DIGITS:
            raise _refuse(shown, f"数字部分超过 {MAX_DIGITS} 位")
        position = number.end()
    auxiliaries = 0
    while position < len(text):
        part = _AUXILIARY_AT.match(text, position)
        if part is None:
            raise _refuse(shown, _why_not_auxiliary(text[position:]))
        auxiliaries += 1
        if auxiliaries > MAX_AUXILIARIES:
            raise _refuse(shown, f"复分号超过 {MAX_AUXILIARIES} 个")
        if sum(c.isdigit() for c in part.group()) > MAX_AUXILIARY_DIGITS:
            raise _refuse(shown, f"复分号“{part.group()}”超过 {MAX_AUXILIARY_DIGITS} 位")
        position = part.end()
    assert CLASS_NUMBER.fullmatch(text), text
    return text


def _why_not_auxiliary(rest: str) -> str:
    if rest[0] in ":+":
        return "不支持组配符“:”和联合符“+”，请只填一个分类号"
    if rest[0] == "/":
        return "“/”后面是书次号，这里只填分类号"
    if rest[0] in _AUXILIARIES:
        return f"复分号“{rest}”不完整或数字没有每三位加小数点"
    return f"无法识别“{rest}”"


def _parse(code: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Split a validated code into letters, digits without points, and (sign, digits) parts."""
    match = CLASS_NUMBER.fullmatch(code)
    assert match is not None, code
    parts = tuple(
        (part[0], "".join(c for c in part if c.isdigit()))
        for part in _AUXILIARY_AT.findall(match.group("auxiliaries"))
    )
    return match.group("letters"), (match.group("digits") or "").replace(".", ""), parts


def _with_points(digits: str) -> str:
    return ".".join(digits[i : i + 3] for i in range(0, len(digits), 3))


def _auxiliary(sign: str, digits: str) -> str:
    return sign + _with_points(digits) + _AUXILIARIES[sign][0]


def _prefixes(code: str) -> list[str]:
    """Every shortening of a validated code, from its basic class letter to the code itself."""
    letters, digits, parts = _parse(code)
    prefixes = [letters[:1], letters] if len(letters) == 2 else [letters]
    prefixes += [letters + _with_points(digits[:n]) for n in range(1, len(digits) + 1)]
    written = letters + _with_points(digits)
    for sign, number in parts:
        prefixes += [written + _auxiliary(sign, number[:n]) for n in range(1, len(number) + 1)]
        written += _auxiliary(sign, number)
    return prefixes


@functools.cache
def load() -> dict[str, str]:
    """The curated table, code → 类名, read once from data/clc.tsv. Treat it as read-only."""
    table: dict[str, str] = {}
    with DATA_FILE.open(encoding="utf-8") as rows:
        header = next(rows).rstrip("\n")
        if header != "code\tname":
            raise ClcError(f"{DATA_FILE} 的表头应为 code<TAB>name")
        for line in rows:
            if line.strip():
                code, name = line.rstrip("\n").split("\t")
                table[code] = name
    return table


def name_of(code: str) -> str | None:
    """The name of `code`, or of its nearest ancestor in the table; None if not a class number."""
    try:
        listed = ancestors(code)
    except ClcError:
        return None
    return load()[listed[-1]] if listed else None


def ancestors(code: str) -> list[str]:
    """Listed codes from the basic class down to `code` (included when listed itself).

    ``ancestors("I287.45") == ["I", "I2", "I28", "I287", "I287.4", "I287.45"]``; TP311's
    list starts ``["T", "TP", …]``. Raises ClcError for a code that is not a class number.
    """
    table = load()
    return [prefix for prefix in dict.fromkeys(_prefixes(validate(code))) if prefix in table]


def basic_class(code: str) -> str:
    """The basic class letter: "I" for I287.5, "T" for TP311 (T's subclasses fold into T)."""
    return validate(code)[0]


@functools.cache
def _children_by_parent() -> dict[str | None, list[tuple[str, str]]]:
    table = load()
    children: dict[str | None, list[tuple[str, str]]] = {}
    for code in sorted(table, key=sort_key):
        above = ancestors(code)[:-1]
        children.setdefault(above[-1] if above else None, []).append((code, table[code]))
    return children


def children(code: str | None) -> list[tuple[str, str]]:
    """The listed classes directly under `code` in CLC order; None gives the 22 basic classes.

    "Directly under" means that `code` is their nearest listed ancestor, so TB…TV are the
    children of T, and Q-49 comes before Q1 among the children of Q.
    """
    key = None if code is None else validate(code)
    return list(_children_by_parent().get(key, []))


def sort_key(code: str) -> tuple[int | str, ...]:
    """Shelf order of class numbers, as a flat tuple of ints and strings.

    Basic classes in CLC order with T's two-letter classes after T, then the digits compared
    digit by digit as a decimal fraction (I2 < I20 < I206 < I21; I247.5 < I247.57 < I247.7),
    then the auxiliary parts (I287.5 < I287.5-49 < I287.51). Raises ClcError if not valid.
    """
    letters, digits, parts = _parse(validate(code))
    key: list[int | str] = [BASIC_CLASSES.index(letters[0]), letters[1:], digits]
    for sign, number in parts:
        key += [_AUXILIARIES[sign][1], number]
    return tuple(key)


# Digit d is written as _SHIFTED[d] so that "0" is free to pad, sorting before every digit.
# Only [0-9A-Z] is used: database collations other than "C" may ignore punctuation.
_SHIFTED = "123456789A"


def _shifted(digits: str, width: int) -> str:
    return "".join(_SHIFTED[int(d)] for d in digits).ljust(width, "0")


SORT_STRING_LENGTH = 2 + MAX_DIGITS + MAX_AUXILIARIES * (1 + MAX_AUXILIARY_DIGITS)


def sort_string(code: str) -> str:
    """A fixed-width string of [0-9A-Z] whose plain (byte) order equals `sort_key` order.

    Meant for a database column; give it a binary or "C" collation. Raises ClcError if not
    valid.
    """
    letters, digits, parts = _parse(validate(code))
    text = letters.ljust(2, "0") + _shifted(digits, MAX_DIGITS)
    for sign, number in parts:
        text += str(_AUXILIARIES[sign][1]) + _shifted(number, MAX_AUXILIARY_DIGITS)
    return text.ljust(SORT_STRING_LENGTH, "0")


# A call number (索书号) is "class/book number", then optional distinguishers (辅助区分号)
# such as ":2", "-2" or "/2005". A book number is a 种次号 (digits) or an author number
# (著者号: GCAT "G932", Cutter "S123", or a four-corner number such as "6075").
_BOOK_NUMBER = re.compile(r"[A-Z]*\d+|[A-Z]+")
_DISTINGUISHER = re.compile(r"[:\-/.]([A-Z0-9]+)")
_MAX_DISTINGUISHERS = 3
_SEQUENCE_WIDTH = 8  # 种次号 up to 99,999,999
_AUTHOR_SYMBOLS = 12  # author numbers up to 12 letters and digits
_PART_WIDTH = 12
_BOOK_WIDTH = 1 + 2 * _AUTHOR_SYMBOLS + _MAX_DISTINGUISHERS * (1 + _PART_WIDTH)
CALL_NUMBER_SORT_STRING_LENGTH = SORT_STRING_LENGTH + _BOOK_WIDTH
_SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _pairs(text: str, symbols: int) -> str:
    # Two digits per symbol: "00" pads, "01".."10" are 0-9, "11".."36" are A-Z.
    return "".join(f"{_SYMBOLS.index(c) + 1:02d}" for c in text).ljust(2 * symbols, "0")


def call_number_sort_string(call_number: str, *, four_corner: bool = False) -> str:
    """A fixed-width string whose plain order is shelf order of call numbers (索书号).

    The class part sorts by `sort_string`, so I287.5/12 < I287.51/1 whatever the book
    numbers. Then the book number: a 种次号 compares as an integer (/12 < /102); an author
    number with letters compares letter by letter (G93 < G932 < G94), and so does an
    all-digit book number when `four_corner` says the library uses four-corner author numbers.
    Then up to three distinguishers after ":", "-", "/" or ".", numbers as integers
    (I287.5/12 < I287.5/12:2 < I287.5/13). A call number without a book number ("I287.5")
    comes first in its class. Raises ClcError, in Chinese, for anything else.
    """
    text = _normalise(call_number)
    class_part, slash, rest = text.partition("/")
    try:
        written = sort_string(class_part)
    except ClcError as error:
        raise ClcError(f"索书号“{call_number.strip()}”的分类号有误：{error}") from error
    if not slash:
        return written.ljust(CALL_NUMBER_SORT_STRING_LENGTH, "0")
    book = _BOOK_NUMBER.match(rest)
    if book is None:
        raise ClcError(f"索书号“{call_number.strip()}”缺少书次号（“/”后应是种次号或著者号）")
    written += _book_part(book.group(), four_corner=four_corner, shown=call_number)
    position, count = book.end(), 0
    while position < len(rest):
        part = _DISTINGUISHER.match(rest, position)
        count += 1
        if part is None or count > _MAX_DISTINGUISHERS:
            raise ClcError(f"索书号“{call_number.strip()}”无法识别“{rest[position:]}”")
        written += _distinguisher(part.group(1), shown=call_number)
        position = part.end()
    return written.ljust(CALL_NUMBER_SORT_STRING_LENGTH, "0")


def _book_part(book: str, *, four_corner: bool, shown: str) -> str:
    if book.isdigit() and not four_corner:
        if len(str(int(book))) > _SEQUENCE_WIDTH:
            raise ClcError(f"索书号“{shown.strip()}”的种次号太长")
        return "1" + str(int(book)).zfill(_SEQUENCE_WIDTH).ljust(2 * _AUTHOR_SYMBOLS, "0")
    if len(book) > _AUTHOR_SYMBOLS:
        raise ClcError(f"索书号“{shown.strip()}”的著者号太长")
    return "2" + _pairs(book, _AUTHOR_SYMBOLS)


def _distinguisher(part: str, *, shown: str) -> str:
    if part.isdigit() and len(str(int(part))) <= _PART_WIDTH:
        return "1" + str(int(part)).zfill(_PART_WIDTH)
    if len(part) > _PART_WIDTH // 2:
        raise ClcError(f"索书号“{shown.strip()}”的辅助区分号“{part}”太长")
    return "2" + _pairs(part, _PART_WIDTH // 2)
