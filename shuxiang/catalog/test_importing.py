"""Bulk import of records with holdings (`catalog.importing`, `catalog.jobs`, the commands)."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Iterator
from decimal import Decimal

import pytest
from stdnum import ean

from shuxiang.catalog import importing, jobs, marc, services
from shuxiang.catalog.bibdata import BibData, Contributor, Holding
from shuxiang.catalog.models import (
    BookNumberCounter,
    BookNumberRule,
    CatalogSettings,
    Isbn,
    Item,
    ItemStatus,
    Location,
    LocationKind,
    Record,
    SchoolCounter,
)

TODAY = datetime.date(2026, 9, 1)


def isbn(n: int) -> str:
    """A valid ISBN-13 of 中国人民大学出版社's range, one per n."""
    body = f"978730{n:06d}"
    return body + ean.calc_check_digit(body)


def book(
    title: str,
    *,
    author: str = "",
    publisher: str = "测试出版社",
    isbns: tuple[str, ...] = (),
    class_number: str = "",
    price: str | None = None,
    holdings: tuple[Holding, ...] = (),
) -> BibData:
    return BibData(
        title=title,
        contributors=[Contributor(author)] if author else [],
        publisher=publisher,
        isbns=list(isbns),
        class_number=class_number,
        price=Decimal(price) if price else None,
        holdings=list(holdings),
    )


def gbk(record: bytes) -> bytes:
    return marc.reencode(record, "gb18030")


def records_of(*bibs: BibData, encoding: str = "gbk", flavour: str = "cnmarc") -> list[bytes]:
    write = marc.write_cnmarc if flavour == "cnmarc" else marc.write_marc21
    return [gbk(r) if encoding == "gbk" else r for r in write(bibs, today=TODAY)]


def marc_file(*bibs: BibData, **options: str) -> bytes:
    return b"".join(records_of(*bibs, **options))


def entries(data: bytes) -> Iterator[importing.Entry]:
    return jobs.marc_entries(io.BytesIO(data), flavour="auto", encoding="auto")


def run_import(people, data: bytes, **options) -> importing.Outcome:
    import_options = importing.ImportOptions(
        location=people.location, copies_if_none=options.pop("copies_if_none", 0)
    )
    return importing.import_bibs(
        entries(data), school=people.school, options=import_options, by=people.librarian, **options
    )


SANTI = book(
    "三体",
    author="刘慈欣",
    publisher="重庆出版社",
    isbns=(isbn(1),),
    class_number="I247.55",
    price="23.00",
    holdings=(
        Holding(barcode="B0101", accession_number="0100001", call_number="I247.55/12"),
        Holding(barcode="B0102", accession_number="0100002", call_number="I247.55/12"),
    ),
)
CAOFANGZI = book(
    "草房子",
    author="曹文轩",
    publisher="江苏少年儿童出版社",
    class_number="I287.45",
    holdings=(Holding(barcode="B0103", accession_number="0100003"),),
)


def snapshot(school) -> list[tuple]:
    """What an import left in the school: one line per copy."""
    return sorted(
        Item.objects.filter(school=school).values_list(
            "record__title",
            "record__isbn",
            "barcode",
            "accession_number",
            "call_number",
            "location__code",
            "status",
        )
    )


# ---------------------------------------------------------------- importing a file


