"""Spine and barcode labels: layouts on A4, placement with a start position, the print page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from shuxiang.catalog import labels, services
from shuxiang.catalog.bibdata import BibData
from shuxiang.catalog.models import ItemStatus

LAYOUT_65 = labels.LAYOUTS["65"]  # 5 × 13 labels of 38.1 × 21.2 mm, from 4.75 / 10.7 mm


# ---------------------------------------------------------------- layouts and placement


@pytest.mark.parametrize("key", sorted(labels.LAYOUTS))
def test_every_built_in_layout_fits_on_a4(key):
    layout = labels.LAYOUTS[key]
    assert layout.check() is layout
    right, bottom = layout.position(layout.per_sheet - 1)
    assert right + layout.width <= labels.A4_WIDTH
    assert bottom + layout.height <= labels.A4_HEIGHT


def custom(**changes):
    values = {"columns": 3, "rows": 8, "width": 60.0, "height": 30.0, "top": 10.0, "left": 10.0}
    return labels.custom_layout(**{**values, **changes})


def test_a_custom_grid_that_fits_is_accepted():
    layout = custom(column_gap=5.0, row_gap=2.0)
    assert layout.per_sheet == 24
    assert layout.position(4) == (75.0, 42.0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"columns": 4}, "标签横向共 250.0 毫米，超出 A4 纸宽 210 毫米"),
        ({"rows": 10}, "标签纵向共 310.0 毫米，超出 A4 纸高 297 毫米"),
        ({"column_gap": -1.0}, "边距和间距不能为负数"),
        ({"width": 5.0}, "标签的宽和高都应大于 5 毫米"),
        ({"columns": 21}, "每页列数应为 1–20"),
    ],
)
def test_a_custom_grid_that_does_not_fit_is_refused(changes, message):
    with pytest.raises(labels.LabelError, match=message):
        custom(**changes)


def test_labels_fill_a_sheet_row_by_row():
    [page] = labels.sheets(["a", "b", "c", "d", "e", "f"], LAYOUT_65)
    assert page[0] == (4.75, 10.7, "a")
    assert page[1] == (45.35, 10.7, "b")  # 4.75 + 38.1 + 2.5 gap
    assert page[5] == (4.75, 31.9, "f")  # second row


def test_start_position_skips_used_labels_and_overflows_to_a_second_sheet():
    pages = labels.sheets(list(range(5)), LAYOUT_65, start=63)

    assert [len(page) for page in pages] == [3, 2]
    first_left, first_top, first = pages[0][0]
    assert first == 0
    assert (first_left, first_top) == LAYOUT_65.position(62)  # slot 63: row 13, column 3
    assert (first_left, first_top) == (85.95, 265.1)
    assert pages[1][0] == (4.75, 10.7, 3)


def test_a_full_sheet_does_not_start_an_empty_one():
    pages = labels.sheets(list(range(65)), LAYOUT_65)
    assert [len(page) for page in pages] == [65]
    assert [len(page) for page in labels.sheets(list(range(66)), LAYOUT_65)] == [65, 1]


@pytest.mark.parametrize("start", [0, 66])
def test_a_start_position_off_the_sheet_is_refused(start):
    with pytest.raises(labels.LabelError, match="起始位置应在 1 到 65 之间"):
        labels.sheets(["a"], LAYOUT_65, start=start)


@pytest.mark.parametrize(
    ("call_number", "lines"),
    [
        ("I287.5/12", ("I287.5", "12")),
        ("TP311.1/CXQ:2", ("TP311.1", "CXQ:2")),
        ("I247", ("I247", "")),
    ],
)
def test_spine_lines_split_the_call_number(call_number, lines):
    assert labels.spine_lines(call_number) == lines


def test_barcode_svg_is_inline_svg_with_bars():
    svg = labels.barcode_svg("N0001")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<?xml" not in svg
    bars = re.findall(r'<rect x="[\d.]+mm"', svg)
    assert len(bars) > 10
    assert labels.barcode_svg("N0002") != svg


# ---------------------------------------------------------------- the print page


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


@pytest.fixture
def batch(people):
    record = services.catalogue_record(
        by=None, data=BibData(title="红楼梦", class_number="I242.47", price=Decimal("20"))
    )
    people.location.label_colour = "#cc0000"
    people.location.save(update_fields=["label_colour"])
    return services.receive_batch(
        by=None,
        school=people.school,
        received_on=services.timezone.localdate(),
        source="purchase",
        lines=[services.ReceiptLine(record, 3)],
        location=people.location,
    )


def print_url(**params) -> str:
    query = {"print": "1", "kind": "spine", "layout": "65", "start": "1", "colour": "on"}
    query.update(params)
    return "/catalog/labels/?" + "&".join(f"{k}={v}" for k, v in query.items())


def positions(html: str) -> list[tuple[str, str, str]]:
    """(left, top, barcode) of each label on the page."""
    return re.findall(r'style="left: ([\d.]+)mm; top: ([\d.]+)mm" data-barcode="(\w+)"', html)


def test_spine_labels_of_a_batch_are_placed_in_mm(librarian, people, batch):
    response = librarian.get(print_url(batch=batch.number))

    html = response.content.decode()
    assert response.status_code == 200
    barcodes = [i.barcode for i in batch.items.order_by("accession_number")]
    assert positions(html) == [
        ("4.75", "10.7", barcodes[0]),
        ("45.35", "10.7", barcodes[1]),
        ("85.95", "10.7", barcodes[2]),
    ]
    assert html.count('<div class="line">I242.47</div>') == 3
    assert html.count('<div class="line">1</div>') == 3  # book number I242.47/1
    assert "background: #cc0000" in html
    assert "N0001" not in html  # not in the batch


def test_start_position_on_the_page_moves_the_first_label(librarian, people, batch):
    html = librarian.get(print_url(batch=batch.number, start=65)).content.decode()

    assert html.count('class="sheet"') == 2
    assert [(left, top) for left, top, _code in positions(html)] == [
        ("167.15", "265.1"),
        ("4.75", "10.7"),
        ("45.35", "10.7"),
    ]


def test_barcode_labels_for_listed_barcodes(librarian, people, batch):
    other = batch.items.order_by("accession_number").last()

    response = librarian.get(print_url(kind="barcode", barcodes=f"n0001+{other.barcode}+S0001"))

    html = response.content.decode()
    assert [code for _l, _t, code in positions(html)] == ["N0001", other.barcode]
    assert html.count("<svg") == 2
    assert people.school.name in html
    assert "S0001" not in html  # the other school's copy is not printed


def test_withdrawn_copies_get_no_labels(librarian, people):
    services.set_item_status(people.item, by=None, status=ItemStatus.WITHDRAWN)

    response = librarian.get(print_url(barcodes="N0001"))

    assert "没有找到要打印的册" in response.content.decode()


def test_nothing_matching_shows_an_error_on_the_form(librarian, people):
    response = librarian.get(print_url(batch=99))

    assert response.status_code == 200
    assert response.context["error"] == "没有找到要打印的册，请检查批次、登记号或条码"
    assert "没有找到要打印的册" in response.content.decode()
    assert "<form" in response.content.decode()


def test_a_custom_grid_too_wide_is_refused_on_the_page(librarian, people, batch):
    url = print_url(
        batch=batch.number, layout="custom", columns=5, rows=10, width=45, height=25, top=5, left=5
    )

    response = librarian.get(url)

    assert "超出 A4 纸宽 210 毫米" in response.context["error"]
    assert not positions(response.content.decode())


def test_a_custom_grid_on_the_page(librarian, people, batch):
    url = print_url(
        batch=batch.number, layout="custom", columns=2, rows=5, width=90, height=50, top=12, left=8
    )

    html = librarian.get(url).content.decode()

    assert [(left, top) for left, top, _code in positions(html)] == [
        ("8.0", "12.0"),
        ("98.0", "12.0"),
        ("8.0", "62.0"),
    ]


def test_labels_by_accession_number_range(librarian, people, batch):
    first, second, third = batch.items.order_by("accession_number")

    html = librarian.get(
        print_url(first=second.accession_number, last=third.accession_number)
    ).content.decode()

    assert [code for _l, _t, code in positions(html)] == [second.barcode, third.barcode]


def test_leader_may_not_print_labels(client, people):
    client.force_login(people.leader)
    assert client.get("/catalog/labels/").status_code == 403
