"""Bulk import of records with holdings (`catalog.importing`, `catalog.jobs`, the commands)."""

from __future__ import annotations

import datetime
import io
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from stdnum import ean

from shuxiang.catalog import importing, jobs, marc, services
from shuxiang.catalog.bibdata import BibData, Contributor, Holding
from shuxiang.catalog.models import (
    AccessionBatch,
    BookNumberCounter,
    BookNumberRule,
    CatalogSettings,
    ImportJob,
    Isbn,
    Item,
    ItemStatus,
    JobStatus,
    Location,
    LocationKind,
    Record,
    SchoolCounter,
)
from shuxiang.lib import bulk

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


def make_job(people, tmp_path: Path, data: bytes, **options) -> ImportJob:
    path = tmp_path / "books.iso"
    path.write_bytes(data)
    return ImportJob.objects.create(
        school=people.school,
        file_name=path.name,
        path=str(path),
        options={"location": people.location.pk, "flavour": "auto", "encoding": "auto", **options},
        total=jobs.count_records(path),
        created_by=people.librarian,
    )


def fail_on_second_chunk(monkeypatch) -> None:
    """Make storing the copies of the second chunk fail, after its records went in."""
    real = bulk.insert_rows
    calls = {"items": 0}

    def insert_rows(model, rows):
        if model is Item:
            calls["items"] += 1
            if calls["items"] == 2:
                raise RuntimeError("磁盘已满")
        return real(model, rows)

    monkeypatch.setattr(bulk, "insert_rows", insert_rows)


