"""Reading and writing MARC records: CNMARC (UNIMARC) and MARC 21, ISO 2709 and MARCXML.

Pure: no Django, no database. `read` turns a byte stream into `MarcResult`s, one per record,
each holding a `BibData` or a Chinese message saying what is wrong with that record; the
writers turn `BibData` back into ISO 2709 (UTF-8) or MARCXML.

Contract of `read`:

* It streams. The stream is read in 1 MiB blocks and split at the record terminator 0x1D,
  so a file of 100,000 records is read with flat memory, and the stream need not be
  seekable. A record whose bytes are wrong (length or directory not matching the data,
  bad leader, truncated) gives an error result and reading resumes after the next 0x1D.
  When a record was cut short and the next one follows it directly, the next one is
  recovered from the tail of the damaged chunk.
* Encoding ("auto"): the data area of each record is decoded as strict UTF-8, else as
  strict GB18030 (a superset of GBK and GB2312), whatever leader/09 says, because Chinese
  suppliers write GBK under a blank or even an 'a' leader/09. The first record with
  non-ASCII bytes fixes the encoding of the file; a later record in the other encoding is
  refused rather than decoded into mojibake. A forced "utf-8" refuses GBK records and a
  forced "gbk" refuses UTF-8 ones, saying which encoding the bytes look like. Titles,
  responsibility, names, publisher, place and series are also checked for the marks of an
  earlier bad conversion (U+FFFD, C1 control characters, UTF-8 read as Latin-1, or a high
  share of Latin-1 letters, "锟斤拷") and such records are refused. MARC-8 (old Western
  MARC 21) is not supported: a non-UTF-8 record with MARC-8 escape sequences is refused;
  MARC-8 diacritics without escapes may still pass as GBK.
* Flavour ("auto"): per record, 200 $a means CNMARC and 245 means MARC 21; with both, the
  leader decides ("4500" at 20-23 is MARC 21). A forced flavour refuses a record that
  clearly is the other one.
* MARCXML (the stream starts with "<") is parsed incrementally with ElementTree's pull
  parser; the encoding is the one the XML declaration names (GBK declarations work
  because the bytes are decoded here, expat cannot). A malformed document ends the read
  with one error result, since XML gives no point to resume from.

Why not pymarc for reading: `pymarc.Record(data)` builds Field and Subfield objects for
every field and decodes every subfield on its own. On 100,000 synthetic Chinese CNMARC
records (bench/bench_marc_parse.py, 2-core machine) pymarc's bare MARCReader parses
11,700 records/s (GBK) and 13,600 (UTF-8), before any mapping; this module parses and
maps 19,200 and 20,100. Its own ISO 2709 reader validates the directory with one regular
expression and one split of the data area, decodes the whole data area in one call (that
call is also the encoding check) and keeps only the fields that are mapped. It also
checks more than pymarc does: the declared record length, the base address, and each
directory entry's length and start against the field terminators. pymarc is not imported
here; the tests and the benchmark use it as an independent check.

Mapping choices (reading):

* 606 / 650 subject subdivisions ($x $y $z $j / $v) join the heading with "-", as Chinese
  OPACs show them ("中国-历史-通俗读物").
* 200 with several $a joins them with "；"; several $e with " : "; $f and $g with " ; ";
  $h and $i (245 $n and $p) are appended as "题名. 分册号, 分册名".
* Contributors come from 700/701/702 and 710/711/712 (in tag order; 70X/71X $4 gives the
  role, as text such as "主编" or as a UNIMARC relator code such as 070 or 730; the default
  is 著 for 700/701/710/711 and 编 for 702/712). Without any of these fields they are
  derived from 200 $f and $g: split at spaces and commas, leading "(清)" or "[美]" dropped,
  trailing role words (著, 编, 主编, 译, 绘, 编著, ... and "等著") taken as the role of
  the names before them.
* 905 (local holdings): $b is the accession number (登录号); the barcode is $x, else an
  alphanumeric $h, else $b (school libraries usually use one number for both); the call
  number is "$d/$e" ($d missing: class number from 690 + "/" + $e); the location is $c,
  else $a. $f (volume) is ignored and 905 carries no price.
* 010 $d / 020 $c price: the number in "CNY29.80", "29.80元", "RMB29.00", "CNY59.70
  (含光盘)", "¥29.80"; a price in another currency (USD, $, HK...) gives no price.
* Dates (210 $d, 260/264 $c) become "YYYY" or "YYYY-MM" when a year is found ("2016." ->
  "2016", "2010.09" -> "2010-09", "c2016." -> "2016"); otherwise they are kept as given.
* MARC 21 holdings: 852 ($p barcode, "$h/$i" call number, $b else $c location) and Koha
  952 ($p barcode, $o call number, $c else $a location, $i accession number, $g else $v
  price). Language: 041 $a, else 008/35-37.

Writing: one UTF-8 ISO 2709 record per chunk, lengths and base address counted in bytes.
CNMARC leader "nnnnnnam0 22bbbbb   450 " (leader/09 blank, as UNIMARC wants); MARC 21
leader "nnnnnnam a22bbbbb c 4500" (leader/09 'a' = Unicode, 18 'c' = no ISBD
punctuation, which is why none is written). In CNMARC 905 the barcode goes in $x (always,
when there is one) beside $b accession number. MARC 21 carries the language in 008 and a
contributor's role both as $e (the Chinese term, so it reads back unchanged) and as a $4
relator code (aut, edt, trl, ill, ...) for other systems. A field longer than the 9,999
bytes ISO 2709 allows is cut at a character boundary (only a very long summary can be).
"""

