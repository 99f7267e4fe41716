"""State changes of the catalogue: records, copies, call numbers, accession batches.

Views, the API, imports and commands all come through these functions.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from shuxiang.audit.services import record as audit
from shuxiang.catalog import clc
from shuxiang.catalog.bibdata import BibData
from shuxiang.catalog.models import (
    ITEM_TRANSITIONS,
    AccessionBatch,
    BookNumberCounter,
    BookNumberRule,
    CatalogSettings,
    Isbn,
    Item,
    ItemSource,
    ItemStatus,
    Location,
    MaterialType,
    Record,
    SchoolCounter,
)
from shuxiang.catalog.search import build_search_text
from shuxiang.lib.isbn import IsbnError, normalise
from shuxiang.lib.pinyin import syllables
from shuxiang.schools.models import School

CENTS = Decimal("0.01")
MAX_PRICE = Decimal("9999999.99")  # what a price column (9 digits, 2 of them cents) holds
MAX_COPIES = 500


class CatalogError(Exception):
    """A change the catalogue refuses; `field` names the form field at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


# ---------------------------------------------------------------- records


def match_key(title: str, first_author: str, publisher: str) -> str:
    """Normalised title | first author | publisher, for the duplicate check (查重)."""

    def norm(text: str) -> str:
        folded = unicodedata.normalize("NFKC", text).lower()
        return "".join(ch for ch in folded if ch.isalnum())

    return f"{norm(title)}|{norm(first_author)}|{norm(publisher)}"[:200]


YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")


def record_values(data: BibData) -> tuple[dict[str, Any], list[str]]:
    """Validated column values of a record and its ISBN-13s; CatalogError on bad input."""
    title = data.title.strip()
    if not title:
        raise CatalogError(_("The title is missing."), field="title")
    isbns: list[str] = []
    for raw in data.isbns:
        if not raw.strip():
            continue
        try:
            isbn13 = normalise(raw)
        except IsbnError as exc:
            raise CatalogError(str(exc), field="isbn") from None
        if isbn13 not in isbns:
            isbns.append(isbn13)
    class_number = ""
    if data.class_number.strip():
        try:
            class_number = clc.validate(data.class_number)
        except clc.ClcError as exc:
            raise CatalogError(str(exc), field="class_number") from None
    price = data.price.quantize(CENTS) if data.price is not None else None
    if price is not None and price < 0:
        raise CatalogError(_("The price cannot be negative."), field="price")
    if price is not None and price > MAX_PRICE:
        raise CatalogError(_("The price %(price)s is too large.") % {"price": price}, field="price")
    authors = [
        {"name": c.name.strip(), "role": c.role.strip()}
        for c in data.contributors
        if c.name.strip()
    ]
    first_author = authors[0]["name"] if authors else ""
    year_match = YEAR.search(data.date or "")
    values = {
        "title": title[:300],
        "other_title": data.other_title.strip()[:300],
        "responsibility": data.responsibility.strip()[:300],
        "authors": authors,
        "first_author": first_author[:100],
        "publisher": data.publisher.strip()[:120],
        "place": data.place.strip()[:60],
        "date": (data.date or "").strip()[:10],
        "year": int(year_match.group()) if year_match else None,
        "edition": data.edition.strip()[:60],
        "isbn": isbns[0] if isbns else "",
        "price": price,
        "pages": data.pages.strip()[:40],
        "series": data.series.strip()[:200],
        "language": (data.language or "chi").strip()[:3],
        "summary": data.summary.strip(),
        "subjects": [s.strip() for s in data.subjects if s.strip()],
        "class_number": class_number,
        "class_sort": clc.sort_string(class_number) if class_number else "",
        "title_pinyin": " ".join(syllables(title))[:600],
        "control_number": data.control_number.strip()[:40],
        "match_key": match_key(title, first_author, data.publisher),
    }
    values["search_text"] = build_search_text(
        title=title,
        other_title=values["other_title"],
        series=values["series"],
        authors=[a["name"] for a in authors],
        publisher=values["publisher"],
        subjects=values["subjects"],
        isbns=isbns,
        class_number=class_number,
    )
    return values, isbns


