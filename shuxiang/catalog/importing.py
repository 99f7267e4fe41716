"""Bulk import of bibliographic records with their holdings (MARC files, supplier lists).

`import_bibs` stores a stream of `BibData` in chunks: one transaction per chunk,
records found again (same ISBN, or same title + first author + publisher) are
merged instead of duplicated, and copies whose barcode the school already has are
skipped, so importing a file twice creates nothing the second time.
"""

from __future__ import annotations

import datetime
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxiang.audit.services import record as audit
from shuxiang.catalog import clc
from shuxiang.catalog.bibdata import BibData, Holding
from shuxiang.catalog.models import (
    AccessionBatch,
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
    MAX_PRICE,
    CatalogError,
    allocate_numbers,
    catalog_settings,
    next_call_number,
    record_values,
)
from shuxiang.lib import bulk
from shuxiang.schools.models import School

CHUNK = 500
MAX_ERRORS = 1000


@dataclass
class ImportOptions:
    location: Location  # for holdings that name no known location
    source: str = ItemSource.PURCHASE
    material_type: str = MaterialType.BOOK
    copies_if_none: int = 0  # copies to add for a record that comes without holdings
    batch: AccessionBatch | None = None  # the accession batch the new copies belong to
    received_on: datetime.date | None = None


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


@dataclass
class Prepared:
    """An entry checked and turned into column values, ready to store (or an error)."""

    position: int
    columns: dict[str, Any] | None
    isbns: list[str]
    holdings: list[Holding]
    material_type: str
    grade_band: str
    error: str | None = None


