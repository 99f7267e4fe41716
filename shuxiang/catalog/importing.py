"""Bulk import of bibliographic records with their holdings (MARC files, supplier lists).

`import_bibs` stores a stream of `BibData` in chunks: one transaction per chunk,
records found again (same ISBN, or same title + first author + publisher) are
merged instead of duplicated, and copies whose barcode the school already has are
skipped, so importing a file twice creates nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxiang.audit.services import record as audit
from shuxiang.catalog import clc
from shuxiang.catalog.bibdata import BibData, Holding
from shuxiang.catalog.models import (
    BookNumberCounter,
    BookNumberRule,
    Isbn,
    Item,
    ItemSource,
    ItemStatus,
    Location,
    MaterialType,
    Record,
)
from shuxiang.catalog.services import (
    CatalogError,
    allocate_numbers,
    catalog_settings,
    next_call_number,
    record_values,
)
from shuxiang.schools.models import School

CHUNK = 500
MAX_ERRORS = 1000


@dataclass
class ImportOptions:
    location: Location  # for holdings that name no known location
    source: str = ItemSource.PURCHASE
    material_type: str = MaterialType.BOOK
    copies_if_none: int = 0  # copies to add for a record that comes without holdings


@dataclass
class Outcome:
    """What an import did, or (dry run) would do."""

    processed: int = 0
    created_records: int = 0
    merged_records: int = 0
    created_items: int = 0
    skipped_items: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def add_error(self, position: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((position, message))

    def merge(self, other: Outcome) -> None:
        self.processed += other.processed
        self.created_records += other.created_records
        self.merged_records += other.merged_records
        self.created_items += other.created_items
        self.skipped_items += other.skipped_items
        for error in other.errors:
            self.add_error(*error)


Entry = tuple[int, BibData | None, str | None]  # position, record, error


def chunks(entries: Iterable[Entry], size: int = CHUNK) -> Iterator[list[Entry]]:
    iterator = iter(entries)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _CallNumbers:
    """Call numbers for a chunk's new copies, with the 种次号 counters read once."""

    def __init__(self, school: School) -> None:
        self.school = school
        self.rule = catalog_settings(school).book_number_rule
        self.taken: dict[int, str] = {}
        self.counters: dict[str, int] = {}

    def for_record(self, record: Record, existing: dict[int, str]) -> str:
        if record.pk in existing:
            return existing[record.pk]
        if record.pk in self.taken:
            return self.taken[record.pk]
        if not record.class_number:
            return ""
        if self.rule == BookNumberRule.AUTHOR:
            number = next_call_number(self.school, record)
        else:
            if record.class_number not in self.counters:
                counter, _c = BookNumberCounter.objects.select_for_update().get_or_create(
                    school=self.school, class_number=record.class_number
                )
                self.counters[record.class_number] = counter.last
            self.counters[record.class_number] += 1
            number = f"{record.class_number}/{self.counters[record.class_number]}"
        self.taken[record.pk] = number
        return number

    def save(self) -> None:
        for class_number, last in self.counters.items():
            BookNumberCounter.objects.filter(
                school=self.school, class_number=class_number, last__lt=last
            ).update(last=last)


def _existing_records(values: list[tuple[int, dict, list[str]]]) -> dict[str, Record]:
    """Known records by ISBN-13 and by match key, for the chunk in two queries."""
    isbns = {i for _p, _v, isbn_list in values for i in isbn_list}
    keys = {v["match_key"] for _p, v, _i in values}
    known: dict[str, Record] = {}
    for row in Isbn.objects.filter(isbn13__in=isbns).select_related("record"):
        known.setdefault("isbn:" + row.isbn13, row.record)
    for record in Record.objects.filter(match_key__in=keys):
        known.setdefault("key:" + record.match_key, record)
    return known


def _find(known: dict[str, Record], values: dict, isbns: list[str]) -> Record | None:
    for isbn in isbns:
        if "isbn:" + isbn in known:
            return known["isbn:" + isbn]
    if not isbns:  # without an ISBN, title + first author + publisher identify
        return known.get("key:" + values["match_key"])
    return None


def _locations(school: School) -> dict[str, Location]:
    found: dict[str, Location] = {}
    for location in Location.objects.filter(school=school):
        found[location.code.lower()] = location
        found[location.name] = location
    return found