@transaction.atomic
def catalogue_record(
    *,
    by: Any,
    data: BibData,
    material_type: str = MaterialType.BOOK,
    grade_band: str = "",
) -> Record:
    """Create a record from `data` (the caller has done the duplicate check)."""
    values, isbns = record_values(data)
    record = Record.objects.create(material_type=material_type, grade_band=grade_band, **values)
    Isbn.objects.bulk_create(Isbn(record=record, isbn13=i) for i in isbns)
    audit("record.create", actor=by, obj=record, school=getattr(by, "school", None))
    return record


@transaction.atomic
def update_record(
    record: Record,
    *,
    by: Any,
    data: BibData,
    material_type: str,
    grade_band: str,
) -> Record:
    values, isbns = record_values(data)
    changed = [k for k, v in values.items() if getattr(record, k) != v]
    for key, value in values.items():
        setattr(record, key, value)
    record.material_type, record.grade_band = material_type, grade_band
    record.save()
    Isbn.objects.filter(record=record).exclude(isbn13__in=isbns).delete()
    known = set(Isbn.objects.filter(record=record).values_list("isbn13", flat=True))
    Isbn.objects.bulk_create(Isbn(record=record, isbn13=i) for i in isbns if i not in known)
    if record.class_number:
        # The call numbers of this school's copies follow a new class number.
        _renumber_after_class_change(record, by=by)
    audit(
        "record.update",
        actor=by,
        obj=record,
        school=getattr(by, "school", None),
        details={"fields": [c for c in changed if c not in ("search_text", "class_sort")]},
    )
    return record


def _renumber_after_class_change(record: Record, *, by: Any) -> None:
    for school_id in (
        Item.objects.filter(record=record).values_list("school_id", flat=True).distinct()
    ):
        items = Item.objects.filter(record=record, school_id=school_id)
        current = items.values_list("call_number", flat=True).first() or ""
        if current.split("/", 1)[0] == record.class_number:
            continue
        call_number = next_call_number(School.objects.get(pk=school_id), record)
        items.update(call_number=call_number, call_sort=clc.call_number_sort_string(call_number))


# ---------------------------------------------------------------- call numbers


def catalog_settings(school: School) -> CatalogSettings:
    settings, _created = CatalogSettings.objects.get_or_create(school=school)
    return settings


def author_mark(record: Record) -> str:
    """著者号 by pinyin: initials of the first author (or of the title), e.g. 曹雪芹 -> CXQ."""
    source = record.first_author or record.title
    mark = "".join(s[0] for s in syllables(source[:4])).upper()
    return mark or "X"


def next_call_number(school: School, record: Record, *, taken: Collection[str] = ()) -> str:
    """A new call number for the record in this school: class number / book number.

    种次号: the next free number for the class number in the school. 著者号: the
    author mark; another record of the same class and mark gets ":2", ":3" ...
    A record without a class number gets no call number. `taken`: call numbers
    handed out but not stored yet (an import's chunk).
    """
    if not record.class_number:
        return ""
    if catalog_settings(school).book_number_rule == BookNumberRule.AUTHOR:
        base = f"{record.class_number}/{author_mark(record)}"
        used = set(taken) | set(
            Item.objects.filter(school=school, call_number__startswith=base)
            .exclude(record_id=record.pk)
            .values_list("call_number", flat=True)
        )
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}:{n}"
        return candidate
    counter, _created = BookNumberCounter.objects.select_for_update().get_or_create(
        school=school, class_number=record.class_number
    )
    # Numbers on the shelf that did not come from the counter (older data) are not reused.
    prefix = f"{record.class_number}/"
    shelved = (
        Item.objects.filter(school=school, call_number__startswith=prefix)
        .values_list("call_number", flat=True)
        .distinct()
    )
    numbers = (c[len(prefix) :] for c in [*shelved, *taken] if c.startswith(prefix))
    used = [int(rest) for rest in numbers if rest.isdigit()]
    last = max([counter.last, *used]) + 1
    BookNumberCounter.objects.filter(pk=counter.pk).update(last=last)
    return f"{prefix}{last}"