def prepare(entries: Iterable[Entry], options: ImportOptions) -> Iterator[Prepared]:
    """The pure half of an import: validation and derived values, no database."""
    for position, bib, error in entries:
        if bib is None:
            yield Prepared(position, None, [], [], "", "", error or f"第 {position} 条记录无法读取")
            continue
        try:
            columns, isbns = record_values(bib)
        except CatalogError as exc:
            yield Prepared(position, None, [], [], "", "", f"第 {position} 条记录：{exc.message}")
            continue
        yield Prepared(
            position,
            columns,
            isbns,
            bib.holdings,
            bib.material_type or options.material_type,
            bib.grade_band,
        )


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def in_second_process(
    make_chunks: Callable[[], Iterable[list[Prepared]]],
) -> Iterator[list[Prepared]]:
    """Run `make_chunks` in a forked process and yield its chunks here, in order.

    Reading and preparing records is pure Python and takes about as long as storing
    them; on a machine with two cores the two halves then run side by side. The child
    never touches the database.
    """
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=4)

    def produce() -> None:
        try:
            for chunk in make_chunks():
                queue.put(chunk)
            queue.put(None)
        except BaseException as exc:  # handed to the parent, which raises it
            queue.put(exc)

    process = context.Process(target=produce, daemon=True)
    process.start()
    try:
        while (chunk := queue.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        process.kill()
        process.join()


class _CallNumbers:
    """Call numbers for a chunk's new copies, with the 种次号 counters read in one query."""

    def __init__(self, school: School, class_numbers: set[str]) -> None:
        self.school = school
        self.rule = catalog_settings(school).book_number_rule
        self.taken: dict[int, str] = {}
        self.given: set[str] = set()  # call numbers the chunk's holdings bring
        self.counters: dict[str, int] = {}
        self.start: dict[str, int] = {}
        if self.rule == BookNumberRule.SEQUENCE and class_numbers:
            rows = (
                BookNumberCounter.objects.select_for_update()
                .filter(school=school, class_number__in=class_numbers)
                .values_list("class_number", "last")
            )
            self.start = dict(rows)
            self.counters = dict(self.start)

    def note(self, call_number: str) -> None:
        """A call number a holding brings: never handed out to another record."""
        self.given.add(call_number)
        if _holding_problem("", "", call_number):
            return  # the copy is refused; its number must not move the counter
        class_number, _slash, number = call_number.partition("/")
        if (
            self.rule == BookNumberRule.SEQUENCE
            and 0 < len(class_number) <= 40
            and number.isdigit()
        ):
            self.counters[class_number] = max(self.counters.get(class_number, 0), int(number))

    def for_record(self, record: Any, existing: dict[int, str]) -> str:
        if record.pk in existing:
            return existing[record.pk]
        if record.pk in self.taken:
            return self.taken[record.pk]
        if not record.class_number:
            return ""
        if self.rule == BookNumberRule.AUTHOR:
            number = next_call_number(
                self.school, record, taken=self.given | set(self.taken.values())
            )
        else:
            last = self.counters.get(record.class_number, 0) + 1
            self.counters[record.class_number] = last
            number = f"{record.class_number}/{last}"
        self.taken[record.pk] = number
        return number

    def save(self) -> None:
        missing = [
            BookNumberCounter(school=self.school, class_number=c, last=last)
            for c, last in self.counters.items()
            if c not in self.start
        ]
        BookNumberCounter.objects.bulk_create(missing)
        for class_number, last in self.counters.items():
            if class_number in self.start and last != self.start[class_number]:
                BookNumberCounter.objects.filter(
                    school=self.school, class_number=class_number
                ).update(last=last)


RECORD_FIELDS = ("id", "title", "first_author", "class_number", "price", "match_key")


@dataclass(slots=True)
class RecordRef:
    """What storing copies needs of a record just inserted (no model instance: speed)."""

    pk: int
    title: str
    first_author: str
    class_number: str
    price: Decimal | None


def _existing_records(values: list[tuple[int, dict, list[str]]]) -> dict[str, Record]:
    """Known records by ISBN-13, and by match key for entries without ISBN: two queries."""
    isbns = {i for _p, _v, isbn_list in values for i in isbn_list}
    keys = {v["match_key"] for _p, v, isbn_list in values if not isbn_list}
    known: dict[str, Record] = {}
    rows = Isbn.objects.filter(isbn13__in=isbns).values_list("isbn13", "record")
    by_id = {
        r.pk: r for r in Record.objects.filter(pk__in={pk for _i, pk in rows}).only(*RECORD_FIELDS)
    }
    for isbn13, record_id in rows:
        known.setdefault("isbn:" + isbn13, by_id[record_id])
    if keys:
        for record in Record.objects.filter(match_key__in=keys).only(*RECORD_FIELDS):
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
    chunk: list[Prepared],
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


def _store(
    chunk: list[Prepared], *, school: School, options: ImportOptions, outcome: Outcome
) -> None:
    values: list[tuple[int, dict, list[str]]] = []
    holdings: dict[int, list[Holding]] = {}
    kinds: dict[int, tuple[str, str]] = {}
    for entry in chunk:
        if entry.columns is None:
            outcome.add_error(entry.position, entry.error or "")
            continue
        values.append((entry.position, entry.columns, entry.isbns))
        holdings[entry.position] = entry.holdings
        kinds[entry.position] = (entry.material_type, entry.grade_band)
    known: dict[str, Any] = _existing_records(values)
    record_at: dict[int, Any] = {}
    new_rows: list[dict[str, Any]] = []
    new_isbns: list[list[str]] = []
    new_refs: list[RecordRef] = []
    for position, columns, isbns in values:
        record = _find(known, columns, isbns)
        if record is not None:
            outcome.merged_records += 1
        else:
            material_type, grade_band = kinds[position]
            new_rows.append({**columns, "material_type": material_type, "grade_band": grade_band})
            new_isbns.append(isbns)
            record = RecordRef(
                0,
                columns["title"],
                columns["first_author"],
                columns["class_number"],
                columns["price"],
            )
            new_refs.append(record)
            # A second copy of the same book later in the file merges with this one.
            for isbn in isbns:
                known["isbn:" + isbn] = record
            known.setdefault("key:" + columns["match_key"], record)
        record_at[position] = record
    for ref, pk in zip(new_refs, bulk.insert_rows(Record, new_rows), strict=True):
        ref.pk = pk
    bulk.insert_rows(
        Isbn,
        [
            {"record_id": ref.pk, "isbn13": isbn}
            for ref, isbns in zip(new_refs, new_isbns, strict=True)
            for isbn in isbns
        ],
    )
    outcome.created_records = len(new_rows)
    _store_items(record_at, holdings, school=school, options=options, outcome=outcome)


def _store_items(
    record_at: dict[int, Any],
    holdings: dict[int, list[Holding]],
    *,
    school: School,
    options: ImportOptions,
    outcome: Outcome,
) -> None:
    record_ids = {record.pk for record in record_at.values()}
    existing = Item.objects.filter(school=school, record__in=record_ids).values_list(
        "record", "call_number"
    )
    held: set[int] = set()
    existing_calls: dict[int, str] = {}
    for record_id, call_number in existing:
        held.add(record_id)
        if call_number:
            existing_calls[record_id] = call_number
    wanted: list[tuple[int, Any, Holding]] = []
    for position, record in record_at.items():
        copies = holdings.get(position) or []
        if not copies and options.copies_if_none and record.pk not in held:
            copies = [Holding() for _ in range(options.copies_if_none)]
            held.add(record.pk)
        wanted += [(position, record, h) for h in copies]
    given = {h.barcode.strip().upper() for _p, _r, h in wanted if h.barcode.strip()}
    # barcode -> record of the copy that has it: the same record means imported before.
    holder: dict[str, int] = dict(
        Item.objects.filter(school=school, barcode__in=given).values_list("barcode", "record")
    )
    taken_barcodes = set(holder)
    given_accessions = {
        h.accession_number.strip() for _p, _r, h in wanted if h.accession_number.strip()
    }
    taken_accessions = set(
        Item.objects.filter(school=school, accession_number__in=given_accessions).values_list(
            "accession_number", flat=True
        )
    )
    locations = _locations(school)
    given_calls = {h.call_number.strip() for _p, _r, h in wanted if h.call_number.strip()}
    classes = {r.class_number for r in record_at.values() if r.class_number}
    classes |= {c.partition("/")[0] for c in given_calls if "/" in c}
    calls = _CallNumbers(school, classes)
    for call_number in given_calls:
        calls.note(call_number)
    received_on = options.received_on or timezone.localdate()
    rows: list[dict[str, Any]] = []
    needs_numbers: list[dict[str, Any]] = []
    for position, record, holding in wanted:
        barcode = holding.barcode.strip().upper()
        accession = holding.accession_number.strip()
        if barcode and barcode in taken_barcodes:
            if holder.get(barcode) == record.pk:
                outcome.skipped_items += 1  # imported before: leave it alone
            else:
                outcome.add_error(
                    position, f"第 {position} 条记录：条码 {barcode} 已被本校另一种书的复本使用"
                )
            continue
        if accession and accession in taken_accessions:
            outcome.add_error(
                position, f"第 {position} 条记录：登记号 {accession} 已被本校其他册使用"
            )
            continue
        problem = _holding_problem(barcode, accession, holding.call_number.strip(), holding.price)
        if problem:  # stored, it would stop the whole import (or be cut short)
            outcome.add_error(position, f"第 {position} 条记录：{problem}")
            continue
        call_number = holding.call_number.strip() or calls.for_record(record, existing_calls)
        existing_calls.setdefault(record.pk, call_number)
        place = holding.location.strip()
        location = locations.get(place.lower()) or locations.get(place) or options.location
        row = {
            "school_id": school.pk,
            "record_id": record.pk,
            "barcode": barcode,
            "accession_number": accession,
            "call_number": call_number,
            "call_sort": clc.call_number_sort_string(call_number) if call_number else "",
            "location_id": location.pk,
            "status": ItemStatus.AVAILABLE,
            "price": holding.price if holding.price is not None else record.price,
            "source": options.source,
            "batch_id": options.batch.pk if options.batch else None,
            "received_on": received_on,
        }
        if barcode:
            taken_barcodes.add(barcode)
            holder[barcode] = record.pk
        if accession:
            taken_accessions.add(accession)
        if not barcode or not accession:
            needs_numbers.append(row)
        rows.append(row)
    if needs_numbers:
        numbers = iter(
            allocate_numbers(
                school,
                len(needs_numbers),
                reserved_barcodes=taken_barcodes,
                reserved_accessions=taken_accessions,
            )
        )
        for row in needs_numbers:
            barcode, accession = next(numbers)
            row["barcode"] = row["barcode"] or barcode
            row["accession_number"] = row["accession_number"] or accession
    calls.save()
    bulk.insert_rows(Item, rows)
    outcome.created_items = len(rows)


def _holding_problem(
    barcode: str, accession: str, call_number: str, price: Decimal | None = None
) -> str:
    """Why a copy a file describes cannot be stored, or ""."""
    if price is not None and price > MAX_PRICE:
        return f"价格 {price} 太大"
    for label, value, name in (
        ("条码", barcode, "barcode"),
        ("登记号", accession, "accession_number"),
        ("索书号", call_number, "call_number"),
    ):
        longest = Item._meta.get_field(name).max_length or 0
        if len(value) > longest:
            return f"{label}“{value}”超过 {longest} 位"
    if call_number:
        try:
            clc.call_number_sort_string(call_number)
        except clc.ClcError as exc:
            return str(exc)
    return ""


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
    parallel: bool = False,
) -> Outcome:
    """Import a stream of (position, BibData or None, error) in chunks.

    `skip` resumes after the first `skip` entries (a job that was interrupted);
    `inside(chunk_outcome)` runs in each chunk's transaction; `progress(total)`
    after each chunk. With `parallel`, reading and preparing run in a second process
    where the platform can fork.
    """
    total = Outcome(processed=skip)

    def make_chunks() -> Iterator[list[Prepared]]:
        stream = iter(entries)
        for _skipped in islice(stream, skip):
            pass
        return chunks(prepare(stream, options), CHUNK)

    source = in_second_process(make_chunks) if parallel and can_fork() else make_chunks()
    for chunk in source:
        outcome = store_chunk(
            chunk, school=school, options=options, by=by, dry_run=dry_run, inside=inside
        )
        total.merge(outcome)
        if progress is not None:
            progress(total)
    return total