from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import BinaryIO

from shuxiang.catalog.bibdata import BibData
from shuxiang.catalog.marc_format import (
    FIELD_END,
    MAX_RECORD,
    RECORD_END,
    SUBFIELD,
)
from shuxiang.catalog.marc_mapping import (  # noqa: F401 - part of this module's API
    contributors_from_statement,
    map_cnmarc,
    map_marc21,
    normalise_date,
    parse_price,
)
from shuxiang.catalog.marc_writing import (  # noqa: F401 - the public API of this module
    reencode,
    write_cnmarc,
    write_marc21,
    write_marcxml,
)

FLAVOURS = ("auto", "cnmarc", "marc21")
ENCODINGS = ("auto", "utf-8", "gbk")

BLOCK_SIZE = 1 << 20

# Only these fields are decoded into text; the others are validated and skipped.
_MAPPED_TAGS = frozenset(
    "001 008 010 020 041 084 100 101 110 200 205 210 214 215 225 245 250 260 264 300 330 "
    "490 520 606 650 690 700 701 702 710 711 712 852 905 952".split()
)


@dataclass
class MarcResult:
    position: int  # 1-based number of the record in the file
    bib: BibData | None
    error: str | None  # "第 3 条记录：..." when the record cannot be used
    flavour: str = ""  # "cnmarc" or "marc21"; "" when it could not be told
    encoding: str = ""  # "utf-8" or "gbk"; "" when it could not be told


class _RecordError(Exception):
    """What is wrong with one record, in Chinese, without the "第 N 条记录" prefix."""


# ---------------------------------------------------------------------------------------
# Reading: the stream


def read(
    stream: BinaryIO, *, flavour: str = "auto", encoding: str = "auto"
) -> Iterator[MarcResult]:
    """Yield one `MarcResult` per record of an ISO 2709 or MARCXML byte stream, lazily.

    `flavour` is "auto", "cnmarc" or "marc21"; `encoding` is "auto", "utf-8" or "gbk"
    ("gbk" decodes as GB18030) and is ignored for MARCXML, which declares its own.
    Never raises for bad data: every problem is an error result. ValueError for an
    unknown flavour or encoding is raised at once, before the stream is touched.
    """
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {FLAVOURS}, not {flavour!r}")
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, not {encoding!r}")
    return _read(stream, flavour, encoding)


def _read(stream: BinaryIO, flavour: str, encoding: str) -> Iterator[MarcResult]:
    head = b""
    while len(head) < 512:
        block = stream.read(BLOCK_SIZE)
        if not block:
            break
        head += block
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<"):
        yield from _read_marcxml(stream, start, flavour)
    else:
        yield from _read_iso2709(stream, head, flavour, encoding)


def _chunks(stream: BinaryIO, head: bytes) -> Iterator[tuple[bytes, str]]:
    """Yield (bytes of one record without its terminator, how it ended).

    How it ended: "ok" (at a 0x1D), "end" (the stream ended first) or "long" (more than a
    record can hold without a 0x1D: reported once, then skipped up to the next 0x1D, so
    that memory stays flat on a file that is not MARC at all).
    """
    pending = b""
    block = head
    skipping = False
    while block:
        pieces = (pending + block).split(RECORD_END)
        pending = pieces.pop()
        for piece in pieces:
            if skipping:
                skipping = False
                continue
            yield piece, "ok"
        if skipping:
            pending = b""
        elif len(pending) > MAX_RECORD:
            yield pending, "long"
            pending, skipping = b"", True
        block = stream.read(BLOCK_SIZE)
    if pending.strip(b" \t\r\n\x00\x1a"):
        yield pending, "end"