def call_number_for(school: School, record: Record) -> str:
    """The record's call number in the school: copies share it; new records get a new one."""
    existing = (
        Item.objects.filter(school=school, record=record)
        .exclude(call_number="")
        .values_list("call_number", flat=True)
        .first()
    )
    return existing or next_call_number(school, record)


# ---------------------------------------------------------------- copies


def _counter(school: School) -> SchoolCounter:
    counter, _created = SchoolCounter.objects.select_for_update().get_or_create(school=school)
    return counter


def _clean_barcode(raw: str) -> str:
    code = unicodedata.normalize("NFKC", raw).strip().upper()
    if not code or not re.fullmatch(r"[0-9A-Z\-]{1,32}", code):
        raise CatalogError(
            _("Barcode “%(code)s”: use digits, letters and hyphens only (at most 32).")
            % {"code": raw},
            field="barcodes",
        )
    return code


def allocate_numbers(
    school: School,
    count: int,
    *,
    barcodes: Sequence[str] | None = None,
    reserved_barcodes: Collection[str] = (),
    reserved_accessions: Collection[str] = (),
) -> list[tuple[str, str]]:
    """(barcode, accession number) pairs for `count` new copies, in one go.

    Accession numbers (登记号) are sequential per school. Barcodes are the given
    ones (checked against the school's) or the prefix and the next free numbers.
    Numbers in `reserved_*` are in use without being stored yet (an import's chunk).
    """
    settings = catalog_settings(school)
    counter = _counter(school)
    if barcodes is not None:
        codes = [_clean_barcode(b) for b in barcodes]
        if len(codes) != count:
            raise CatalogError(
                _("%(codes)s barcodes given for %(count)s copies.")
                % {"codes": len(codes), "count": count},
                field="barcodes",
            )
        duplicates = {c for c in codes if codes.count(c) > 1}
        taken = set(
            Item.objects.filter(school=school, barcode__in=codes).values_list("barcode", flat=True)
        )
        if duplicates or taken:
            raise CatalogError(
                _("Barcodes already in use: %(codes)s")
                % {"codes": "、".join(sorted(duplicates | taken))},
                field="barcodes",
            )
    else:
        codes = []
        number = counter.last_barcode
        while len(codes) < count:
            batch = []
            while len(batch) < count - len(codes):
                number += 1
                batch.append(f"{settings.barcode_prefix}{number:0{settings.barcode_digits}d}")
            taken = set(
                Item.objects.filter(school=school, barcode__in=batch).values_list(
                    "barcode", flat=True
                )
            )
            codes += [b for b in batch if b not in taken and b not in reserved_barcodes]
        counter.last_barcode = number
    accessions: list[str] = []
    number = counter.last_accession
    while len(accessions) < count:
        wanted = count - len(accessions)
        candidates = [
            f"{n:0{settings.accession_digits}d}" for n in range(number + 1, number + wanted + 1)
        ]
        number += wanted
        taken = set(
            Item.objects.filter(school=school, accession_number__in=candidates).values_list(
                "accession_number", flat=True
            )
        )
        accessions += [c for c in candidates if c not in taken and c not in reserved_accessions]
    counter.last_accession = number
    counter.save(update_fields=["last_barcode", "last_accession"])
    return list(zip(codes, accessions, strict=True))


@dataclass
class CopyDetails:
    location: Location
    price: Decimal | None = None
    source: str = ItemSource.PURCHASE
    received_on: datetime.date | None = None
    note: str = ""
    status: str = ItemStatus.AVAILABLE


