"""API: catalogue search, a record with the caller's school's copies, an item by barcode."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404

from shuxiang.accounts.access import ALL_ROLES
from shuxiang.catalog import queries
from shuxiang.catalog.models import Item, Record
from shuxiang.lib.api import endpoint, ok, page_of

STR = {"type": "string"}
NULLABLE_STR = {"type": ["string", "null"]}
SEARCH_RESULT = {
    "type": "object",
    "properties": {
        "record_id": {"type": "integer"},
        "title": STR,
        "authors": {"type": "array", "items": STR},
        "publisher": STR,
        "year": {"type": ["integer", "null"]},
        "isbn": STR,
        "class_number": STR,
        "call_number": STR,
        "available": {"type": "integer"},
        "total": {"type": "integer"},
    },
}
ITEM = {
    "type": "object",
    "properties": {
        "barcode": STR,
        "accession_number": STR,
        "call_number": STR,
        "location": STR,
        "status": STR,
        "record_id": {"type": "integer"},
        "title": STR,
    },
}


def item_json(item: Item) -> dict:
    return {
        "barcode": item.barcode,
        "accession_number": item.accession_number,
        "call_number": item.call_number,
        "location": item.location.name,
        "status": item.status,
        "record_id": item.record_id,
        "title": item.record.title,
    }


@endpoint(
    ["GET"],
    roles=ALL_ROLES,
    summary="Search the catalogue of the caller's school",
    parameters=[{"name": "q", "in": "query", "schema": STR}],
    response={
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "results": {"type": "array", "items": SEARCH_RESULT},
        },
    },
)
def search(request: HttpRequest) -> JsonResponse:
    school = request.school
    records = queries.held_records(school, queries.CatalogueFilter(q=request.GET.get("q", "")))
    data = page_of(request, records, lambda record: record)
    counts = queries.holdings_counts(school, data["results"])
    calls = queries.call_numbers_of(school, data["results"])
    data["results"] = [
        {
            "record_id": r.pk,
            "title": r.title,
            "authors": [a["name"] for a in r.authors],
            "publisher": r.publisher,
            "year": r.year,
            "isbn": r.isbn,
            "class_number": r.class_number,
            "call_number": calls.get(r.pk, ""),
            "available": counts.get(r.pk, (0, 0))[1],
            "total": counts.get(r.pk, (0, 0))[0],
        }
        for r in data["results"]
    ]
    return ok(data)


@endpoint(
    ["GET"],
    roles=ALL_ROLES,
    summary="A record with its copies in the caller's school",
    response={
        "type": "object",
        "properties": {
            "record_id": {"type": "integer"},
            "title": STR,
            "items": {"type": "array", "items": ITEM},
        },
    },
)
def record(request: HttpRequest, record_id: int) -> JsonResponse:
    found = get_object_or_404(Record, pk=record_id)
    # Records are shared by every school (a union catalogue); the copies are one school's.
    items = list(queries.items_of(request.school, found).select_related("record"))
    return ok(
        {
            "record_id": found.pk,
            "title": found.title,
            "other_title": found.other_title,
            "authors": found.authors,
            "publisher": found.publisher,
            "place": found.place,
            "date": found.date,
            "edition": found.edition,
            "isbns": [i.isbn13 for i in found.isbns.all()],
            "price": str(found.price) if found.price is not None else None,
            "pages": found.pages,
            "series": found.series,
            "class_number": found.class_number,
            "material_type": found.material_type,
            "grade_band": found.grade_band,
            "summary": found.summary,
            "items": [item_json(i) for i in items],
        }
    )


@endpoint(
    ["GET"], roles=ALL_ROLES, summary="A copy of the caller's school by barcode", response=ITEM
)
def item(request: HttpRequest, barcode: str) -> JsonResponse:
    found = get_object_or_404(
        Item.objects.select_related("record", "location"),
        school=request.school,
        barcode=barcode.strip().upper(),
    )
    return ok(item_json(found))