_TAIL_LEADER = re.compile(rb"\d{5}[\x20-\x7e]{7}\d{5}[\x20-\x7e]{7}")


def _tail_record(chunk: bytes) -> int:
    """Where a whole record starts inside a chunk whose first part is damaged, or 0."""
    position = 1
    while match := _TAIL_LEADER.search(chunk, position):
        start = match.start()
        if int(chunk[start : start + 5]) == len(chunk) - start + 1:
            return start
        position = start + 1
    return 0


def _read_iso2709(
    stream: BinaryIO, head: bytes, flavour: str, encoding: str
) -> Iterator[MarcResult]:
    decoder = _Decoder(encoding)
    position = 0
    for raw, ending in _chunks(stream, head):
        chunk = raw.lstrip(b" \t\r\n\x00\x1a")
        if not chunk:
            continue
        position += 1
        if ending == "long":
            yield _error(position, "超过 99999 字节仍没有记录结束符，不是有效的 ISO 2709 数据")
            continue
        if ending == "end":
            yield _error(position, _truncation_message(chunk, at_end=True))
            continue
        declared = chunk[:5]
        if not (declared.isdigit() and int(declared) == len(chunk) + 1):
            tail = _tail_record(chunk)
            if tail:
                yield _error(position, _truncation_message(chunk[:tail], at_end=False))
                position += 1
                chunk = chunk[tail:]
        yield _parse_iso_record(chunk, position, flavour, decoder)


def _truncation_message(chunk: bytes, *, at_end: bool) -> str:
    if not chunk[:5].isdigit():
        return "不是 MARC 记录（开头不是 5 位数字的记录长度），已跳到下一条记录"
    declared = int(chunk[:5])
    if at_end:
        return f"目录长度不符（记录截断）：声明 {declared} 字节，文件结束时只有 {len(chunk)} 字节"
    return f"目录长度不符（记录截断）：声明 {declared} 字节，下一条记录之前只有 {len(chunk)} 字节"


def _error(position: int, message: str, flavour: str = "", encoding: str = "") -> MarcResult:
    return MarcResult(position, None, f"第 {position} 条记录：{message}", flavour, encoding)


# ---------------------------------------------------------------------------------------
# Reading: one ISO 2709 record

_DIRECTORY = re.compile(r"([0-9A-Za-z]{3})([0-9]{4})([0-9]{5})")


def _parse_iso_record(chunk: bytes, position: int, flavour: str, decoder: _Decoder) -> MarcResult:
    encoding = ""
    detected = ""
    try:
        leader, base = _check_leader(chunk)
        text, encoding = decoder.decode(chunk[base:])
        fields = _fields(chunk, base, text, decoder.codec(encoding))
        detected = _flavour(fields, leader, flavour)
        bib = map_cnmarc(fields) if detected == "cnmarc" else map_marc21(fields)
        _check_bib(bib, detected)
    except _RecordError as error:
        return _error(position, str(error), detected, encoding)
    bib.position = position
    return MarcResult(position, bib, None, detected, encoding)


def _check_leader(chunk: bytes) -> tuple[str, int]:
    """The leader and the base address, once the lengths in the leader are checked."""
    length_digits = chunk[:5]
    if not length_digits.isdigit():
        shown = length_digits.decode("ascii", "replace")
        raise _RecordError(f"记录长度不是数字（开头为“{shown}”），不是有效的 ISO 2709 记录")
    declared, actual = int(length_digits), len(chunk) + 1
    if declared != actual:
        problem = "目录长度不符（记录截断）" if declared > actual else "记录长度不符（比声明的长）"
        raise _RecordError(f"{problem}：声明 {declared} 字节，实际 {actual} 字节")
    if len(chunk) < 25:
        raise _RecordError("头标区无效：记录不足 24 字节")
    try:
        leader = chunk[:24].decode("ascii")
    except UnicodeDecodeError:
        raise _RecordError("头标区无效：含非 ASCII 字符") from None
    if not leader[12:17].isdigit():
        raise _RecordError(f"头标区无效：数据基地址“{leader[12:17]}”不是数字")
    base = int(leader[12:17])
    if base < 25 or base > len(chunk) or chunk[base - 1] != 0x1E:
        raise _RecordError(f"目录长度不符：数据基地址 {base} 与目录区不符")
    return leader, base