def store_chunk(
    chunk: list[Entry],
    *,
    school: School,
    options: ImportOptions,
    by: Any,
    dry_run: bool = False,
    inside: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Store one chunk in one transaction (rolled back on a dry run).

    `inside(outcome)` runs in the same transaction, so a job's progress figures
    land together with the chunk they count.
    """
    outcome = Outcome(processed=len(chunk))
    with transaction.atomic():
        _store(chunk, school=school, options=options, outcome=outcome)
        if dry_run:
            transaction.set_rollback(True)
            return outcome
        if outcome.created_records or outcome.created_items:
            audit(
                "catalog.import",
                actor=by,
                obj=school,
                school=school,
                details={
                    "records": outcome.created_records,
                    "merged": outcome.merged_records,
                    "items": outcome.created_items,
                },
            )
        if inside is not None:
            inside(outcome)
    return outcome


def _store(chunk: list[Entry], *, school: School, options: ImportOptions, outcome: Outcome) -> None:
    values: list[tuple[int, dict, list[str]]] = []
    holdings: dict[int, list[Holding]] = {}
    for position, bib, error in chunk:
        if bib is None:
            outcome.add_error(position, error or "无法读取")
            continue
        try:
            record_columns, isbns = record_values(bib)
        except CatalogError as exc:
            outcome.add_error(position, f"第 {position} 条记录：{exc.message}")
            continue
        values.append((position, record_columns, isbns))
        holdings[position] = bib.holdings
    known = _existing_records(values)
    record_at: dict[int, Record] = {}
    new: list[tuple[Record, list[str]]] = []
    for position, record_columns, isbns in values:
        record = _find(known, record_columns, isbns)
        if record is not None:
            outcome.merged_records += 1
        else:
            record = Record(material_type=options.material_type, **record_columns)
            new.append((record, isbns))
            # A second copy of the same book later in the file merges with this one.
            for isbn in isbns:
                known["isbn:" + isbn] = record
            known.setdefault("key:" + record_columns["match_key"], record)
        record_at[position] = record
    Record.objects.bulk_create([record for record, _i in new], batch_size=CHUNK)
    Isbn.objects.bulk_create(
        [Isbn(record=record, isbn13=i) for record, isbns in new for i in isbns],
        batch_size=CHUNK * 2,
    )
    outcome.created_records = len(new)
    _store_items(record_at, holdings, school=school, options=options, outcome=outcome)


def _store_items(
    record_at: dict[int, Record],
    holdings: dict[int, list[Holding]],
    *,
    school: School,
    options: ImportOptions,
    outcome: Outcome,
) -> None:
    record_ids = {record.pk for record in record_at.values()}
    existing_calls = dict(
        Item.objects.filter(school=school, record__in=record_ids)
        .exclude(call_number="")
        .values_list("record", "call_number")
    )
    held = set(
        Item.objects.filter(school=school, record__in=record_ids).values_list("record", flat=True)
    )
    wanted: list[tuple[int, Record, Holding]] = []
    for position, record in record_at.items():
        copies = holdings.get(position) or []
        if not copies and options.copies_if_none and record.pk not in held:
            copies = [Holding() for _ in range(options.copies_if_none)]
            held.add(record.pk)
        wanted += [(position, record, h) for h in copies]
    given = {h.barcode.strip().upper() for _p, _r, h in wanted if h.barcode.strip()}
    taken_barcodes = set(
        Item.objects.filter(school=school, barcode__in=given).values_list("barcode", flat=True)
    )
    given_accessions = {
        h.accession_number.strip() for _p, _r, h in wanted if h.accession_number.strip()
    }
    taken_accessions = set(
        Item.objects.filter(school=school, accession_number__in=given_accessions).values_list(
            "accession_number", flat=True
        )
    )
    locations = _locations(school)
    calls = _CallNumbers(school)
    items: list[Item] = []
    needs_numbers: list[Item] = []
    for position, record, holding in wanted:
        barcode = holding.barcode.strip().upper()
        accession = holding.accession_number.strip()
        if barcode and barcode in taken_barcodes:
            outcome.skipped_items += 1  # imported before: leave it alone
            continue
        if accession and accession in taken_accessions:
            outcome.add_error(
                position, f"第 {position} 条记录：登记号 {accession} 已被本校其他册使用"
            )
            continue
        call_number = holding.call_number.strip() or calls.for_record(record, existing_calls)
        existing_calls.setdefault(record.pk, call_number)
        item = Item(
            school=school,
            record=record,
            barcode=barcode,
            accession_number=accession,
            call_number=call_number,
            call_sort=clc.call_number_sort_string(call_number) if call_number else "",
            location=locations.get(holding.location.strip().lower())
            or locations.get(holding.location.strip())
            or options.location,
            status=ItemStatus.AVAILABLE,
            price=holding.price if holding.price is not None else record.price,
            source=options.source,
            received_on=timezone.localdate(),
        )
        if barcode:
            taken_barcodes.add(barcode)
        if accession:
            taken_accessions.add(accession)
        if not barcode or not accession:
            needs_numbers.append(item)
        items.append(item)
    if needs_numbers:
        numbers = iter(allocate_numbers(school, len(needs_numbers)))
        for item in needs_numbers:
            barcode, accession = next(numbers)
            item.barcode = item.barcode or barcode
            item.accession_number = item.accession_number or accession
    calls.save()
    Item.objects.bulk_create(items, batch_size=CHUNK * 2)
    outcome.created_items = len(items)


def import_bibs(
    entries: Iterable[Entry],
    *,
    school: School,
    options: ImportOptions,
    by: Any,
    dry_run: bool = False,
    skip: int = 0,
    inside: Callable[[Outcome], None] | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> Outcome:
    """Import a stream of (position, BibData or None, error) in chunks.

    `skip` resumes after the first `skip` entries (a job that was interrupted);
    `inside(chunk_outcome)` runs in each chunk's transaction; `progress(total)`
    after each chunk.
    """
    total = Outcome()
    stream = iter(entries)
    if skip:
        total.processed = len(list(islice(stream, skip)))
    for chunk in chunks(stream):
        outcome = store_chunk(
            chunk, school=school, options=options, by=by, dry_run=dry_run, inside=inside
        )
        total.merge(outcome)
        if progress is not None:
            progress(total)
    return total
