"""The registers (登记帐): individual, summary (with the five categories) and classified."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import formats, timezone, translation

from shuxiang.catalog import registers, services
from shuxiang.catalog.bibdata import BibData, Contributor
from shuxiang.catalog.models import Item, ItemStatus, Record

FIRST_DAY = datetime.date(2025, 9, 3)
SECOND_DAY = datetime.date(2026, 3, 2)


def book(title: str, class_number: str) -> Record:
    data = BibData(
        title=title,
        class_number=class_number,
        contributors=[Contributor("某作者")],
        publisher="某出版社",
    )
    return services.catalogue_record(by=None, data=data)


def receive(people, day: datetime.date, lines: list[tuple[Record, int, str]], **options):
    return services.receive_batch(
        by=people.librarian,
        school=people.school,
        received_on=day,
        source=options.get("source", "purchase"),
        supplier=options.get("supplier", "新华书店"),
        invoice=options.get("invoice", ""),
        lines=[services.ReceiptLine(r, n, Decimal(price)) for r, n, price in lines],
        location=people.location,
    )


@pytest.fixture
def books(people):
    """Batch 1: a novel (I, 2 × 20.00) and a yearbook (Z, 1 × 30.00); batch 2: a
    computing book (TP, 3 × 10.00) and a philosophy book (B, 1 × 15.00), donated.
    One copy of the novel is withdrawn. The other school has a batch of its own."""
    novel, yearbook = book("小说", "I247.5"), book("年鉴", "Z52")
    computing, philosophy = book("编程", "TP312"), book("哲学", "B82")
    first = receive(people, FIRST_DAY, [(novel, 2, "20.00"), (yearbook, 1, "30.00")], invoice="F-1")
    second = receive(
        people,
        SECOND_DAY,
        [(computing, 3, "10.00"), (philosophy, 1, "15.00")],
        source="donation",
        supplier="家长委员会",
    )
    services.receive_batch(
        by=None,
        school=people.other_school,
        received_on=FIRST_DAY,
        source="purchase",
        lines=[services.ReceiptLine(novel, 5, Decimal("99.00"))],
        location=people.other_location,
    )
    withdrawn = Item.objects.filter(school=people.school, record=novel).order_by("pk").first()
    services.set_item_status(withdrawn, by=None, status=ItemStatus.WITHDRAWN)
    withdrawn.refresh_from_db()
    return {"first": first, "second": second, "withdrawn": withdrawn}


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]


# ---------------------------------------------------------------- individual


def test_individual_register_lists_every_volume_in_accession_order(librarian, people, books):
    rows = xlsx_rows(librarian.get("/catalog/registers/individual/?format=xlsx"))

    header, *lines = rows
    assert header[0] == "登记号" and header[-1] == "剔除"
    assert [line[0] for line in lines] == [f"{n:07d}" for n in range(1, 9)]
    assert len(lines) == 8  # the fixture's copy and seven received; none of the other school
    novel = lines[1]
    assert novel[1].date() == FIRST_DAY
    assert novel[2:6] == ("小说", "某作者", "某出版社", "I247.5/1")
    assert novel[6] == pytest.approx(20.0)
    assert novel[7:9] == ("采购", 1)
    assert novel[9].date() == timezone.localdate()  # withdrawn, with its date
    assert lines[2][9] is None  # the other copy is still held
    assert lines[5][7:9] == ("捐赠", 2)


def test_individual_register_page_shows_the_withdrawal_date(librarian, people, books):
    response = librarian.get("/catalog/registers/individual/")

    html = response.content.decode()
    with translation.override("zh-hans"):
        withdrawn_on = formats.localize(books["withdrawn"].withdrawn_on)
    assert withdrawn_on in html
    assert html.index("0000002") < html.index("0000003") < html.index("0000008")


def test_individual_register_filters_by_batch(librarian, people, books):
    rows = xlsx_rows(librarian.get("/catalog/registers/individual/?format=xlsx&batch=2"))

    assert [line[2] for line in rows[1:]] == ["编程", "编程", "编程", "哲学"]


# ---------------------------------------------------------------- summary


def test_summary_register_has_running_totals_and_the_five_categories(people, books):
    summary = registers.summary(people.school)

    first, second = summary.lines
    assert (first.batch.titles, first.batch.volumes, first.batch.amount) == (
        2,
        3,
        Decimal("70.00"),
    )
    assert first.by_category == {"C-K": 2, "Z": 1}  # the I-class novel is social sciences
    assert (first.total_volumes, first.total_amount) == (3, Decimal("70.00"))
    assert second.by_category == {"N-X": 3, "B": 1}
    assert (second.total_volumes, second.total_amount) == (7, Decimal("115.00"))
    assert (summary.withdrawn_volumes, summary.withdrawn_amount) == (1, Decimal("20.00"))
    assert (summary.holding_volumes, summary.holding_amount) == (6, Decimal("95.00"))


def test_summary_register_page_shows_the_figures(librarian, people, books):
    response = librarian.get("/catalog/registers/summary/")

    assert response.status_code == 200
    lines = response.context["lines"]
    assert [counts for _line, counts in lines] == [[0, 0, 2, 0, 1], [0, 1, 0, 3, 0]]
    html = response.content.decode()
    for figure in ("70.00", "115.00", "95.00", "家长委员会", "F-1"):
        assert figure in html


def test_summary_register_of_one_year(librarian, people, books):
    response = librarian.get(f"/catalog/registers/summary/?year={FIRST_DAY.year}")

    summary = response.context["summary"]
    assert [line.batch.number for line in summary.lines] == [1]
    assert (summary.volumes, summary.amount) == (3, Decimal("70.00"))


def test_summary_register_as_excel(librarian, people, books):
    response = librarian.get("/catalog/registers/summary/?format=xlsx")

    header, first, second = xlsx_rows(response)
    assert header[8:13] == (
        "马列主义、毛泽东思想、邓小平理论",
        "哲学、宗教",
        "社会科学",
        "自然科学",
        "综合性图书",
    )
    assert first[0] == 1 and first[1].date() == FIRST_DAY
    assert first[5:8] == (2, 3, pytest.approx(70.0))
    assert first[8:13] == (0, 0, 2, 0, 1)
    assert second[8:13] == (0, 1, 0, 3, 0)
    assert second[13:] == (7, pytest.approx(115.0))
    sheet = xlsx_sheet(response)
    assert sheet.cell(row=3, column=8).number_format == "0.00"  # amount
    assert sheet.cell(row=3, column=15).number_format == "0.00"  # running total amount


# ---------------------------------------------------------------- classified


def test_classified_register_counts_the_collection_per_basic_class(people, books):
    lines, total = registers.classified(people.school)

    by_code = {line.code: line for line in lines}
    assert [line.code for line in lines] == list("ABCDEFGHIJKNOPQRSTUVXZ")
    # I: the fixture's 西游记 (no price) and the novel's copy still held; not the other school's.
    assert (by_code["I"].titles, by_code["I"].volumes, by_code["I"].amount) == (
        2,
        2,
        Decimal("20.00"),
    )
    assert (by_code["T"].volumes, by_code["T"].amount) == (3, Decimal("30.00"))
    assert by_code["Z"].volumes == by_code["B"].volumes == 1
    assert by_code["I"].share == pytest.approx(200 / 7)
    assert by_code["A"].volumes == 0 and by_code["A"].share == 0
    assert (total.titles, total.volumes, total.amount) == (5, 7, Decimal("95.00"))


def test_classified_register_page_and_excel(librarian, people, books):
    html = librarian.get("/catalog/registers/classified/").content.decode()
    assert "28.6" in html and "42.9" in html  # I and T shares
    # The CLC class and its name, not a school class (班级) and a person's name (姓名).
    assert "<th>分类号</th><th>名称</th>" in html

    header, *rows = xlsx_rows(librarian.get("/catalog/registers/classified/?format=xlsx"))
    assert header == ("分类号", "名称", "种数", "册数", "金额（元）", "占比（%）")
    by_code = {row[0]: row for row in rows}
    assert by_code["I"][2:] == (2, 2, pytest.approx(20.0), pytest.approx(28.6))
    assert by_code["T"][3] == 3
    assert rows[-1][1:] == ("合计", 5, 7, pytest.approx(95.0), 100)


def test_teacher_may_not_open_the_registers(client, people):
    client.force_login(people.teacher)
    for url in ("individual", "summary", "classified"):
        assert client.get(f"/catalog/registers/{url}/").status_code == 403
    client.force_login(people.leader)
    assert client.get("/catalog/registers/summary/").status_code == 200