def _fields(chunk: bytes, base: int, text: str, codec: str) -> dict[str, list[str]]:
    """The mapped fields of a record, tag -> texts, after checking every directory entry.

    `text` is the decoded data area, `codec` the codec that decoded it.
    """
    try:
        directory = chunk[24 : base - 1].decode("ascii")
    except UnicodeDecodeError:
        raise _RecordError("目录长度不符：目录区含非 ASCII 字符") from None
    entries = _DIRECTORY.findall(directory)
    if len(entries) * 12 != len(directory):
        raise _RecordError("目录长度不符：目录区长度不是 12 的倍数，或长度、位置不是数字")
    fields: dict[str, list[str]] = {}
    lengths = [int(entry[1]) for entry in entries]
    if _back_to_back(chunk[base:], entries, lengths):
        # 0x1E is never part of a UTF-8 or GB18030 character, so the decoded data area
        # splits into the same fields as the bytes did.
        for (tag, _length, _start), piece in zip(entries, text.split(FIELD_END), strict=False):
            if tag in _MAPPED_TAGS:
                fields.setdefault(tag, []).append(piece)
        return fields
    data_length = len(chunk) - base
    for tag, length_text, start_text in entries:
        length, start = int(length_text), int(start_text)
        end = start + length
        if length == 0 or end > data_length or chunk[base + end - 1] != 0x1E:
            raise _RecordError(f"目录长度不符：字段 {tag} 的长度或起始位置与数据不符")
        if tag in _MAPPED_TAGS:
            value = chunk[base + start : base + end - 1].decode(codec)
            fields.setdefault(tag, []).append(value)
    return fields


def _back_to_back(data: bytes, entries: list[tuple[str, str, str]], lengths: list[int]) -> bool:
    """Whether the fields lie in directory order, back to back, each ending at its 0x1E."""
    if [int(entry[2]) for entry in entries] != list(accumulate(lengths[:-1], initial=0)):
        return False
    pieces = data.split(b"\x1e")
    return (
        len(pieces) == len(entries) + 1
        and pieces[-1] == b""
        and [len(piece) + 1 for piece in pieces[:-1]] == lengths
    )


class _Decoder:
    """The encoding of a file: forced by the caller, or fixed by its first non-ASCII record."""

    def __init__(self, forced: str) -> None:
        self.forced = forced
        self.chosen = forced if forced != "auto" else ""

    @staticmethod
    def codec(encoding: str) -> str:
        return {"utf-8": "utf-8", "gbk": "gb18030"}.get(encoding, "ascii")

    def decode(self, data: bytes) -> tuple[str, str]:
        """(text, encoding name) of a record's data area; _RecordError when it is refused."""
        if data.isascii():
            return data.decode("ascii"), self.chosen or "utf-8"
        utf8 = _try_decode(data, "utf-8")
        gbk = None if utf8 is not None else _try_decode(data, "gb18030")
        found = "utf-8" if utf8 is not None else "gbk" if gbk is not None else ""
        if self.forced == "utf-8" and found != "utf-8":
            if found == "gbk":
                raise _RecordError("文件声明为 UTF-8，但内容像是 GBK 编码，请改选 GBK 重新导入")
            raise _RecordError("不是有效的 UTF-8 编码")
        if self.forced == "gbk" and found != "gbk":
            if found == "utf-8":
                raise _RecordError("文件声明为 GBK，但内容像是 UTF-8 编码，请改选 UTF-8 重新导入")
            raise _RecordError("不是有效的 GBK 编码")
        if found != "utf-8" and b"\x1b" in data:
            # Escape sequences switch character sets in MARC-8, never in GBK text.
            raise _RecordError("像是 MARC-8 编码（旧式西文 MARC 21），请先转换为 UTF-8")
        if not found:
            raise _RecordError("不是有效的 GBK/UTF-8 编码")
        if not self.chosen:
            self.chosen = found
        elif found != self.chosen:
            names = {"utf-8": "UTF-8", "gbk": "GBK"}
            raise _RecordError(
                f"与文件其他记录编码不同（文件是 {names[self.chosen]}，此记录像是 {names[found]}）"
            )
        return (utf8 if utf8 is not None else gbk) or "", found


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _flavour(fields: dict[str, list[str]], leader: str, forced: str) -> str:
    has_200 = any(f"{SUBFIELD}a" in text for text in fields.get("200", ()))
    has_245 = "245" in fields
    if forced == "cnmarc":
        if not has_200:
            if has_245:
                raise _RecordError(
                    "声明为 CNMARC，但记录像是 MARC 21（有 245 字段，没有 200 字段）"
                )
            raise _RecordError("没有题名字段（CNMARC 的 200 $a）")
        return "cnmarc"
    if forced == "marc21":
        if not has_245:
            if has_200:
                raise _RecordError(
                    "声明为 MARC 21，但记录像是 CNMARC（有 200 字段，没有 245 字段）"
                )
            raise _RecordError("没有题名字段（MARC 21 的 245）")
        return "marc21"
    if has_200 and has_245:
        return "marc21" if leader[20:24] == "4500" else "cnmarc"
    if has_200:
        return "cnmarc"
    if has_245:
        return "marc21"
    raise _RecordError("找不到题名字段：既没有 CNMARC 的 200 $a，也没有 MARC 21 的 245")