@transaction.atomic
def add_copies(
    *,
    by: Any,
    school: School,
    record: Record,
    copies: int,
    details: CopyDetails,
    barcodes: Sequence[str] | None = None,
    batch: AccessionBatch | None = None,
) -> list[Item]:
    """Register `copies` new copies of `record` in `school` (个别登记).

    Copies always join an accession batch, so the 总括登记帐 counts every volume: the
    given one, or today's batch of copies registered one by one (零星登记).
    """
    if not 1 <= copies <= MAX_COPIES:
        raise CatalogError(_("Copies must be 1 to %(max)s.") % {"max": MAX_COPIES}, field="copies")
    if details.location.school_id != school.pk:
        raise CatalogError(_("The location is not one of this school's."), field="location")
    call_number = call_number_for(school, record)
    numbers = allocate_numbers(school, copies, barcodes=barcodes)
    price = details.price if details.price is not None else record.price
    one_by_one = batch is None
    if one_by_one:
        batch = daily_batch(school, by=by, source=details.source)
    items = [
        Item(
            school=school,
            record=record,
            barcode=barcode,
            accession_number=accession,
            call_number=call_number,
            call_sort=clc.call_number_sort_string(call_number) if call_number else "",
            location=details.location,
            status=details.status,
            price=price,
            source=details.source,
            batch=batch,
            received_on=details.received_on or timezone.localdate(),
            note=details.note,
        )
        for barcode, accession in numbers
    ]
    try:
        Item.objects.bulk_create(items)
    except IntegrityError:
        raise CatalogError(
            _("A barcode or accession number is already used by a copy of this school."),
            field="barcodes",
        ) from None
    if one_by_one:
        refresh_batch_totals(batch)
    audit(
        "item.add",
        actor=by,
        obj=record,
        school=school,
        details={"copies": copies, "barcodes": [i.barcode for i in items][:50]},
    )
    return items


def _check_transition(item: Item, status: str) -> None:
    if status not in ITEM_TRANSITIONS.get(item.status, frozenset()):
        raise CatalogError(
            _("Barcode %(barcode)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "barcode": item.barcode,
                "from": item.get_status_display(),
                "to": ItemStatus(status).label,
            },
            field="status",
        )


