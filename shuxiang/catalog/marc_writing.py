"""BibData to MARC: ISO 2709 (UTF-8) in CNMARC or MARC 21, and MARCXML. Pure.

See shuxiang.catalog.marc for the leaders and the field choices.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from shuxiang.catalog.bibdata import BibData
from shuxiang.catalog.marc_format import (
    FIELD_END,
    MARCXML_NS,
    MAX_RECORD,
    RECORD_END,
    SUBFIELD,
    Field,
)
from shuxiang.catalog.marc_mapping import RELATOR_CODES, normalise_date, split_subfields

# ---------------------------------------------------------------------------------------
# Writing

_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(value: str) -> str:
    return _UNSAFE.sub(" ", value).strip()


class _Fields(list[Field]):
    """The fields of a record being written; empty values and fields are left out."""

    def control(self, tag: str, data: str) -> None:
        if _clean(data):
            self.append((tag, _clean(data)))

    def data(self, tag: str, indicators: str, **subfields: str) -> None:
        """A data field; subfield codes that are digits go in as **{"4": value}."""
        cleaned = [(code, _clean(value)) for code, value in subfields.items()]
        body = "".join(f"{SUBFIELD}{code}{value}" for code, value in cleaned if value)
        if body:
            self.append((tag, indicators + body))


def _year(date: str) -> str:
    """The four-digit year of a date, or ""."""
    match = re.match(r"\d{4}", normalise_date(date)) if date else None
    return match.group() if match else ""


def _price_text(price: Decimal | None) -> str:
    if price is None:
        return ""
    return f"CNY{price:.2f}" if price == price.quantize(Decimal("0.01")) else f"CNY{price}"


def _cnmarc_fields(bib: BibData, today: datetime.date) -> list[Field]:
    out = _Fields()
    out.control("001", bib.control_number)
    for index, isbn in enumerate(bib.isbns or [""]):
        out.data("010", "  ", a=isbn, d=_price_text(bib.price) if index == 0 else "")
    year = _year(bib.date)
    script = "ea" if re.search("[\u4e00-\u9fff]", bib.title) else "ba"
    # 100 $a, 36 positions: entry date, date type, dates 1-2, audience, government
    # publication, modified, cataloguing language, transliteration, character sets
    # ("50" = ISO 10646, as the record is UTF-8), script of the title.
    general = f"{today:%Y%m%d}{'d' if year else 'u'}{year:4}    u  y0chiy50      {script}"
    out.data("100", "  ", a=general)
    out.data("101", "0 ", a=bib.language)
    out.data("200", "1 ", a=bib.title, e=bib.other_title, f=bib.responsibility)
    out.data("205", "  ", a=bib.edition)
    date = bib.date.replace("-", ".") if re.fullmatch(r"\d{4}-\d{2}", bib.date) else bib.date
    out.data("210", "  ", a=bib.place, c=bib.publisher, d=date)
    out.data("215", "  ", a=bib.pages)
    out.data("225", "2 ", a=bib.series)
    out.data("330", "  ", a=bib.summary)
    for subject in bib.subjects:
        out.data("606", "0 ", a=subject)
    if bib.class_number:
        out.data("690", "  ", a=bib.class_number, v="5")
    for index, person in enumerate(bib.contributors):
        out.data("701" if index == 0 else "702", " 0", a=person.name, **{"4": person.role})
    for copy in bib.holdings:
        shelf_class, _, book_number = copy.call_number.partition("/")
        out.data(
            "905",
            "  ",
            b=copy.accession_number,
            c=copy.location,
            d=shelf_class,
            e=book_number,
            x=copy.barcode,
        )
    return out


def _marc21_fields(bib: BibData, today: datetime.date) -> list[Field]:
    out = _Fields()
    out.control("001", bib.control_number)
    language = (bib.language.strip() or "chi")[:3].ljust(3)
    out.control("008", _marc21_fixed(today, _year(bib.date), language))
    for index, isbn in enumerate(bib.isbns or [""]):
        out.data("020", "  ", a=isbn, c=_price_text(bib.price) if index == 0 else "")
    if bib.class_number:
        out.data("084", "  ", a=bib.class_number, **{"2": "clc"})
    for index, person in enumerate(bib.contributors):
        code = RELATOR_CODES.get(person.role, "")
        out.data("100" if index == 0 else "700", "0 ", a=person.name, e=person.role, **{"4": code})
    indicators = "10" if bib.contributors else "00"
    out.data("245", indicators, a=bib.title, b=bib.other_title, c=bib.responsibility)
    out.data("250", "  ", a=bib.edition)
    out.data("264", " 1", a=bib.place, b=bib.publisher, c=bib.date)
    out.data("300", "  ", a=bib.pages)
    out.data("490", "0 ", a=bib.series)
    out.data("520", "  ", a=bib.summary)
    for subject in bib.subjects:
        out.data("650", " 4", a=subject)
    for copy in bib.holdings:
        out.data("852", "  ", b=copy.location, h=copy.call_number, p=copy.barcode)
    return out


def _marc21_fixed(today: datetime.date, year: str, language: str) -> str:
    """008 for a book: entry date, date type and date 1, place "cc" (China), language."""
    books = "    " + "  " + "    " + " " + "000" + " " + "|" + " "  # 18-34, not coded
    return f"{today:%y%m%d}{'s' if year else 'n'}{year:4}    cc {books}{language} d"


def _iso2709(leader: str, fields: list[Field]) -> bytes:
    """One ISO 2709 record in UTF-8, fields in tag order; `leader` gives 5-11 and 17-23."""
    directory, data, offset = [], [], 0
    for tag, text in sorted(fields, key=lambda field: field[0]):
        body = text.encode("utf-8")
        if len(body) > 9998:
            # A directory entry holds 4 digits of length: cut at a character boundary.
            body = body[:9998].decode("utf-8", "ignore").encode("utf-8").rstrip(b"\x1f")
        body += b"\x1e"
        directory.append(b"%s%04d%05d" % (tag.encode("ascii"), len(body), offset))
        data.append(body)
        offset += len(body)
    head = b"".join(directory) + b"\x1e"
    base = 24 + len(head)
    length = base + offset + 1
    if length > MAX_RECORD:
        raise ValueError(f"record {fields[:1]} is {length} bytes, more than ISO 2709 allows")
    marker = f"{length:05d}{leader[5:12]}{base:05d}{leader[17:24]}".encode("ascii")
    return marker + head + b"".join(data) + RECORD_END


CNMARC_LEADER = "00000nam0 2200000   450 "
MARC21_LEADER = "00000nam a2200000 c 4500"


def write_cnmarc(bibs: Iterable[BibData], *, today: datetime.date | None = None) -> Iterator[bytes]:
    """One UTF-8 CNMARC ISO 2709 record per BibData, lazily; `today` goes into 100 $a."""
    day = today or datetime.date.today()
    for bib in bibs:
        yield _iso2709(CNMARC_LEADER, _cnmarc_fields(bib, day))


def write_marc21(bibs: Iterable[BibData], *, today: datetime.date | None = None) -> Iterator[bytes]:
    """One UTF-8 MARC 21 ISO 2709 record per BibData, lazily; `today` goes into 008."""
    day = today or datetime.date.today()
    for bib in bibs:
        yield _iso2709(MARC21_LEADER, _marc21_fields(bib, day))


def write_marcxml(
    bibs: Iterable[BibData], flavour: str = "cnmarc", *, today: datetime.date | None = None
) -> Iterator[bytes]:
    """A MARCXML collection in UTF-8, in chunks: the head, one chunk per record, the tail."""
    if flavour not in ("cnmarc", "marc21"):
        raise ValueError(f"flavour must be 'cnmarc' or 'marc21', not {flavour!r}")
    day = today or datetime.date.today()
    build, leader = (
        (_cnmarc_fields, CNMARC_LEADER) if flavour == "cnmarc" else (_marc21_fields, MARC21_LEADER)
    )
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{MARCXML_NS}">\n'.encode()
    for bib in bibs:
        lines = [f"<record>\n  <leader>{leader}</leader>"]
        for tag, text in sorted(build(bib, day), key=lambda field: field[0]):
            if tag < "010":
                lines.append(f'  <controlfield tag="{tag}">{escape(text)}</controlfield>')
                continue
            lines.append(
                f'  <datafield tag="{tag}" ind1={quoteattr(text[0])} ind2={quoteattr(text[1])}>'
            )
            for code, value in split_subfields(text):
                lines.append(f"    <subfield code={quoteattr(code)}>{escape(value)}</subfield>")
            lines.append("  </datafield>")
        lines.append("</record>\n")
        yield "\n".join(lines).encode("utf-8")
    yield b"</collection>\n"


def reencode(record: bytes, encoding: str = "gb18030") -> bytes:
    """A UTF-8 ISO 2709 record written in another encoding (GBK files of suppliers), its
    lengths and offsets counted again in the new bytes."""
    base = int(record[12:17])
    directory = record[24 : base - 1]
    bodies = record[base:-1].split(FIELD_END.encode())[:-1]
    entries, data = b"", b""
    for start, body in zip(range(0, len(directory), 12), bodies, strict=True):
        encoded = body.decode("utf-8").encode(encoding) + FIELD_END.encode()
        entries += directory[start : start + 3] + b"%04d%05d" % (len(encoded), len(data))
        data += encoded
    entries += FIELD_END.encode()
    new_base = 24 + len(entries)
    leader = b"%05d%s%05d%s" % (new_base + len(data) + 1, record[5:12], new_base, record[17:24])
    return leader + entries + data + RECORD_END