def test_gbk_cnmarc_file_with_holdings_creates_records_and_copies_as_given(people):
    data = marc_file(SANTI, CAOFANGZI)
    assert "三体".encode("gb18030") in data and "三体".encode() not in data

    outcome = run_import(people, data)

    assert (outcome.processed, outcome.created_records, outcome.created_items) == (2, 2, 3)
    assert (outcome.merged_records, outcome.skipped_items, outcome.errors) == (0, 0, [])
    santi = Record.objects.get(title="三体")
    assert (santi.first_author, santi.publisher, santi.isbn) == ("刘慈欣", "重庆出版社", isbn(1))
    assert list(santi.isbns.values_list("isbn13", flat=True)) == [isbn(1)]
    assert snapshot(people.school) == [
        ("三体", isbn(1), "B0101", "0100001", "I247.55/12", "stacks", ItemStatus.AVAILABLE),
        ("三体", isbn(1), "B0102", "0100002", "I247.55/12", "stacks", ItemStatus.AVAILABLE),
        # No call number in the file: the school's next title number in the class.
        ("草房子", "", "B0103", "0100003", "I287.45/1", "stacks", ItemStatus.AVAILABLE),
        ("西游记", "", "N0001", "0000001", "I242.4/1", "stacks", ItemStatus.AVAILABLE),
    ]
    assert Item.objects.get(barcode="B0101").price == Decimal("23.00")
    assert not Item.objects.filter(school=people.other_school, record=santi).exists()


def test_reimporting_the_same_file_creates_nothing(people):
    data = marc_file(SANTI, CAOFANGZI)
    run_import(people, data)
    counts = (Record.objects.count(), Item.objects.count(), Isbn.objects.count())
    before = snapshot(people.school)

    outcome = run_import(people, data)

    assert (outcome.created_records, outcome.merged_records) == (0, 2)
    assert (outcome.created_items, outcome.skipped_items) == (0, 3)
    assert (Record.objects.count(), Item.objects.count(), Isbn.objects.count()) == counts
    assert snapshot(people.school) == before


def test_the_same_book_twice_in_a_file_is_one_record_with_two_copies(people):
    first = book("三体", isbns=(isbn(1),), class_number="I247.55", holdings=(Holding("B1"),))
    # The second time the supplier wrote the ISBN-10 of the same book.
    second = book("三体（第一部）", isbns=("7-300-00001-0",), holdings=(Holding("B2"),))

    outcome = run_import(people, marc_file(first, second))

    assert (outcome.created_records, outcome.merged_records, outcome.created_items) == (1, 1, 2)
    record = Record.objects.get(isbn=isbn(1))
    assert record.title == "三体"
    assert sorted(record.items.values_list("barcode", "call_number")) == [
        ("B1", "I247.55/1"),
        ("B2", "I247.55/1"),
    ]


def test_a_book_without_isbn_merges_by_title_first_author_and_publisher(people):
    known = services.catalogue_record(
        by=people.librarian, data=book("草房子", author="曹文轩", publisher="江苏少年儿童出版社")
    )
    same = book(
        "草房子", author="曹文轩", publisher="江苏少年儿童出版社", holdings=(Holding("B1"),)
    )
    other = book("草房子", author="曹文轩", publisher="天天出版社", holdings=(Holding("B2"),))

    outcome = run_import(people, marc_file(same, other))

    assert (outcome.created_records, outcome.merged_records) == (1, 1)
    assert Item.objects.get(school=people.school, barcode="B1").record == known
    assert Item.objects.get(school=people.school, barcode="B2").record.publisher == "天天出版社"


def test_a_record_with_a_bad_isbn_is_reported_by_position_and_the_others_are_stored(people):
    bad = book("坏书", isbns=("978-7-300-00002-1",), holdings=(Holding("B2"),))
    assert isbn(2) == "9787300000022"  # so ...-1 has a wrong check digit
    data = marc_file(
        book("好书一", isbns=(isbn(1),), holdings=(Holding("B1"),)),
        bad,
        book("好书三", isbns=(isbn(3),), holdings=(Holding("B3"),)),
    )

    outcome = run_import(people, data)

    [(position, message)] = outcome.errors
    assert position == 2
    assert message.startswith("第 2 条记录") and "校验位" in message
    assert (outcome.processed, outcome.created_records, outcome.created_items) == (3, 2, 2)
    assert set(Record.objects.filter(title__startswith="好书").values_list("title", flat=True)) == {
        "好书一",
        "好书三",
    }
    assert not Record.objects.filter(title="坏书").exists()
    assert not Item.objects.filter(barcode="B2").exists()


