"""Reading and writing MARC (`shuxiang.catalog.marc`), with test files built here, no database."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator
from decimal import Decimal

import pytest

from shuxiang.catalog import marc
from shuxiang.catalog.bibdata import BibData, Contributor, Holding

CNMARC_LEADER = "00000nam0 2200000   450 "
MARC21_LEADER = "00000nam a2200000   4500"


def record(*fields: tuple[str, ...], encoding: str = "utf-8", leader: str = CNMARC_LEADER) -> bytes:
    """One ISO 2709 record. A field is ("001", data) or ("200", "1 ", "a红楼梦", "f曹雪芹著")."""
    directory, data = b"", b""
    for tag, *rest in fields:
        if len(rest) == 1:
            body = rest[0].encode(encoding)
        else:
            indicators, *subfields = rest
            body = indicators.encode() + b"".join(b"\x1f" + s.encode(encoding) for s in subfields)
        body += b"\x1e"
        directory += b"%s%04d%05d" % (tag.encode(), len(body), len(data))
        data += body
    directory += b"\x1e"
    base = 24 + len(directory)
    head = f"{base + len(data) + 1:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode()
    return head + directory + data + b"\x1d"


def hongloumeng(encoding: str = "gbk", number: str = "012008000001") -> bytes:
    """A full CNMARC record of the kind a supplier sends."""
    return record(
        ("001", number),
        ("005", "20040223105436.6"),
        ("010", "  ", "a978-7-02-000220-7", "b精装", "dCNY59.70 (含光盘)"),
        ("010", "  ", "a7-02-000220-X"),
        ("100", "  ", "a20180725d2008    em y0chiy0110    ea"),
        ("101", "0 ", "achi"),
        ("200", "1 ", "a红楼梦", "9hong lou meng", "e校注本", "f(清)曹雪芹, 高鹗著",
         "g启功注释", "h第一册", "i前八十回"),
        ("205", "  ", "a3版"),
        ("210", "  ", "a北京", "c人民文学出版社", "d2010.09"),
        ("215", "  ", "a1606页", "c图", "d21cm"),
        ("225", "2 ", "a中国古典文学读本丛书", "v12"),
        ("330", "  ", "a本书是中国古典小说的巅峰之作。"),
        ("606", "0 ", "a章回小说", "x研究", "y中国", "z清代"),
        ("606", "0 ", "a红学"),
        ("690", "  ", "aI242.4", "v5"),
        ("701", " 0", "a曹雪芹", "9cao xue qin", "f(约1715-约1763)", "4著"),
        ("701", " 0", "a高鹗", "4著"),
        ("702", " 0", "a启功", "4注"),
        ("702", " 0", "a李四"),
        ("801", " 0", "aCN", "b91MARC", "c20180725"),
        ("905", "  ", "aXX", "b0001234", "cTS", "dI242.4", "e12", "f1"),
        ("905", "  ", "b0001235", "dI242.4", "e12", "xB0001235", "c阅览室"),
        encoding=encoding,
    )  # fmt: skip


def small(title: str, encoding: str = "utf-8", leader: str = CNMARC_LEADER) -> bytes:
    return record(
        ("001", "1"), ("200", "1 ", f"a{title}", "f张三著"), encoding=encoding, leader=leader
    )


def marc21(title: str = "Steve Jobs 的秘密日记", encoding: str = "utf-8") -> bytes:
    return record(
        ("001", "ocm123"),
        ("008", "090101s2009    cc            000 0 chi d"),
        ("020", "  ", "a9787508617725 (pbk.)", "cRMB29.00"),
        ("020", "  ", "a7508617725"),
        ("084", "  ", "aK837.125.38", "2ktb"),
        ("084", "  ", "aK837.12", "2clc"),
        ("100", "1 ", "aLyons, Daniel,", "eauthor."),
        ("245", "10", f"a{title} :", "b小说 /", "c丹·莱昂斯著 ; 袁鹏译.", "nPart 1,", "p开始."),
        ("250", "  ", "a2nd ed."),
        ("260", "  ", "a北京 :", "b中信出版社,", "cc2009."),
        ("300", "  ", "a235 p. ;", "c23 cm."),
        ("490", "0 ", "a新经典文库 ;", "v7"),
        ("520", "  ", "a一部讽刺小说。"),
        ("650", " 0", "aComputer industry", "zUnited States", "vFiction."),
        ("700", "1 ", "a袁鹏", "etranslator."),
        ("700", "1 ", "a王五", "4ill"),
        ("852", "  ", "aSCH", "b少儿书库", "hK837.12", "i15", "pB0042"),
        ("952", "  ", "aMAIN", "cSTACK", "o I247.5/8 ", "pB0043", "i0043", "g29.00"),
        encoding=encoding, leader=MARC21_LEADER,
    )  # fmt: skip


def read_all(data: bytes, **options: str) -> list[marc.MarcResult]:
    return list(marc.read(io.BytesIO(data), **options))


def only_bib(data: bytes, **options: str) -> BibData:
    [result] = read_all(data, **options)
    assert result.error is None, result.error
    assert result.bib is not None
    return result.bib


# ---------------------------------------------------------------------------------------
# CNMARC mapping


def test_gbk_cnmarc_is_detected_and_every_field_mapped():
    [result] = read_all(hongloumeng("gbk"))

    assert (result.position, result.error, result.flavour, result.encoding) == (
        1,
        None,
        "cnmarc",
        "gbk",
    )
    bib = result.bib
    assert bib is not None
    assert bib.control_number == "012008000001"
    assert bib.isbns == ["978-7-02-000220-7", "7-02-000220-X"]
    assert bib.price == Decimal("59.70")
    assert bib.language == "chi"
    assert bib.title == "红楼梦. 第一册, 前八十回"
    assert bib.other_title == "校注本"
    assert bib.responsibility == "(清)曹雪芹, 高鹗著 ; 启功注释"
    assert bib.edition == "3版"
    assert (bib.place, bib.publisher, bib.date) == ("北京", "人民文学出版社", "2010-09")
    assert bib.pages == "1606页"
    assert bib.series == "中国古典文学读本丛书 ; 12"
    assert bib.summary == "本书是中国古典小说的巅峰之作。"
    assert bib.subjects == ["章回小说-研究-中国-清代", "红学"]
    assert bib.class_number == "I242.4"
    assert bib.contributors == [
        Contributor("曹雪芹", "著"),
        Contributor("高鹗", "著"),
        Contributor("启功", "注"),
        Contributor("李四", "编"),
    ]
    assert bib.holdings == [
        Holding(
            barcode="0001234", accession_number="0001234", call_number="I242.4/12", location="TS"
        ),
        Holding(
            barcode="B0001235",
            accession_number="0001235",
            call_number="I242.4/12",
            location="阅览室",
        ),
    ]
    assert bib.position == 1


def test_utf8_cnmarc_with_blank_leader_09_is_detected():
    [result] = read_all(hongloumeng("utf-8"))

    assert (result.error, result.encoding, result.flavour) == (None, "utf-8", "cnmarc")
    assert result.bib is not None and result.bib.publisher == "人民文学出版社"


def test_gbk_under_a_leader_that_says_unicode_is_still_read_as_gbk():
    data = small("西游记", encoding="gbk", leader="00000nam a2200000   450 ")

    [result] = read_all(data)

    assert result.encoding == "gbk"
    assert result.bib is not None and result.bib.title == "西游记"


def test_gb18030_characters_beyond_gbk_are_read():
    assert only_bib(small("䶮𠮷传", encoding="gb18030")).title == "䶮𠮷传"


def test_contributors_come_from_200f_when_there_is_no_7xx_field():
    data = record(("200", "1 ", "a草房子", "f(清)曹雪芹, 高鹗著", "g[美]约翰 李四等译 王五 绘"))

    assert only_bib(data).contributors == [
        Contributor("曹雪芹", "著"),
        Contributor("高鹗", "著"),
        Contributor("约翰", "译"),
        Contributor("李四", "译"),
        Contributor("王五", "绘"),
    ]


def test_a_name_without_a_role_word_is_an_author():
    assert marc.contributors_from_statement("曹文轩") == [Contributor("曹文轩", "著")]
    assert marc.contributors_from_statement("曹文轩主编") == [Contributor("曹文轩", "主编")]


def test_unimarc_relator_codes_become_roles():
    data = record(("200", "1 ", "a书"), ("701", " 0", "a甲", "4070"), ("702", " 0", "a乙", "4730"))

    assert only_bib(data).contributors == [Contributor("甲", "著"), Contributor("乙", "译")]


def test_905_without_class_takes_it_from_690_and_an_alphanumeric_h_is_the_barcode():
    data = record(
        ("200", "1 ", "a书"),
        ("690", "  ", "aI287.5"),
        ("905", "  ", "aSCH", "b000777", "e3", "hT0000777"),
    )

    assert only_bib(data).holdings == [
        Holding(
            barcode="T0000777", accession_number="000777", call_number="I287.5/3", location="SCH"
        ),
    ]


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("CNY29.80", Decimal("29.80")),
        ("29.80元", Decimal("29.80")),
        ("CNY59.70 (含光盘)", Decimal("59.70")),
        ("RMB29.00", Decimal("29.00")),
        ("￥1,280.00", Decimal("1280.00")),
        ("定价：36.00元", Decimal("36.00")),
        ("USD12.99", None),
        ("HK$50", None),
        ("赠送", None),
        ("", None),
    ],
)
def test_price_forms(text, price):
    assert marc.parse_price(text) == price


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2016.", "2016"),
        ("2010.09", "2010-09"),
        ("2010-9", "2010-09"),
        ("2010年9月", "2010-09"),
        ("c2016.", "2016"),
        ("[2016?]", "2016"),
        ("1998-2003", "1998"),
        ("2016.13", "2016"),
        ("民国二十年.", "民国二十年"),
    ],
)
def test_date_forms(text, date):
    assert marc.normalise_date(text) == date


def test_214_is_used_when_there_is_no_210():
    data = record(("200", "1 ", "a书"), ("214", " 0", "a上海", "c少年儿童出版社", "d2021"))

    bib = only_bib(data)

    assert (bib.place, bib.publisher, bib.date) == ("上海", "少年儿童出版社", "2021")


# ---------------------------------------------------------------------------------------
# MARC 21 mapping


def test_marc21_every_field_mapped():
    [result] = read_all(marc21())

    assert (result.error, result.flavour, result.encoding) == (None, "marc21", "utf-8")
    bib = result.bib
    assert bib is not None
    assert bib.control_number == "ocm123"
    assert bib.isbns == ["9787508617725", "7508617725"]
    assert bib.price == Decimal("29.00")
    assert bib.language == "chi"
    assert bib.class_number == "K837.12"
    assert bib.title == "Steve Jobs 的秘密日记. Part 1, 开始"
    assert bib.other_title == "小说"
    assert bib.responsibility == "丹·莱昂斯著 ; 袁鹏译"
    assert bib.edition == "2nd ed."
    assert (bib.place, bib.publisher, bib.date) == ("北京", "中信出版社", "2009")
    assert bib.pages == "235 p."
    assert bib.series == "新经典文库 ; 7"
    assert bib.summary == "一部讽刺小说。"
    assert bib.subjects == ["Computer industry-United States-Fiction"]
    assert bib.contributors == [
        Contributor("Lyons, Daniel", "著"),
        Contributor("袁鹏", "译"),
        Contributor("王五", "绘"),
    ]
    assert bib.holdings == [
        Holding(barcode="B0042", call_number="K837.12/15", location="少儿书库"),
        Holding(
            barcode="B0043",
            accession_number="0043",
            call_number="I247.5/8",
            location="STACK",
            price=Decimal("29.00"),
        ),
    ]


def test_marc21_264_publication_wins_over_260_and_041_gives_the_language():
    data = record(
        ("041", "0 ", "aeng"),
        ("245", "00", "aTitle."),
        ("264", " 0", "aProduced", "bNot this", "c2000"),
        ("264", " 1", "aShanghai :", "bPublisher,", "c[2018]"),
        leader=MARC21_LEADER,
    )

    bib = only_bib(data)

    assert (bib.title, bib.language) == ("Title", "eng")
    assert (bib.place, bib.publisher, bib.date) == ("Shanghai", "Publisher", "2018")


def test_first_084_is_used_when_none_is_clc():
    data = record(("084", "  ", "aAB12", "2rvk"), ("245", "00", "aT"), leader=MARC21_LEADER)

    assert only_bib(data).class_number == "AB12"


# ---------------------------------------------------------------------------------------
# Encodings


def test_gbk_file_read_as_utf8_is_refused_not_garbled():
    ascii_only = record(("200", "1 ", "aASCII only"))
    data = hongloumeng("gbk") + small("西游记", "gbk") + ascii_only

    results = read_all(data, encoding="utf-8")

    for result in results[:2]:
        assert result.bib is None
        assert result.error is not None
        assert "文件声明为 UTF-8，但内容像是 GBK 编码" in result.error
    assert results[0].error is not None and results[0].error.startswith("第 1 条记录：")
    assert results[2].bib is not None and results[2].bib.title == "ASCII only"


def test_utf8_file_read_as_gbk_is_refused():
    [result] = read_all(hongloumeng("utf-8"), encoding="gbk")

    assert result.bib is None
    assert result.error is not None and "文件声明为 GBK，但内容像是 UTF-8 编码" in result.error


def test_forced_gbk_reads_gbk():
    assert only_bib(hongloumeng("gbk"), encoding="gbk").title.startswith("红楼梦")


def test_a_record_in_another_encoding_than_the_file_is_refused():
    data = record(("200", "1 ", "aASCII")) + small("红楼梦", "gbk") + small("西游记", "utf-8")

    results = read_all(data)

    assert [r.bib.title if r.bib else None for r in results] == ["ASCII", "红楼梦", None]
    assert results[2].error is not None
    assert "与文件其他记录编码不同" in results[2].error
    assert results[2].error.startswith("第 3 条记录：")


def test_bytes_that_are_neither_utf8_nor_gbk_are_refused():
    data = small("ab", "utf-8").replace(b"ab", b"\xff\xff")

    [result] = read_all(data)

    assert result.error == "第 1 条记录：不是有效的 GBK/UTF-8 编码"


def test_marc8_escape_sequences_are_refused_rather_than_read_as_gbk():
    # Bytes as Latin-1 characters: ESC $ 1 (CJK set), two byte pairs, ESC ( B (back to ASCII).
    title = "a\x1b$1\xe2e\xe2e\x1b(B"
    data = record(("245", "00", title), encoding="latin-1", leader=MARC21_LEADER)

    [result] = read_all(data)

    assert result.error is not None and "MARC-8" in result.error


@pytest.mark.parametrize(
    "title",
    [
        "红楼梦".encode("gbk").decode("latin-1"),  # GBK bytes taken for Latin-1
        "红楼梦".encode().decode("latin-1"),  # UTF-8 bytes taken for Latin-1 (C1 controls)
        "é".encode().decode("latin-1") + "tude",  # "Ã©tude": UTF-8 twice
        "红\ufffd梦",  # an earlier converter's replacement character
    ],
)
def test_mojibake_is_refused(title):
    [result] = read_all(small(title))

    assert result.bib is None
    assert result.error is not None and "乱码" in result.error


def test_accented_european_titles_are_not_taken_for_mojibake():
    assert only_bib(small("Éléments de géométrie à l'école")).title.startswith("Éléments")


# ---------------------------------------------------------------------------------------
# Flavours


def test_marc21_record_forced_as_cnmarc_is_refused():
    [result] = read_all(marc21(), flavour="cnmarc")

    assert result.bib is None
    assert result.error == (
        "第 1 条记录：声明为 CNMARC，但记录像是 MARC 21（有 245 字段，没有 200 字段）"
    )


def test_cnmarc_record_forced_as_marc21_is_refused():
    [result] = read_all(hongloumeng(), flavour="marc21")

    assert result.error is not None
    assert "声明为 MARC 21，但记录像是 CNMARC（有 200 字段，没有 245 字段）" in result.error


def test_flavour_is_told_record_by_record():
    results = read_all(marc21() + hongloumeng("utf-8"))

    assert [r.flavour for r in results] == ["marc21", "cnmarc"]


def test_a_record_without_a_title_field_is_refused():
    [result] = read_all(record(("001", "1"), ("210", "  ", "a北京")))

    assert result.error is not None and "找不到题名字段" in result.error


def test_an_empty_title_is_refused():
    [result] = read_all(record(("200", "1 ", "a ", "f张三")))

    assert result.error is not None and "正题名为空" in result.error


def test_unknown_flavour_or_encoding_is_a_programming_error():
    with pytest.raises(ValueError):
        marc.read(io.BytesIO(b""), flavour="unimarc")
    with pytest.raises(ValueError):
        marc.read(io.BytesIO(b""), encoding="latin-1")


# ---------------------------------------------------------------------------------------
# Damaged files


def three(second: bytes | None = None) -> list[bytes]:
    return [small("第一本"), second or small("第二本"), small("第三本")]


def with_second_directory_entry_longer(data: bytes) -> bytes:
    entry = 24 + 12  # the second directory entry
    length = int(data[entry + 3 : entry + 7])
    return data[: entry + 3] + b"%04d" % (length + 1) + data[entry + 7 :]


def test_wrong_directory_length_spoils_only_its_record():
    results = read_all(b"".join(three(with_second_directory_entry_longer(small("第二本")))))

    assert [r.position for r in results] == [1, 2, 3]
    assert [r.bib.title if r.bib else None for r in results] == ["第一本", None, "第三本"]
    assert results[1].error is not None
    assert results[1].error.startswith("第 2 条记录：目录长度不符")


def test_truncated_last_record_is_an_error_and_the_others_are_read():
    data = b"".join(three())[:-40]

    results = read_all(data)

    assert [r.bib.title if r.bib else None for r in results] == ["第一本", "第二本", None]
    assert results[2].error is not None
    assert results[2].error.startswith("第 3 条记录：目录长度不符（记录截断）")


def test_a_record_cut_short_inside_the_file_does_not_take_the_next_one_with_it():
    first, second, third = three()
    data = first + second[:50] + third

    results = read_all(data)

    assert [r.bib.title if r.bib else None for r in results] == ["第一本", None, "第三本"]
    assert results[1].error is not None and "记录截断" in results[1].error
    assert results[2].position == 3


def test_non_numeric_record_length_is_refused():
    first, second, third = three()
    results = read_all(first + b"abcde" + second[5:] + third)

    assert results[1].error is not None
    assert results[1].error.startswith("第 2 条记录：")
    assert "不是 MARC 记录" in results[1].error or "不是数字" in results[1].error
    assert results[2].bib is not None


def test_bad_base_address_is_refused():
    data = small("书")
    bad = data[:12] + b"0x0x0" + data[17:]

    [result] = read_all(bad)

    assert result.error is not None and "头标区无效" in result.error


def test_record_length_not_matching_the_data_is_refused():
    data = small("书")
    bad = b"%05d" % (len(data) - 3) + data[5:]

    [result] = read_all(bad)

    assert result.error is not None and "记录长度不符（比声明的长）" in result.error


def test_garbage_bytes_give_one_error_each_and_reading_goes_on():
    garbage = bytes(range(256)).replace(b"\x1d", b"") * 3
    results = read_all(garbage + b"\x1d" + small("好书") + b"\x1d" + b"junk")

    assert results[0].error is not None and results[0].bib is None
    assert results[1].bib is not None and results[1].bib.title == "好书"
    assert [r.position for r in results] == [1, 2, 3]
    assert results[2].error is not None


def test_a_huge_stretch_without_record_terminator_is_skipped_in_one_error():
    data = b"x" * (3 * marc.BLOCK_SIZE) + b"\x1d" + small("好书")

    results = read_all(data)

    assert results[0].error is not None and "超过 99999 字节" in results[0].error
    assert [r.bib.title if r.bib else None for r in results] == [None, "好书"]


def test_line_breaks_between_records_are_ignored():
    results = read_all(small("一") + b"\r\n" + small("二") + b"\n\x1a")

    assert [(r.position, r.bib.title if r.bib else r.error) for r in results] == [
        (1, "一"),
        (2, "二"),
    ]


def test_fields_out_of_directory_order_are_still_read():
    data = small("乱序")
    base = int(data[12:17])
    entries = [data[24 + i : 36 + i] for i in range(0, base - 25, 12)]
    # Same data area, directory listing the fields in the other order.
    swapped = data[:24] + b"".join(reversed(entries)) + data[base - 1 :]

    assert only_bib(swapped).title == "乱序"


def test_empty_stream_gives_nothing():
    assert read_all(b"") == []


# ---------------------------------------------------------------------------------------
# MARCXML


def xml_record(fields: str, leader: str = CNMARC_LEADER) -> str:
    return f"<record><leader>{leader}</leader>{fields}</record>"


def test_marcxml_cnmarc_with_namespace_is_read():
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">'
        "<marc:record><marc:leader>00000nam0 2200000   450 </marc:leader>"
        '<marc:controlfield tag="001">42</marc:controlfield>'
        '<marc:datafield tag="200" ind1="1" ind2=" ">'
        '<marc:subfield code="a">三体</marc:subfield>'
        '<marc:subfield code="f">刘慈欣著</marc:subfield>'
        "</marc:datafield>"
        '<marc:datafield tag="690" ind1=" " ind2=" ">'
        '<marc:subfield code="a">I247.55</marc:subfield>'
        "</marc:datafield></marc:record>"
        "</marc:collection>"
    ).encode()

    [result] = read_all(data)

    assert (result.error, result.flavour, result.encoding) == (None, "cnmarc", "utf-8")
    assert result.bib is not None
    assert (result.bib.title, result.bib.class_number) == ("三体", "I247.55")
    assert result.bib.contributors == [Contributor("刘慈欣", "著")]


def test_marcxml_marc21_without_namespace_and_a_gbk_declaration_is_read():
    body = xml_record(
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">活着 /</subfield>'
        '<subfield code="c">余华著.</subfield></datafield>',
        MARC21_LEADER,
    )
    data = f'<?xml version="1.0" encoding="GBK"?><collection>{body}{body}</collection>'

    results = read_all(data.encode("gbk"))

    assert [(r.position, r.flavour, r.encoding) for r in results] == [
        (1, "marc21", "gbk"),
        (2, "marc21", "gbk"),
    ]
    assert results[0].bib is not None and results[0].bib.title == "活着"


def test_a_single_marcxml_record_as_the_document_is_read():
    data = xml_record(
        '<datafield tag="200" ind1="1" ind2=" "><subfield code="a">书</subfield></datafield>'
    )

    assert only_bib(data.encode()).title == "书"


def test_malformed_marcxml_stops_with_an_error_after_the_good_records():
    good = xml_record(
        '<datafield tag="200" ind1="1" ind2=" "><subfield code="a">书</subfield></datafield>'
    )
    data = f"<collection>{good}<record><leader>x</leader><datafield></record>".encode()

    results = read_all(data)

    assert results[0].bib is not None
    assert results[1].position == 2
    assert results[1].error is not None and results[1].error.startswith("第 2 条记录：MARCXML")


# ---------------------------------------------------------------------------------------
# Streaming


class TrickleStream:
    """A non-seekable stream that makes its records only when asked, counting bytes served."""

    def __init__(self, records: Iterator[bytes]) -> None:
        self.records = records
        self.buffer = b""
        self.served = 0

    def read(self, size: int = -1) -> bytes:
        while len(self.buffer) < size:
            chunk = next(self.records, b"")
            if not chunk:
                break
            self.buffer += chunk
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        self.served += len(out)
        return out

    def seekable(self) -> bool:
        return False


def many(count: int) -> Iterator[bytes]:
    one = hongloumeng("gbk")
    for _ in range(count):
        yield one


def test_read_is_lazy_on_a_non_seekable_stream():
    stream = TrickleStream(many(5_000))  # about 4 MB

    results = marc.read(stream)  # type: ignore[arg-type]
    first = next(results)

    assert iter(results) is results
    assert first.bib is not None
    assert stream.served <= 3 * marc.BLOCK_SIZE
    assert sum(1 for _ in results) == 4_999


def test_reading_holds_a_few_blocks_not_the_file():
    stream = TrickleStream(many(12_000))  # about 10 MB
    tracemalloc.start()
    try:
        count = sum(result.error is None for result in marc.read(stream))  # type: ignore[arg-type]
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 12_000
    assert stream.served > 9_000_000
    assert peak < 6 * marc.BLOCK_SIZE
