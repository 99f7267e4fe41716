"""Reads of the catalogue, shaped for its screens and the API."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from shuxiang.catalog import search
from shuxiang.catalog.bibdata import BibData
from shuxiang.catalog.models import Isbn, Item, ItemStatus, Record
from shuxiang.catalog.services import match_key
from shuxiang.lib.isbn import IsbnError, looks_like_isbn, normalise
from shuxiang.schools.models import School


def records_by_isbn(raw: str) -> QuerySet[Record]:
    """Records carrying this ISBN in any form (10 or 13 digits, hyphens or not)."""
    try:
        isbn13 = normalise(raw)
    except IsbnError:
        return Record.objects.none()
    return Record.objects.filter(pk__in=Isbn.objects.filter(isbn13=isbn13).values("record"))


def find_duplicates(data: BibData) -> list[Record]:
    """查重: records with one of the ISBNs, or the same title, first author and publisher."""
    found: dict[int, Record] = {}
    for raw in data.isbns:
        for record in records_by_isbn(raw):
            found[record.pk] = record
    key = match_key(data.title, data.first_author, data.publisher)
    if data.title.strip():
        for record in Record.objects.filter(match_key=key):
            found.setdefault(record.pk, record)
    return list(found.values())


@dataclass
class CatalogueFilter:
    q: str = ""
    class_number: str = ""
    material_type: str = ""
    location: int | None = None
    status: str = ""


def held_records(school: School, filters: CatalogueFilter) -> QuerySet[Record]:
    """Records of which the school holds copies (withdrawn ones excepted), filtered.

    A free-text query goes through the search index (ranked); a query that is an
    ISBN finds that ISBN; one that looks like a call number matches call numbers.
    """
    items = Item.objects.filter(school=school, record=OuterRef("pk")).in_collection()
    if filters.location:
        items = items.filter(location_id=filters.location)
    if filters.status:
        items = items.filter(status=filters.status)
    records = Record.objects.filter(Exists(items))
    q = filters.q.strip()
    ranked: list[int] | None = None
    if q and looks_like_isbn(q):
        records = records.filter(pk__in=records_by_isbn(q).values("pk"))
    elif q and "/" in q:
        records = records.filter(
            Exists(
                Item.objects.filter(
                    school=school, record=OuterRef("pk"), call_number__istartswith=q
                )
            )
        )
    elif q:
        ranked = search.record_ids(q)
        records = records.filter(pk__in=ranked)
    if filters.class_number:
        records = records.filter(class_number__startswith=filters.class_number.upper())
    if filters.material_type:
        records = records.filter(material_type=filters.material_type)
    if ranked is not None:
        order = {pk: i for i, pk in enumerate(ranked)}
        return sorted(records, key=lambda r: order[r.pk])  # type: ignore[return-value]
    return records.order_by("class_sort", "title", "pk")


def holdings_counts(school: School, records: list[Record]) -> dict[int, tuple[int, int]]:
    """record id -> (copies in the collection, copies on the shelf) in the school."""
    rows = (
        Item.objects.filter(school=school, record__in=[r.pk for r in records])
        .in_collection()
        .values("record")
        .annotate(total=Count("pk"), available=Count("pk", filter=Q(status=ItemStatus.AVAILABLE)))
    )
    return {row["record"]: (row["total"], row["available"]) for row in rows}


def items_of(school: School, record: Record) -> QuerySet[Item]:
    return (
        Item.objects.filter(school=school, record=record)
        .select_related("location", "batch")
        .order_by("accession_number")
    )


def call_number_of(school: School, record: Record) -> str:
    return (
        Item.objects.filter(school=school, record=record)
        .exclude(call_number="")
        .values_list("call_number", flat=True)
        .first()
        or ""
    )


def class_counts(school: School, codes: list[str]) -> dict[str, int]:
    """Copies in the collection under each class code (the code itself and below), from
    one grouped query over the class numbers in use."""
    if not codes:
        return {}
    common = os.path.commonprefix(codes)
    rows = (
        Item.objects.filter(school=school, record__class_number__startswith=common)
        .in_collection()
        .values("record__class_number")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(codes, 0)
    longest_first = sorted(codes, key=len, reverse=True)
    for row in rows:
        number = row["record__class_number"]
        code = next((c for c in longest_first if number.startswith(c)), None)
        if code is not None:
            counts[code] += row["n"]
    return counts


def call_numbers_of(school: School, records: list[Record]) -> dict[int, str]:
    rows = (
        Item.objects.filter(school=school, record__in=[r.pk for r in records])
        .exclude(call_number="")
        .values_list("record", "call_number")
    )
    return dict(rows)