def test_a_truncated_record_is_reported_by_position_and_the_others_are_stored(people):
    one, two, three = records_of(
        book("好书一", holdings=(Holding("B1"),)),
        book("断掉的书", holdings=(Holding("B2"),)),
        book("好书三", holdings=(Holding("B3"),)),
    )

    outcome = run_import(people, one + two[: len(two) // 2] + three)

    assert [position for position, _message in outcome.errors] == [2]
    assert "截断" in outcome.errors[0][1]
    assert outcome.created_records == 2
    barcodes = Item.objects.filter(barcode__startswith="B").values_list("barcode", flat=True)
    assert sorted(barcodes) == ["B1", "B3"]


def test_a_record_with_an_impossible_price_is_reported_and_the_others_stored(people):
    # A supplier's ISBN slipped into the price field.
    data = marc_file(
        book("贵书", price="9787020002207", holdings=(Holding("B1"),)),
        book("好书", price="25.00", holdings=(Holding("B2"),)),
    )

    outcome = run_import(people, data)

    [(position, message)] = outcome.errors
    assert position == 1 and "定价" in message
    assert list(
        Item.objects.filter(barcode__in=["B1", "B2"]).values_list("barcode", flat=True)
    ) == ["B2"]


def test_a_copy_with_an_impossible_price_is_reported_and_left_out(people):
    # Supplier lists and MARC 21 952 $g give a price per copy.
    bib = book("三体", holdings=(Holding("B1", price=Decimal("12345678.00")), Holding("B2")))

    outcome = importing.import_bibs(
        [(1, bib, None)],
        school=people.school,
        options=importing.ImportOptions(location=people.location),
        by=people.librarian,
    )

    assert outcome.errors == [(1, "第 1 条记录：价格 12345678.00 太大")]
    assert list(Item.objects.filter(record__title="三体").values_list("barcode", flat=True)) == [
        "B2"
    ]


def test_dry_run_counts_what_it_would_do_and_stores_nothing(people):
    data = marc_file(SANTI, CAOFANGZI)
    counts = (Record.objects.count(), Item.objects.count(), Isbn.objects.count())

    outcome = run_import(people, data, dry_run=True)

    assert (outcome.created_records, outcome.created_items, outcome.errors) == (2, 3, [])
    assert (Record.objects.count(), Item.objects.count(), Isbn.objects.count()) == counts
    assert not BookNumberCounter.objects.filter(school=people.school).exists()
    # The numbers the preview handed out are free again.
    assert run_import(people, data).created_items == 3
    assert Item.objects.get(barcode="B0103").call_number == "I287.45/1"


def forget_imports(people) -> None:
    """Back to the people fixture: no records, copies or counters but its own."""
    Item.objects.exclude(pk__in=[people.item.pk, people.other_item.pk]).delete()
    Record.objects.exclude(pk=people.record.pk).delete()
    SchoolCounter.objects.all().delete()
    BookNumberCounter.objects.all().delete()


def test_parallel_import_stores_the_same_as_a_plain_one(people, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)
    bibs = [
        book(
            f"第{n}本书",
            isbns=(isbn(n),),
            class_number="I287.45",
            holdings=(Holding(f"B{n}"),) if n % 2 else (),
        )
        for n in range(1, 8)
    ]
    # The same book again in another chunk, and a bad record.
    bibs.insert(3, book("第1本书", isbns=(isbn(1),), holdings=(Holding("B1-2"),)))
    bibs.insert(5, book("坏书", isbns=("978-7-300-00002-1",)))
    data = marc_file(*bibs)

    plain = run_import(people, data, copies_if_none=1)
    plain_copies = snapshot(people.school)
    forget_imports(people)
    parallel = run_import(people, data, copies_if_none=1, parallel=True)

    assert (plain.processed, plain.created_records, plain.merged_records) == (9, 7, 1)
    assert (plain.created_items, [p for p, _m in plain.errors]) == (8, [6])
    assert parallel == plain
    assert snapshot(people.school) == plain_copies


def test_parallel_import_reads_the_file_in_a_second_process(people):
    assert importing.can_fork()
    pipe_r, pipe_w = os.pipe()

    def reading(data: bytes) -> Iterator[importing.Entry]:
        for entry in entries(data):
            os.write(pipe_w, b"%d\n" % os.getpid())
            yield entry

    outcome = importing.import_bibs(
        reading(marc_file(SANTI, CAOFANGZI)),
        school=people.school,
        options=importing.ImportOptions(location=people.location),
        by=people.librarian,
        parallel=True,
    )
    os.close(pipe_w)
    with os.fdopen(pipe_r) as pipe:
        readers = {int(line) for line in pipe.read().split()}

    assert outcome.created_items == 3
    assert readers and os.getpid() not in readers


def test_a_reading_failure_in_the_second_process_is_raised_here(people, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 1)

    def broken() -> Iterator[importing.Entry]:
        yield from entries(marc_file(CAOFANGZI))
        raise OSError("磁盘读取失败")

    with pytest.raises(OSError, match="磁盘读取失败"):
        importing.import_bibs(
            broken(),
            school=people.school,
            options=importing.ImportOptions(location=people.location),
            by=people.librarian,
            parallel=True,
        )
    assert Item.objects.filter(barcode="B0103").exists()  # the chunk read before it


# ---------------------------------------------------------------- numbering


def test_holdings_naming_a_location_of_the_school_go_there(people):
    reading = Location.objects.create(
        school=people.school, code="reading", name="学生阅览室", kind=LocationKind.READING_ROOM
    )
    Location.objects.create(
        school=people.other_school, code="corner", name="班级图书角", kind=LocationKind.CLASS_CORNER
    )
    data = marc_file(
        book(
            "三体",
            holdings=(
                Holding("B1", location="READING"),
                Holding("B2", location="学生阅览室"),
                Holding("B3", location="corner"),  # the other school's
                Holding("B4"),
            ),
        )
    )

    run_import(people, data)

    places = dict(
        Item.objects.filter(barcode__in=["B1", "B2", "B3", "B4"]).values_list("barcode", "location")
    )
    assert places == {
        "B1": reading.pk,
        "B2": reading.pk,
        "B3": people.location.pk,
        "B4": people.location.pk,
    }


def test_copies_if_none_adds_copies_once(people):
    data = marc_file(
        book("草房子", class_number="I287.45"),
        book("三体", holdings=(Holding("B1"),)),
        book("草房子", class_number="I287.45"),  # the same book again: no more copies
    )

    outcome = run_import(people, data, copies_if_none=2)

    assert (outcome.created_records, outcome.created_items) == (2, 3)
    copies = Item.objects.filter(record__title="草房子")
    assert sorted(copies.values_list("barcode", "accession_number", "call_number")) == [
        ("0000001", "0000002", "I287.45/1"),
        ("0000002", "0000003", "I287.45/1"),
    ]
    again = run_import(people, data, copies_if_none=2)
    assert (again.created_items, again.skipped_items) == (0, 1)
    assert copies.count() == 2


def test_copies_if_none_adds_copies_of_a_book_only_the_other_school_holds(people):
    record = services.catalogue_record(by=people.librarian, data=book("草房子"))
    services.add_copies(
        by=people.other_librarian,
        school=people.other_school,
        record=record,
        copies=1,
        details=services.CopyDetails(location=people.other_location),
    )

    outcome = run_import(people, marc_file(book("草房子")), copies_if_none=1)

    assert (outcome.merged_records, outcome.created_items) == (1, 1)
    assert Item.objects.filter(record=record, school=people.school).count() == 1


def test_numbers_given_in_a_file_are_not_handed_out_again_in_the_same_import(people):
    data = marc_file(
        book("三体", holdings=(Holding("0000001", "0000002"),)),
        book("草房子"),  # numbered by the school's counters
    )

    outcome = run_import(people, data, copies_if_none=1)

    assert outcome.created_items == 2
    numbered = Item.objects.get(record__title="草房子")
    # 0000001 is the file's barcode, 0000001 and 0000002 are accession numbers in use.
    assert (numbered.barcode, numbered.accession_number) == ("0000002", "0000003")


def test_copies_that_cannot_be_stored_are_reported_and_the_others_stored(people):
    data = marc_file(
        book("好书", class_number="I287.45", holdings=(Holding("B1"),)),
        book("长条码", holdings=(Holding("B" * 33),)),
        book("长登记号", holdings=(Holding("B3", "9" * 33),)),
        book("怪索书号", holdings=(Holding("B4", call_number="儿童读物/12"),)),
        book("大种次号", holdings=(Holding("B5", call_number="I287.45/" + "1" * 9),)),
    )

    outcome = run_import(people, data)

    assert [position for position, _message in outcome.errors] == [2, 3, 4, 5]
    assert "条码" in outcome.errors[0][1] and "32" in outcome.errors[0][1]
    assert "登记号" in outcome.errors[1][1]
    assert "儿童读物/12" in outcome.errors[2][1]
    assert "种次号太长" in outcome.errors[3][1]
    assert (outcome.created_records, outcome.created_items) == (5, 1)
    assert Item.objects.get(barcode="B1").call_number == "I287.45/1"


def test_a_given_accession_number_in_use_is_reported_and_the_copy_left_out(people):
    data = marc_file(book("三体", holdings=(Holding("B1", "0000001"), Holding("B2", "0000009"))))

    outcome = run_import(people, data)

    [(position, message)] = outcome.errors
    assert position == 1 and "0000001" in message
    assert sorted(Item.objects.filter(record__title="三体").values_list("barcode", flat=True)) == [
        "B2"
    ]


def test_title_numbers_given_in_a_file_are_not_handed_out_again(people):
    run_import(
        people,
        marc_file(
            book(
                "旧书一", class_number="I287.45", holdings=(Holding("B1", call_number="I287.45/1"),)
            ),
            book(
                "旧书二", class_number="I287.45", holdings=(Holding("B2", call_number="I287.45/2"),)
            ),
        ),
    )

    run_import(people, marc_file(book("新书", class_number="I287.45", holdings=(Holding("B3"),))))
    newer = services.catalogue_record(
        by=people.librarian, data=book("更新的书", class_number="I287.45")
    )
    [item] = services.add_copies(
        by=people.librarian,
        school=people.school,
        record=newer,
        copies=1,
        details=services.CopyDetails(location=people.location),
    )

    assert Item.objects.get(barcode="B3").call_number == "I287.45/3"
    assert item.call_number == "I287.45/4"


def test_author_rule_tells_apart_books_of_one_author_in_one_import(people):
    CatalogSettings.objects.create(school=people.school, book_number_rule=BookNumberRule.AUTHOR)
    data = marc_file(
        book("三体", author="刘慈欣", class_number="I247.55", holdings=(Holding("B1"),)),
        book("球状闪电", author="刘慈欣", class_number="I247.55", holdings=(Holding("B2"),)),
    )

    run_import(people, data)

    calls = dict(
        Item.objects.filter(barcode__in=["B1", "B2"]).values_list("barcode", "call_number")
    )
    assert calls == {"B1": "I247.55/LCX", "B2": "I247.55/LCX:2"}


# ---------------------------------------------------------------- interrupted imports and jobs


FIVE = [
    book(f"第{n}本书", isbns=(isbn(n),), class_number="I287.45", holdings=(Holding(f"B{n}"),))
    for n in range(1, 6)
]
