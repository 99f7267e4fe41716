"""MARC fields to BibData: CNMARC (UNIMARC) and MARC 21, with the mapping choices described
in shuxiang.catalog.marc. Pure."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from shuxiang.catalog.bibdata import BibData, Contributor, Holding
from shuxiang.catalog.marc_format import SUBFIELD, Subfields

# ---------------------------------------------------------------------------------------
# Mapping helpers


_ISBD_END = re.compile(r"[\s/:;,.=：；，。]+$")
_TRAILING = re.compile(r"[\s/:;,=+：；，]+$")
_ISBN_START = re.compile(r"[0-9][0-9Xx\-]*")
_DATE = re.compile(r"(\d{4})(?:\s*[.\-/年]\s*(\d{1,2})(?!\d))?")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_FOREIGN_MONEY = re.compile(r"[$€£]|USD|HKD|TWD|NTD|EUR|GBP|JPY|美元|港|台币|日元|欧元|英镑")
_BARCODE_LIKE = re.compile(r"[0-9A-Za-z\-]{3,32}")


def split_subfields(text: str) -> Subfields:
    return [(part[:1], part[1:]) for part in text.split(SUBFIELD)[1:] if part]


def _values(subs: Subfields, code: str) -> list[str]:
    return [value.strip() for sub_code, value in subs if sub_code == code and value.strip()]


def _first(subs: Subfields, code: str) -> str:
    for sub_code, value in subs:
        if sub_code == code and value.strip():
            return value.strip()
    return ""


def _codes(subs: Subfields) -> dict[str, str]:
    """The first non-empty value of each subfield code of a field."""
    found: dict[str, str] = {}
    for code, value in reversed(subs):
        value = value.strip()
        if value:
            found[code] = value
    return found


def _parsed(fields: dict[str, list[str]]) -> dict[str, list[Subfields]]:
    """The subfields of every field, parsed once per record."""
    return {tag: [split_subfields(text) for text in texts] for tag, texts in fields.items()}


def _first_in(parsed: dict[str, list[Subfields]], tag: str, code: str) -> str:
    for subs in parsed.get(tag, ()):
        value = _first(subs, code)
        if value:
            return value
    return ""


def _isbd(text: str) -> str:
    """Without the ISBD punctuation at the end (" :", " /", " ;", ",", ".")."""
    return _ISBD_END.sub("", text.strip())


def _trailing(text: str) -> str:
    """Without trailing separators, keeping a final "." ("235 p.", "2nd ed.")."""
    return _TRAILING.sub("", text.strip())


def _isbn(text: str) -> str:
    match = _ISBN_START.match(text.strip())
    return match.group() if match else text.strip()


def normalise_date(text: str) -> str:
    """ "2016." -> "2016", "2010.09" -> "2010-09", "c2016" -> "2016"; no year: as given."""
    match = _DATE.search(text)
    if not match:
        return _isbd(text)
    year, month = match.groups()
    if month and 1 <= int(month) <= 12:
        return f"{year}-{int(month):02d}"
    return year


def parse_price(text: str) -> Decimal | None:
    """The CNY amount in "CNY29.80", "29.80元", "CNY59.70 (含光盘)"; None for none or others."""
    upper = text.upper()
    match = _NUMBER.search(upper)
    if not match or _FOREIGN_MONEY.search(upper):
        return None
    prefix = upper[: match.start()].replace("CNY", "").replace("RMB", "")
    if re.search("[A-Z]", prefix):
        return None
    try:
        return Decimal(match.group().replace(",", ""))
    except InvalidOperation:
        return None


def _with_parts(title: str, parts: Subfields) -> str:
    """ "题名. 分册号, 分册名" from 200 $h/$i or 245 $n/$p, in the order given."""
    previous = ""
    for code, value in parts:
        value = _isbd(value)
        if not value:
            continue
        separator = ", " if previous in ("h", "n") and code in ("i", "p") else ". "
        title = f"{title}{separator}{value}" if title else value
        previous = code
    return title


# Relator codes (UNIMARC numeric, MARC 21 alphabetic) and English terms -> 责任方式.
_ROLES = {
    "070": "著", "aut": "著", "author": "著", "340": "编", "edt": "编", "editor": "编",
    "220": "编", "com": "编", "compiler": "编", "730": "译", "trl": "译",
    "translator": "译", "440": "绘", "ill": "绘", "illustrator": "绘", "010": "改编",
    "adp": "改编", "adapter": "改编", "600": "摄影", "pht": "摄影",
    "photographer": "摄影", "ann": "注", "annotator": "注", "chief editor": "主编",
    "editor-in-chief": "主编",
}  # fmt: skip
RELATOR_CODES = {
    "著": "aut", "编": "edt", "主编": "edt", "编著": "aut", "译": "trl", "绘": "ill",
    "改编": "adp", "摄影": "pht", "注": "ann",
}  # fmt: skip


def _role(text: str, default: str) -> str:
    role = text.strip().rstrip(".,;: ")
    if not role:
        return default
    return _ROLES.get(role.lower(), role)


# Longest first, so that "主编" wins over "编".
_ROLE_WORDS = sorted(
    ["著", "编", "主编", "译", "绘", "编著", "改编", "摄影", "注", "撰", "编绘", "原著", "选编",
     "整理", "编译", "绘图", "撰文", "合著", "校注"],
    key=len, reverse=True,
)  # fmt: skip
_NAME_SPLIT = re.compile(r"[\s,，、;；]+")
_NATIONALITY = re.compile(r"^[(\[（［〔【][^)\]）］〕】]{0,6}[)\]）］〕】]")


def contributors_from_statement(*statements: str) -> list[Contributor]:
    """Names and roles guessed from responsibility statements ("(清)曹雪芹, 高鹗著")."""
    people: list[Contributor] = []
    for statement in statements:
        pending: list[str] = []
        for piece in _NAME_SPLIT.split(statement):
            piece = _isbd(_NATIONALITY.sub("", piece.strip()))
            if not piece:
                continue
            role = next((word for word in _ROLE_WORDS if piece.endswith(word)), "")
            if not role:
                pending.append(piece)
                continue
            name = piece[: -len(role)].rstrip("等 ")
            names = [*pending, name] if name else pending
            people.extend(Contributor(person, role) for person in names)
            pending = []
        people.extend(Contributor(person, "著") for person in pending)
    return people


def _joined_subject(subs: Subfields, subdivisions: str) -> str:
    heading = _first(subs, "a")
    parts = [_trailing(value) for code, value in subs if code in subdivisions and value.strip()]
    return "-".join(part for part in [_trailing(heading), *parts] if part)


# ---------------------------------------------------------------------------------------
# Mapping: CNMARC -> BibData


def map_cnmarc(fields: dict[str, list[str]]) -> BibData:
    parsed = _parsed(fields)
    candidates = parsed["200"]
    title_subs = next((subs for subs in candidates if _first(subs, "a")), candidates[0])
    titles = [_isbd(value) for value in _values(title_subs, "a")]
    title = _with_parts("；".join(t for t in titles if t), [s for s in title_subs if s[0] in "hi"])
    statements = [value for code, value in title_subs if code in "fg" and value.strip()]
    bib = BibData(
        title=title,
        other_title=" : ".join(_isbd(value) for value in _values(title_subs, "e")),
        responsibility=" ; ".join(_isbd(value) for value in statements),
    )
    bib.control_number = fields["001"][0].strip() if "001" in fields else ""
    for subs in parsed.get("010", []):
        bib.isbns += [_isbn(value) for value in _values(subs, "a")]
        price = _first(subs, "d")
        if bib.price is None and price:
            bib.price = parse_price(price)
    bib.language = _first_in(parsed, "101", "a") or bib.language
    bib.edition = _trailing(_first_in(parsed, "205", "a"))
    publication = _codes((parsed.get("210") or parsed.get("214") or [[]])[0])
    bib.place = _isbd(publication.get("a", ""))
    bib.publisher = _isbd(publication.get("c", ""))
    bib.date = normalise_date(publication.get("d", ""))
    bib.pages = _trailing(_first_in(parsed, "215", "a"))
    for subs in parsed.get("225", [])[:1]:
        series, volume = _isbd(_first(subs, "a")), _first(subs, "v")
        bib.series = f"{series} ; {volume}" if series and volume else series
    bib.summary = "\n".join(value for subs in parsed.get("330", []) for value in _values(subs, "a"))
    for subs in parsed.get("606", []):
        subject = _joined_subject(subs, "xyzj")
        if subject:
            bib.subjects.append(subject)
    bib.class_number = _first_in(parsed, "690", "a")
    for tag in ("700", "701", "702", "710", "711", "712"):
        default = "编" if tag.endswith("2") else "著"
        for subs in parsed.get(tag, []):
            codes = _codes(subs)
            name, other = codes.get("a", ""), codes.get("b", "")
            if name:
                full = f"{name}, {other}" if other and tag.startswith("70") else name
                bib.contributors.append(Contributor(full, _role(codes.get("4", ""), default)))
    if not bib.contributors and statements:
        bib.contributors = contributors_from_statement(*statements)
    for subs in parsed.get("905", []):
        holding = _cnmarc_holding(subs, bib.class_number)
        if holding is not None:
            bib.holdings.append(holding)
    return bib


def _cnmarc_holding(subs: Subfields, class_number: str) -> Holding | None:
    codes = _codes(subs)
    accession = codes.get("b", "")
    barcode = codes.get("x", "")
    if not barcode:
        candidate = codes.get("h", "")
        barcode = candidate if _BARCODE_LIKE.fullmatch(candidate) else accession
    shelf_class, book_number = codes.get("d", ""), codes.get("e", "")
    if book_number:
        call_number = f"{shelf_class or class_number}/{book_number}".lstrip("/")
    else:
        call_number = shelf_class
    location = codes.get("c") or codes.get("a", "")
    if not (barcode or accession or call_number or location):
        return None
    return Holding(
        barcode=barcode, accession_number=accession, call_number=call_number, location=location
    )


# ---------------------------------------------------------------------------------------
# Mapping: MARC 21 -> BibData


def map_marc21(fields: dict[str, list[str]]) -> BibData:
    parsed = _parsed(fields)
    title_subs = parsed["245"][0]
    bib = BibData(
        title=_with_parts(_isbd(_first(title_subs, "a")), [s for s in title_subs if s[0] in "np"]),
        other_title=_isbd(_first(title_subs, "b")),
        responsibility=_isbd(_first(title_subs, "c")),
    )
    bib.control_number = fields["001"][0].strip() if "001" in fields else ""
    for subs in parsed.get("020", []):
        bib.isbns += [_isbn(value) for value in _values(subs, "a")]
        price = _first(subs, "c")
        if bib.price is None and price:
            bib.price = parse_price(price)
    fixed = fields["008"][0] if "008" in fields else ""
    language = _first_in(parsed, "041", "a") or fixed[35:38].strip(" |")
    bib.language = language if len(language) == 3 else bib.language
    classes = parsed.get("084", [])
    chosen = [s for s in classes if _first(s, "2").lower().startswith("clc")] or classes
    bib.class_number = _first(chosen[0], "a") if chosen else ""
    for tag in ("100", "110", "700", "710"):
        for subs in parsed.get(tag, []):
            name = _isbd(_first(subs, "a"))
            if name:
                role = _role(_first(subs, "e") or _first(subs, "4"), "著")
                bib.contributors.append(Contributor(name, role))
    bib.edition = _trailing(_first_in(parsed, "250", "a"))
    publication = _publication(fields)
    bib.place = _isbd(_first(publication, "a"))
    bib.publisher = _isbd(_first(publication, "b"))
    bib.date = normalise_date(_first(publication, "c"))
    bib.pages = _trailing(_first_in(parsed, "300", "a"))
    for subs in parsed.get("490", [])[:1]:
        series, volume = _isbd(_first(subs, "a")), _first(subs, "v")
        bib.series = f"{series} ; {volume}" if series and volume else series
    bib.summary = "\n".join(value for subs in parsed.get("520", []) for value in _values(subs, "a"))
    for subs in parsed.get("650", []):
        subject = _isbd(_joined_subject(subs, "xyzv"))
        if subject:
            bib.subjects.append(subject)
    for subs in parsed.get("852", []):
        codes = _codes(subs)
        call_number = "/".join(codes[code] for code in "hi" if code in codes)
        location = codes.get("b") or codes.get("c", "")
        barcode = codes.get("p", "")
        if barcode or call_number or location:
            bib.holdings.append(Holding(barcode, "", call_number, location))
    for subs in parsed.get("952", []):
        codes = _codes(subs)
        bib.holdings.append(
            Holding(
                barcode=codes.get("p", ""),
                accession_number=codes.get("i", ""),
                call_number=codes.get("o", ""),
                location=codes.get("c") or codes.get("a", ""),
                price=parse_price(codes.get("g") or codes.get("v", "")),
            )
        )
    return bib


def _publication(fields: dict[str, list[str]]) -> Subfields:
    """264 with second indicator 1 (publication), else 260, else any 264."""
    for text in fields.get("264", ()):
        if text[1:2] == "1":
            return split_subfields(text)
    for tag in ("260", "264"):
        if tag in fields:
            return split_subfields(fields[tag][0])
    return []
