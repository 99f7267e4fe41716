"""Exports of any catalogue listing: Excel, and MARC (CNMARC or MARC 21, ISO 2709 UTF-8)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.audit.services import record as audit
from shuxiang.catalog import marc, queries
from shuxiang.catalog.bibdata import BibData, Contributor, Holding
from shuxiang.catalog.models import Item, Record
from shuxiang.catalog.register_views import excel
from shuxiang.catalog.views import READERS, catalogue_filter
from shuxiang.lib.xlsx import Sheet

CHUNK = 500


def _records(request: HttpRequest) -> list[Record]:
    _form, filters = catalogue_filter(request)
    return list(queries.held_records(school_of(request), filters))


@require_roles(READERS)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    records = _records(request)
    header = [
        _("Title"),
        _("Other title"),
        _("Authors"),
        _("Publisher"),
        _("Date"),
        _("ISBN"),
        _("Class number"),
        _("Call number"),
        _("Price (CNY)"),
        _("Copies"),
        _("On the shelf"),
    ]

    def rows():
        for start in range(0, len(records), CHUNK):
            part = records[start : start + CHUNK]
            counts = queries.holdings_counts(school, part)
            calls = queries.call_numbers_of(school, part)
            for r in part:
                total, available = counts.get(r.pk, (0, 0))
                yield [
                    r.title,
                    r.other_title,
                    r.authors_display,
                    r.publisher,
                    r.date,
                    r.isbn,
                    r.class_number,
                    calls.get(r.pk, ""),
                    r.price,
                    total,
                    available,
                ]

    audit(
        "export.catalogue",
        actor=request.user,
        obj=school,
        school=school,
        details={"format": "xlsx", "records": len(records)},
    )
    return excel(
        "catalogue.xlsx",
        [
            Sheet(
                _("Catalogue"),
                header,
                rows(),
                widths=[40, 20, 24, 24, 10, 15, 12, 16, 10, 8, 8],
                number_formats={8: "0.00"},
            )
        ],
    )


def bib_of(record: Record, items: list[Item]) -> BibData:
    return BibData(
        title=record.title,
        other_title=record.other_title,
        responsibility=record.responsibility,
        contributors=[Contributor(a["name"], a.get("role", "著")) for a in record.authors],
        publisher=record.publisher,
        place=record.place,
        date=record.date,
        edition=record.edition,
        isbns=[i.isbn13 for i in record.isbns.all()],
        price=record.price,
        pages=record.pages,
        series=record.series,
        language=record.language,
        summary=record.summary,
        subjects=list(record.subjects),
        class_number=record.class_number,
        control_number=str(record.pk),
        holdings=[
            Holding(
                barcode=i.barcode,
                accession_number=i.accession_number,
                call_number=i.call_number,
                location=i.location.code,
                price=i.price,
            )
            for i in items
        ],
    )


@require_roles(READERS)
def export_marc(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    flavour = "marc21" if request.GET.get("flavour") == "marc21" else "cnmarc"
    records = _records(request)

    def bibs() -> Iterator[BibData]:
        for start in range(0, len(records), CHUNK):
            part = records[start : start + CHUNK]
            items: dict[int, list[Item]] = {}
            for item in (
                Item.objects.filter(school=school, record__in=part)
                .in_collection()
                .select_related("location")
                .order_by("accession_number")
            ):
                items.setdefault(item.record_id, []).append(item)
            for record in (
                Record.objects.filter(pk__in=[r.pk for r in part])
                .prefetch_related("isbns")
                .order_by("class_sort", "title", "pk")
            ):
                yield bib_of(record, items.get(record.pk, []))

    writer = marc.write_marc21 if flavour == "marc21" else marc.write_cnmarc
    audit(
        "export.catalogue",
        actor=request.user,
        obj=school,
        school=school,
        details={"format": flavour, "records": len(records)},
    )
    response = StreamingHttpResponse(writer(bibs()), content_type="application/marc")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{flavour}.mrc"'
    return response
