"""Writing MARC (`shuxiang.catalog.marc_writing`): leaders, output pymarc accepts, round trips."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shuxiang.catalog import marc
from shuxiang.catalog.bibdata import AUTHOR_ROLES, BibData, Contributor, Holding
from shuxiang.catalog.test_marc import only_bib, read_all

CNMARC_LEADER = "00000nam0 2200000   450 "
MARC21_LEADER = "00000nam a2200000   4500"


# ---------------------------------------------------------------------------------------
# Writing


def example() -> BibData:
    return BibData(
        title="草房子",
        other_title="典藏版",
        responsibility="曹文轩著",
        contributors=[Contributor("曹文轩", "著"), Contributor("王五", "绘")],
        publisher="人民文学出版社",
        place="北京",
        date="2016-05",
        edition="2版",
        isbns=["978-7-02-011656-0"],
        price=Decimal("25.00"),
        pages="301页",
        series="曹文轩文集",
        summary="油麻地小学的故事。",
        subjects=["儿童小说-长篇小说-中国-当代"],
        class_number="I287.45",
        control_number="sx000001",
        holdings=[
            Holding(
                barcode="S0001", accession_number="A0001", call_number="I287.45/3", location="二楼"
            )
        ],
    )


TODAY = datetime.date(2026, 9, 1)


def test_cnmarc_leader_and_fixed_data():
    [data] = marc.write_cnmarc([example()], today=TODAY)

    assert len(data) == int(data[:5])
    leader = data[:24].decode()
    assert leader[5:12] == "nam0 22"
    assert leader[17:] == "   450 "
    assert data[int(leader[12:17]) - 1] == 0x1E
    general = "20260901d2016    u  y0chiy50      ea"
    assert len(general) == 36
    assert f"\x1fa{general}\x1e".encode() in data


def test_marc21_leader_and_008():
    [data] = marc.write_marc21([example()], today=TODAY)

    leader = data[:24].decode()
    assert len(data) == int(leader[:5])
    assert leader[5:12] == "nam a22" and leader[17:] == " c 4500"
    fixed = "260901s2016    cc            000 | chi d"
    assert len(fixed) == 40 and fixed[35:38] == "chi"
    assert f"{fixed}\x1e".encode() in data


def test_written_records_are_valid_for_pymarc():
    pymarc = pytest.importorskip("pymarc")
    data = b"".join(marc.write_cnmarc([example()])) + b"".join(marc.write_marc21([example()]))

    cnmarc_record, marc21_record = pymarc.MARCReader(io.BytesIO(data), force_utf8=True)

    assert cnmarc_record["200"]["a"] == "草房子"
    assert cnmarc_record["905"]["x"] == "S0001"
    assert cnmarc_record["690"].get_subfields("a", "v") == ["I287.45", "5"]
    assert marc21_record["245"]["a"] == "草房子"
    assert marc21_record["084"]["2"] == "clc"
    assert marc21_record["852"]["h"] == "I287.45/3"
    assert [f.tag for f in marc21_record.get_fields()] == sorted(
        f.tag for f in marc21_record.get_fields()
    )


def test_a_field_too_long_for_iso2709_is_cut_at_a_character():
    bib = BibData(title="长", summary="长" * 5000)  # 15,000 bytes of UTF-8

    [data] = marc.write_cnmarc([bib])

    summary = only_bib(data).summary
    assert 3000 < len(summary) < 3400 and set(summary) == {"长"}


def test_control_characters_in_values_do_not_break_the_record():
    bib = BibData(title="a\x1db\x1ec\x1fd")

    [data] = marc.write_marc21([bib])

    assert only_bib(data).title == "a b c d"


# ---------------------------------------------------------------------------------------
# Round trips

CHARACTERS = list("红楼梦西游记水浒传三国演义小学生图书馆中华人民共和国北京上海䶮𠮷") + list(
    "abcXYZ0123456789 &<>'\""
)
text = st.text(alphabet=CHARACTERS, min_size=1, max_size=20).map(str.strip).filter(bool)
maybe = st.one_of(st.just(""), text)
code = st.text(alphabet=list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"), min_size=1, max_size=12)
call_number = st.one_of(
    st.just(""),
    st.builds(
        lambda c, n: f"I{c}/{n}" if n else f"I{c}",
        st.integers(1, 999),
        st.one_of(st.just(0), st.integers(1, 500)),
    ),
)
holding = st.builds(
    Holding,
    barcode=code,
    accession_number=st.one_of(st.just(""), code),
    call_number=call_number,
    location=maybe,
)
date = st.one_of(
    st.just(""),
    st.integers(1900, 2099).map(str),
    st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(1900, 2099), st.integers(1, 12)),
)
bibs = st.builds(
    BibData,
    title=text,
    other_title=maybe,
    responsibility=maybe,
    contributors=st.lists(
        st.builds(Contributor, text, st.sampled_from(AUTHOR_ROLES)), min_size=1, max_size=4
    ),
    publisher=maybe,
    place=maybe,
    date=date,
    edition=maybe,
    isbns=st.lists(
        st.from_regex(r"97[89]-7-[0-9]{2,5}-[0-9]{3,5}-[0-9X]", fullmatch=True), max_size=3
    ),
    price=st.one_of(st.none(), st.decimals(min_value=0, max_value=9999, places=2)),
    pages=maybe,
    series=maybe,
    language=st.sampled_from(["chi", "eng", "jpn"]),
    summary=maybe,
    subjects=st.lists(text, max_size=3),
    class_number=st.one_of(
        st.just(""), st.from_regex(r"[A-Z][0-9]{1,3}(\.[0-9]{1,3})?", fullmatch=True)
    ),
    control_number=st.one_of(st.just(""), code),
    holdings=st.lists(holding, max_size=3),
)
ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_back(data: bytes, flavour: str) -> BibData:
    [result] = read_all(data)
    assert result.error is None, result.error
    assert result.flavour == flavour
    assert result.bib is not None
    return result.bib


def expected_from_cnmarc(bib: BibData) -> BibData:
    # 905 has no price, and a copy without its own barcode is known by its accession number.
    for copy in bib.holdings:
        copy.price = None
        copy.barcode = copy.barcode or copy.accession_number
    bib.position = 1
    return bib


def expected_from_marc21(bib: BibData) -> BibData:
    # 852 carries the barcode, the call number and the location only.
    for copy in bib.holdings:
        copy.price, copy.accession_number = None, ""
    bib.position = 1
    return bib


@ROUND_TRIP
@given(bibs)
def test_cnmarc_round_trip(bib):
    [data] = marc.write_cnmarc([bib])

    assert read_back(data, "cnmarc") == expected_from_cnmarc(bib)


@ROUND_TRIP
@given(bibs)
def test_marc21_round_trip(bib):
    [data] = marc.write_marc21([bib])

    assert read_back(data, "marc21") == expected_from_marc21(bib)


@ROUND_TRIP
@given(bibs, st.sampled_from(["cnmarc", "marc21"]))
def test_marcxml_round_trip(bib, flavour):
    data = b"".join(marc.write_marcxml([bib], flavour))

    expected = expected_from_cnmarc(bib) if flavour == "cnmarc" else expected_from_marc21(bib)
    assert read_back(data, flavour) == expected


def test_many_written_records_read_back_in_order():
    books = [BibData(title=f"第{n}本书", control_number=str(n)) for n in range(1, 301)]

    results = list(marc.read(io.BytesIO(b"".join(marc.write_cnmarc(books)))))

    assert [r.bib.control_number if r.bib else r.error for r in results] == [
        str(n) for n in range(1, 301)
    ]
    assert [r.position for r in results] == list(range(1, 301))
