"""Exports of the catalogue listing: Excel, CNMARC and MARC 21, each written to the audit log."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from shuxiang.audit.models import AuditEvent
from shuxiang.catalog import marc, services
from shuxiang.catalog.bibdata import BibData, Contributor
from shuxiang.catalog.models import ItemStatus, Location, Record

HEADER = [
    "题名",
    "其他题名",
    "责任者",
    "出版社",
    "出版日期",
    "ISBN",
    "分类号",
    "索书号",
    "定价（元）",
    "册数",
    "在架",
]


def book(title: str, class_number: str, *, isbn: str = "", author: str = "") -> Record:
    data = BibData(
        title=title,
        isbns=[isbn] if isbn else [],
        class_number=class_number,
        contributors=[Contributor(author, "著")] if author else [],
        publisher="人民文学出版社",
        date="2010",
        price=Decimal("59.70"),
    )
    return services.catalogue_record(by=None, data=data)


def copies(record: Record, location: Location, barcodes: list[str]):
    return services.add_copies(
        by=None,
        school=location.school,
        record=record,
        copies=len(barcodes),
        details=services.CopyDetails(location=location),
        barcodes=barcodes,
    )


@pytest.fixture
def holdings(people):
    """红楼梦: two copies here (one on loan), one in the other school; 南校的书 only there."""
    hongloumeng = book("红楼梦", "I242.47", isbn="9787020002207", author="曹雪芹")
    _on_shelf, on_loan = copies(hongloumeng, people.location, ["N0101", "N0102"])
    services.set_item_status(on_loan, by=None, status=ItemStatus.ON_LOAN)
    copies(hongloumeng, people.other_location, ["S0101"])
    copies(book("南校的书", "TP312"), people.other_location, ["S0102"])
    return hongloumeng


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


def workbook_rows(response) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def marc_results(response, flavour: str) -> list[marc.MarcResult]:
    data = b"".join(response.streaming_content)
    return list(marc.read(io.BytesIO(data), flavour=flavour, encoding="utf-8"))


def test_excel_export_has_a_row_per_held_record_with_copy_counts(librarian, people, holdings):
    response = librarian.get("/catalog/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    header, *rows = workbook_rows(response)
    assert list(header) == HEADER
    by_title = {row[0]: row for row in rows}
    assert set(by_title) == {"红楼梦", "西游记"}
    hongloumeng = by_title["红楼梦"]
    assert hongloumeng[2] == "曹雪芹著"
    assert hongloumeng[5] == "9787020002207"
    assert (hongloumeng[6], hongloumeng[7]) == ("I242.47", "I242.47/1")
    assert hongloumeng[8] == pytest.approx(59.70)
    assert (hongloumeng[9], hongloumeng[10]) == (2, 1)
    assert (by_title["西游记"][9], by_title["西游记"][10]) == (1, 1)


def test_excel_export_follows_the_listing_filters(librarian, people, holdings):
    response = librarian.get("/catalog/export.xlsx?q=红楼")

    _header, *rows = workbook_rows(response)
    assert [row[0] for row in rows] == ["红楼梦"]


@pytest.mark.parametrize("flavour", ["cnmarc", "marc21"])
def test_marc_export_reads_back_with_this_schools_copies(librarian, people, holdings, flavour):
    response = librarian.get(f"/catalog/export.mrc?flavour={flavour}")

    assert response.status_code == 200
    assert f"catalogue-{flavour}.mrc" in response["Content-Disposition"]
    results = marc_results(response, flavour)
    assert [r.error for r in results] == [None, None]
    bibs = {r.bib.title: r.bib for r in results}
    assert set(bibs) == {"红楼梦", "西游记"}
    hongloumeng = bibs["红楼梦"]
    assert hongloumeng.class_number == "I242.47"
    assert [c.name for c in hongloumeng.contributors] == ["曹雪芹"]
    assert [h.barcode for h in hongloumeng.holdings] == ["N0101", "N0102"]
    assert {h.call_number for h in hongloumeng.holdings} == {"I242.47/1"}
    assert [h.barcode for h in bibs["西游记"].holdings] == ["N0001"]


def test_marc_export_leaves_out_withdrawn_copies(librarian, people, holdings):
    services.set_item_status(people.item, by=None, status=ItemStatus.WITHDRAWN)

    results = marc_results(librarian.get("/catalog/export.mrc"), "cnmarc")

    assert [r.bib.title for r in results] == ["红楼梦"]


@pytest.mark.parametrize(
    ("url", "format"),
    [("/catalog/export.xlsx", "xlsx"), ("/catalog/export.mrc?flavour=marc21", "marc21")],
)
def test_exports_are_written_to_the_audit_log(librarian, people, holdings, url, format):
    librarian.get(url)

    event = AuditEvent.objects.get(action="export.catalogue")
    assert event.school == people.school
    assert event.actor == people.librarian
    assert event.details == {"format": format, "records": 2}


def test_leader_may_export_but_a_teacher_may_not(client, people, holdings):
    client.force_login(people.leader)
    assert client.get("/catalog/export.xlsx").status_code == 200
    client.force_login(people.teacher)
    assert client.get("/catalog/export.xlsx").status_code == 403
    assert client.get("/catalog/export.mrc").status_code == 403
    assert not AuditEvent.objects.filter(actor=people.teacher).exists()