@transaction.atomic
def set_item_status(item: Item, *, by: Any, status: str, note: str = "") -> Item:
    """Change one copy's status along the transition table (ITEM_TRANSITIONS)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    _check_transition(item, status)
    before = item.status
    item.status = status
    item.status_changed_at = timezone.now()
    fields = ["status", "status_changed_at"]
    if status == ItemStatus.WITHDRAWN:
        item.withdrawn_on = timezone.localdate()
        fields.append("withdrawn_on")
    if note:
        item.note = note[:200]
        fields.append("note")
    item.save(update_fields=fields)
    audit("item.status", actor=by, obj=item, details={"from": before, "to": status})
    return item


@transaction.atomic
def move_items(items: Iterable[Item], *, by: Any, location: Location) -> int:
    """Move copies to another location of the same school."""
    items = list(items)
    if any(item.school_id != location.school_id for item in items):
        raise CatalogError(_("The location is not one of this school's."), field="location")
    ids = [item.pk for item in items]
    moved = Item.objects.filter(pk__in=ids).exclude(location=location).update(location=location)
    audit(
        "item.move",
        actor=by,
        obj=location,
        school=location.school,
        details={"items": len(ids), "moved": moved},
    )
    return moved


@transaction.atomic
def edit_items(
    items: Iterable[Item],
    *,
    by: Any,
    location: Location | None = None,
    price: Decimal | None = None,
    note: str | None = None,
    status: str | None = None,
) -> int:
    """Batch edit (批量修改): the given values replace those of every copy; None keeps."""
    items = list(Item.objects.select_for_update().filter(pk__in=[i.pk for i in items]))
    if status is not None:
        for item in items:
            if item.status != status:
                _check_transition(item, status)
    if location is not None and any(i.school_id != location.school_id for i in items):
        raise CatalogError(_("The location is not one of this school's."), field="location")
    changes: dict[str, Any] = {}
    if location is not None:
        changes["location"] = location
    if price is not None:
        changes["price"] = price.quantize(CENTS)
    if note is not None:
        changes["note"] = note[:200]
    if status is not None:
        changes["status"] = status
        changes["status_changed_at"] = timezone.now()
        if status == ItemStatus.WITHDRAWN:
            changes["withdrawn_on"] = timezone.localdate()
    count = Item.objects.filter(pk__in=[i.pk for i in items]).update(**changes) if changes else 0
    if items:
        audit(
            "item.batch_edit",
            actor=by,
            obj=items[0].record,
            school=items[0].school,
            details={"items": count, "fields": sorted(changes)},
        )
    return count


# ---------------------------------------------------------------- receiving


@dataclass
class ReceiptLine:
    record: Record
    copies: int
    price: Decimal | None = None


def open_batch(
    school: School,
    *,
    by: Any,
    received_on: datetime.date,
    source: str,
    supplier: str = "",
    invoice: str = "",
    note: str = "",
) -> AccessionBatch:
    """A new accession batch (a line of the 总括登记帐), numbered per school."""
    counter = _counter(school)
    counter.last_batch += 1
    counter.save(update_fields=["last_batch"])
    return AccessionBatch.objects.create(
        school=school,
        number=counter.last_batch,
        received_on=received_on,
        source=source,
        supplier=supplier[:120],
        invoice=invoice[:60],
        note=note[:200],
        created_by=by if getattr(by, "pk", None) else None,
    )


DAILY_NOTE = "零星登记"


def daily_batch(school: School, *, by: Any, source: str) -> AccessionBatch:
    """Today's batch for copies registered one by one (零星登记), per source."""
    today = timezone.localdate()
    found = (
        AccessionBatch.objects.select_for_update()
        .filter(school=school, received_on=today, source=source, note=DAILY_NOTE)
        .order_by("number")
        .first()
    )
    return found or open_batch(school, by=by, received_on=today, source=source, note=DAILY_NOTE)


def refresh_batch_totals(batch: AccessionBatch) -> AccessionBatch:
    """Titles, volumes and amount of a batch, counted from its copies."""
    figures = Item.objects.filter(batch=batch).aggregate(
        titles=Count("record", distinct=True),
        volumes=Count("pk"),
        amount=Sum("price", default=Decimal("0")),
    )
    batch.titles, batch.volumes = figures["titles"], figures["volumes"]
    batch.amount = Decimal(figures["amount"]).quantize(CENTS)
    batch.save(update_fields=["titles", "volumes", "amount"])
    return batch


@transaction.atomic
def receive_batch(
    *,
    by: Any,
    school: School,
    received_on: datetime.date,
    source: str,
    supplier: str = "",
    invoice: str = "",
    note: str = "",
    lines: Sequence[ReceiptLine],
    location: Location,
) -> AccessionBatch:
    """验收入库: one accession batch (总括登记) with its copies, numbered in one go."""
    if not lines:
        raise CatalogError(_("The batch has no titles."), field="lines")
    batch = open_batch(
        school,
        by=by,
        received_on=received_on,
        source=source,
        supplier=supplier,
        invoice=invoice,
        note=note,
    )
    for line in lines:
        details = CopyDetails(
            location=location, price=line.price, source=source, received_on=received_on
        )
        add_copies(
            by=by,
            school=school,
            record=line.record,
            copies=line.copies,
            details=details,
            batch=batch,
        )
    refresh_batch_totals(batch)
    audit(
        "batch.receive",
        actor=by,
        obj=batch,
        school=school,
        details={"titles": batch.titles, "volumes": batch.volumes, "amount": str(batch.amount)},
    )
    return batch