def test_a_failure_mid_import_leaves_whole_chunks_and_the_job_resumes_after_them(
    people, tmp_path, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK", 2)
    job = make_job(people, tmp_path, marc_file(*FIVE))
    fail_on_second_chunk(monkeypatch)

    with pytest.raises(RuntimeError):
        jobs.run(job)

    failed = ImportJob.objects.get(pk=job.pk)
    assert (failed.status, failed.message) == (JobStatus.FAILED, "磁盘已满")
    assert (failed.processed, failed.created_records, failed.created_items) == (2, 2, 2)
    stored = Record.objects.filter(title__endswith="本书")
    assert sorted(stored.values_list("title", flat=True)) == ["第1本书", "第2本书"]
    assert not stored.filter(items__isnull=True).exists()  # no record without its copies

    monkeypatch.undo()
    monkeypatch.setattr(importing, "CHUNK", 2)
    done = jobs.run(job)  # the same object that failed

    assert (done.status, done.processed, done.total) == (JobStatus.DONE, 5, 5)
    assert (done.created_records, done.merged_records, done.created_items) == (5, 0, 5)
    assert done.skipped_items == 0
    assert stored.count() == 5
    assert sorted(Item.objects.filter(record__in=stored).values_list("barcode", "call_number")) == [
        (f"B{n}", f"I287.45/{n}") for n in range(1, 6)
    ]


def test_inside_runs_in_the_chunks_transaction(people, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)
    counted: list[int] = []

    def inside(outcome: importing.Outcome) -> None:
        counted.append(outcome.processed)
        if len(counted) == 2:
            raise RuntimeError("进度写不进去")

    with pytest.raises(RuntimeError):
        importing.import_bibs(
            entries(marc_file(*FIVE)),
            school=people.school,
            options=importing.ImportOptions(location=people.location),
            by=people.librarian,
            inside=inside,
        )

    # The second chunk was stored, but its progress was not: it went back with it.
    titles = Record.objects.filter(title__endswith="本书").values_list("title", flat=True)
    assert sorted(titles) == ["第1本书", "第2本书"]
    assert not Item.objects.filter(barcode__in=["B3", "B4"]).exists()


def test_skip_resumes_after_the_entries_already_stored(people):
    outcome = run_import(people, marc_file(*FIVE), skip=3)

    assert (outcome.processed, outcome.created_records) == (5, 2)
    titles = Record.objects.filter(title__endswith="本书").values_list("title", flat=True)
    assert sorted(titles) == ["第4本书", "第5本书"]


def test_run_import_job_command_resumes_a_failed_job(people, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 2)
    job = make_job(people, tmp_path, marc_file(*FIVE))
    fail_on_second_chunk(monkeypatch)
    with pytest.raises(RuntimeError):
        call_command("run_import_job", str(job.pk), stdout=io.StringIO())
    monkeypatch.undo()
    monkeypatch.setattr(importing, "CHUNK", 2)

    out = io.StringIO()
    call_command("run_import_job", str(job.pk), stdout=out)

    assert "5 records, 5 new, 0 merged, 5 copies" in out.getvalue()
    assert Item.objects.filter(barcode__in=[f"B{n}" for n in range(1, 6)]).count() == 5


def test_run_import_job_command_refuses_an_unknown_job(people):
    with pytest.raises(CommandError, match="No import job 9999"):
        call_command("run_import_job", "9999")


def test_a_preview_job_stores_nothing_and_counts_from_the_start_each_time(people, tmp_path):
    job = make_job(people, tmp_path, marc_file(SANTI, CAOFANGZI), dry_run=True)
    before = (Record.objects.count(), Item.objects.count())

    jobs.run(job)
    again = jobs.run(job)

    assert (again.status, again.processed, again.created_records, again.created_items) == (
        JobStatus.DONE,
        2,
        2,
        3,
    )
    assert (Record.objects.count(), Item.objects.count()) == before


def test_job_errors_are_kept_with_their_positions(people, tmp_path):
    data = marc_file(
        book("好书", holdings=(Holding("B1"),)),
        book("坏书", isbns=("978-7-300-00002-1",), holdings=(Holding("B2"),)),
    )
    job = jobs.run(make_job(people, tmp_path, data))

    assert job.status == JobStatus.DONE
    assert [position for position, _message in job.errors] == [2]
    assert "校验位" in job.errors[0][1]


def test_count_records_counts_terminators_an_unterminated_tail_and_marcxml(tmp_path):
    iso = tmp_path / "a.iso"
    one, two, three = records_of(book("一"), book("二"), book("三"))
    iso.write_bytes(one + two + three)
    assert jobs.count_records(iso) == 3
    iso.write_bytes(one + two + three[:-1])
    assert jobs.count_records(iso) == 3
    xml = tmp_path / "a.xml"
    xml.write_bytes(b"".join(marc.write_marcxml([book("一"), book("二")], today=TODAY)))
    assert jobs.count_records(xml) == 2


def test_refusal_passes_a_good_file_and_names_a_wrong_encoding(tmp_path):
    path = tmp_path / "gbk.iso"
    path.write_bytes(marc_file(SANTI))

    assert jobs.refusal(path, flavour="auto", encoding="auto") == ""
    assert jobs.refusal(path, flavour="cnmarc", encoding="gbk") == ""
    assert "GBK" in jobs.refusal(path, flavour="auto", encoding="utf-8")


# ---------------------------------------------------------------- import_marc command


def write(tmp_path: Path, data: bytes, name: str = "books.iso") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def import_marc(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_marc", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_marc_imports_a_file_into_the_school(people, tmp_path):
    out, _err = import_marc(write(tmp_path, marc_file(SANTI, CAOFANGZI)), "--school", "north")

    assert "created 2 records and 3 copies" in out
    assert (
        Item.objects.filter(school=people.school, barcode__in=["B0101", "B0102", "B0103"]).count()
        == 3
    )


def test_import_marc_dry_run_stores_nothing(people, tmp_path):
    before = (Record.objects.count(), Item.objects.count())

    out, _err = import_marc(
        write(tmp_path, marc_file(SANTI, CAOFANGZI)), "--school", "north", "--dry-run"
    )

    assert "would create 2 records and 3 copies" in out
    assert (Record.objects.count(), Item.objects.count()) == before


def test_import_marc_puts_copies_in_the_location_named(people, tmp_path):
    corner = Location.objects.create(
        school=people.school, code="corner", name="班级图书角", kind=LocationKind.CLASS_CORNER
    )

    import_marc(
        write(tmp_path, marc_file(book("草房子"))),
        "--school",
        "north",
        "--location",
        "corner",
        "--copies-if-none",
        "2",
    )

    assert list(Item.objects.filter(record__title="草房子").values_list("location", flat=True)) == [
        corner.pk,
        corner.pk,
    ]


def test_import_marc_refuses_a_gbk_file_declared_utf8(people, tmp_path):
    path = write(tmp_path, marc_file(SANTI))

    with pytest.raises(CommandError) as caught:
        import_marc(path, "--school", "north", "--encoding", "utf-8")

    assert "GBK" in str(caught.value)
    assert not Record.objects.filter(title="三体").exists()


def test_import_marc_refuses_a_marc21_file_declared_cnmarc(people, tmp_path):
    path = write(tmp_path, marc_file(SANTI, encoding="utf-8", flavour="marc21"))

    with pytest.raises(CommandError) as caught:
        import_marc(path, "--school", "north", "--format", "cnmarc")

    assert "MARC 21" in str(caught.value)
    assert not Record.objects.filter(title="三体").exists()


def test_import_marc_reads_a_marc21_file(people, tmp_path):
    out, _err = import_marc(
        write(tmp_path, marc_file(SANTI, encoding="utf-8", flavour="marc21")), "--school", "north"
    )

    assert "created 1 records and 2 copies" in out
    assert Record.objects.get(title="三体").isbn == isbn(1)


def test_import_marc_refuses_an_unknown_school(people, tmp_path):
    with pytest.raises(CommandError, match="No school with code 'east'"):
        import_marc(write(tmp_path, marc_file(SANTI)), "--school", "east")


def test_import_marc_refuses_an_unknown_location(people, tmp_path):
    with pytest.raises(CommandError, match="no location attic"):
        import_marc(write(tmp_path, marc_file(SANTI)), "--school", "north", "--location", "attic")


def test_import_marc_refuses_a_missing_file(people, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        import_marc(str(tmp_path / "missing.iso"), "--school", "north")


def test_import_marc_fails_when_no_record_could_be_imported(people, tmp_path):
    data = marc_file(book("坏书", isbns=("978-7-300-00002-1",)), encoding="utf-8")

    with pytest.raises(CommandError, match="no record could be imported"):
        import_marc(write(tmp_path, data), "--school", "north")


def test_importing_touches_only_the_schools_counters(people):
    run_import(people, marc_file(book("草房子", class_number="I287.45")), copies_if_none=1)

    assert SchoolCounter.objects.get(school=people.school).last_accession == 2
    assert not SchoolCounter.objects.filter(school=people.other_school).exists()
    assert not BookNumberCounter.objects.filter(school=people.other_school).exists()


# ---------------------------------------------------------------- bulk inserts


def test_insert_rows_returns_the_ids_in_order_and_fills_in_defaults(db):
    before = timezone.now()
    with transaction.atomic():
        ids = bulk.insert_rows(
            Record,
            [
                {
                    "title": "甲",
                    "authors": [{"name": "张三", "role": "著"}],
                    "price": Decimal("9.90"),
                },
                {"title": "乙"},
            ],
        )

    first, second = (Record.objects.get(pk=pk) for pk in ids)
    assert (first.title, first.authors, first.price) == (
        "甲",
        [{"name": "张三", "role": "著"}],
        Decimal("9.90"),
    )
    assert (second.title, second.authors, second.subjects, second.price) == ("乙", [], [], None)
    assert (second.language, second.material_type, second.isbn) == ("chi", "book", "")
    assert second.created_at >= before.replace(microsecond=0)
    # Django's own inserts go on after the ids reserved.
    assert Record.objects.create(title="丙").pk > max(ids)


def test_reserved_ids_are_never_those_of_deleted_rows(db):
    record = Record.objects.create(title="临时")
    deleted = record.pk
    record.delete()

    with transaction.atomic():
        reserved = bulk.reserve_ids(Record, 3)

    assert reserved[0] > deleted
    assert len(set(reserved)) == 3
    assert bulk.reserve_ids(Record, 0) == []


def test_a_barcode_of_another_book_in_the_school_is_reported_not_skipped(people):
    first = run_import(people, marc_file(SANTI))
    assert first.created_items == 2
    stranger = book(
        "流浪地球",
        author="刘慈欣",
        isbns=(isbn(9),),
        holdings=(Holding(barcode="B0101", accession_number="0900001"),),
    )

    outcome = run_import(people, marc_file(stranger))

    assert outcome.skipped_items == 0 and outcome.created_items == 0
    assert outcome.errors == [(1, "第 1 条记录：条码 B0101 已被本校另一种书的复本使用")]
    assert Item.objects.get(school=people.school, barcode="B0101").record.title == "三体"


def test_an_import_job_registers_its_copies_in_one_accession_batch(people, tmp_path):
    job = jobs.run(make_job(people, tmp_path, marc_file(SANTI, CAOFANGZI), source="donation"))

    batch = AccessionBatch.objects.get(pk=job.options["batch"])
    assert (batch.volumes, batch.titles, batch.source) == (3, 2, "donation")
    assert batch.amount == Decimal("46.00")  # two copies of 三体 at 23.00; 草房子 has no price
    assert "books.iso" in batch.note
    assert set(
        Item.objects.filter(barcode__in=["B0101", "B0102", "B0103"]).values_list("batch", flat=True)
    ) == {batch.pk}


def test_a_job_that_adds_no_copy_leaves_no_empty_batch(people, tmp_path):
    jobs.run(make_job(people, tmp_path, marc_file(SANTI)))
    batches = AccessionBatch.objects.count()

    again = jobs.run(make_job(people, tmp_path, marc_file(SANTI)))

    assert again.created_items == 0
    assert AccessionBatch.objects.count() == batches


def test_a_preview_job_opens_no_batch(people, tmp_path):
    jobs.run(make_job(people, tmp_path, marc_file(SANTI), dry_run=True))

    assert not AccessionBatch.objects.exists()
