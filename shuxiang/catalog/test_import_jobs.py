"""Import jobs (background, resumable), the import_marc command and accession batches."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from shuxiang.catalog import importing, jobs, marc
from shuxiang.catalog.bibdata import Holding
from shuxiang.catalog.models import (
    AccessionBatch,
    BookNumberCounter,
    ImportJob,
    Item,
    JobStatus,
    Location,
    LocationKind,
    Record,
    SchoolCounter,
)
from shuxiang.catalog.test_importing import (  # the shared test books and helpers
    CAOFANGZI,
    FIVE,
    SANTI,
    book,
    entries,
    isbn,
    marc_file,
    records_of,
    run_import,
)
from shuxiang.lib import bulk

TODAY = datetime.date(2026, 9, 1)


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