_C1_OR_REPLACEMENT = re.compile("[\x80-\x9f\ufffd]")
_UTF8_AS_LATIN1 = re.compile("[\xc2-\xf4][\xa0-\xbf]")
_LATIN1_LETTER = re.compile("[\xc0-\xff]")


def _check_bib(bib: BibData, flavour: str) -> None:
    if not bib.title:
        tag = "200 $a" if flavour == "cnmarc" else "245 $a"
        raise _RecordError(f"正题名为空（{tag}）")
    texts = [bib.title, bib.other_title, bib.responsibility, bib.publisher, bib.place]
    texts += [bib.series, *(person.name for person in bib.contributors)]
    joined = " ".join(texts)
    if joined.isascii():
        return
    if _looks_garbled(joined):
        raise _RecordError(f"文字像是乱码（正题名“{bib.title[:20]}”），可能是编码转换出错，已拒收")


def _looks_garbled(text: str) -> bool:
    """Marks of text that went through a wrong conversion before it reached us."""
    if _C1_OR_REPLACEMENT.search(text) or _UTF8_AS_LATIN1.search(text) or "锟斤拷" in text:
        return True
    if not _LATIN1_LETTER.search(text):
        return False
    latin = len(_LATIN1_LETTER.findall(text))
    letters = sum(1 for char in text if char.isalpha())
    # Accented European titles have a few; GBK read as Latin-1 is nearly all of them.
    return latin >= 3 and latin > 0.3 * letters


# ---------------------------------------------------------------------------------------
# Reading: MARCXML


def _read_marcxml(stream: BinaryIO, head: bytes, flavour: str) -> Iterator[MarcResult]:
    declared = re.search(rb"""encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", head[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in ("gbk", "gb2312", "gb18030", "cp936"):
        encoding = "gbk"
    # Expat knows no multi-byte encoding but UTF-8 and UTF-16: GBK is decoded here.
    decoder = codecs.getincrementaldecoder("gb18030")() if encoding == "gbk" else None
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    position = 0
    open_elements: list[ElementTree.Element] = []
    in_record = 0
    block = head
    try:
        while True:
            final = not block
            if decoder is not None:
                parser.feed(decoder.decode(block, final=final))
            elif block:
                parser.feed(block)
            if final:
                parser.close()
            for event, element in parser.read_events():
                is_record = _local(element.tag) == "record"
                if event == "start":
                    open_elements.append(element)
                    in_record += is_record
                    continue
                open_elements.pop()
                if is_record:
                    in_record -= 1
                    position += 1
                    yield _parse_xml_record(element, position, flavour, encoding)
                # Drop what has been read, so that memory stays flat.
                if (is_record or not in_record) and open_elements:
                    element.clear()
                    open_elements[-1].remove(element)
            if final:
                return
            block = stream.read(BLOCK_SIZE)
    except (ElementTree.ParseError, UnicodeDecodeError) as error:
        yield _error(position + 1, f"MARCXML 格式错误，已停止读取：{error}", encoding=encoding)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_xml_record(
    element: ElementTree.Element, position: int, flavour: str, encoding: str
) -> MarcResult:
    leader = ""
    fields: dict[str, list[str]] = {}
    for child in element:
        kind = _local(child.tag)
        if kind == "leader":
            leader = (child.text or "").ljust(24)
        elif kind == "controlfield":
            fields.setdefault(child.get("tag", ""), []).append(child.text or "")
        elif kind == "datafield":
            text = (child.get("ind1") or " ")[:1] + (child.get("ind2") or " ")[:1]
            for sub in child:
                if _local(sub.tag) == "subfield":
                    text += f"{SUBFIELD}{sub.get('code', ' ')[:1]}{sub.text or ''}"
            fields.setdefault(child.get("tag", ""), []).append(text)
    detected = ""
    try:
        detected = _flavour(fields, leader.ljust(24), flavour)
        bib = map_cnmarc(fields) if detected == "cnmarc" else map_marc21(fields)
        _check_bib(bib, detected)
    except _RecordError as error:
        return _error(position, str(error), detected, encoding)
    bib.position = position
    return MarcResult(position, bib, None, detected, encoding)
