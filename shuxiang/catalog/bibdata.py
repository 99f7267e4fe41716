"""The neutral shape of a bibliographic record and its holdings, between formats and the database.

MARC (CNMARC, UNIMARC, MARC 21), supplier lists and the cataloguing form all turn into
`BibData`; the catalogue services turn `BibData` into `Record` and `Item` rows, and the
exports turn rows back into `BibData` before writing a format. Pure: no Django here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Roles of a contributor (责任方式), as written in CNMARC 701/702 $4.
AUTHOR_ROLES = ("著", "编", "主编", "译", "绘", "编著", "改编", "摄影", "注")


@dataclass
class Contributor:
    name: str
    role: str = "著"  # one of AUTHOR_ROLES, or what the source said


@dataclass
class Holding:
    """One physical copy as a source describes it (905, 852, 952, a supplier row)."""

    barcode: str = ""
    accession_number: str = ""
    call_number: str = ""  # "I287.5/12" when the source gives one
    location: str = ""  # a location code or name, as in the source
    price: Decimal | None = None


@dataclass
class BibData:
    title: str
    other_title: str = ""  # 其他题名信息 / subtitle (200$e, 245$b)
    responsibility: str = ""  # 责任说明 as printed (200$f $g, 245$c)
    contributors: list[Contributor] = field(default_factory=list)
    publisher: str = ""
    place: str = ""
    date: str = ""  # as given, normalised to "YYYY" or "YYYY-MM" when it can be
    edition: str = ""
    isbns: list[str] = field(default_factory=list)  # as given; validated by the services
    price: Decimal | None = None  # CNY
    pages: str = ""  # "139页", "235 p."
    series: str = ""
    language: str = "chi"  # ISO 639-2/B
    summary: str = ""
    subjects: list[str] = field(default_factory=list)
    class_number: str = ""  # CLC, e.g. "I287.5"
    control_number: str = ""  # 001 of the source
    holdings: list[Holding] = field(default_factory=list)
    # Set by format readers for the preview: where the record was in the file.
    position: int = 0
    # Where a source says so (a supplier list's 读者对象, the demo); else the import's default.
    material_type: str = ""
    grade_band: str = ""

    @property
    def first_author(self) -> str:
        return self.contributors[0].name if self.contributors else ""
