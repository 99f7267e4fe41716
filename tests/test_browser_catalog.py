"""Catalogue flows in a real browser: scan-to-catalogue, pinyin search, label sheets."""

from __future__ import annotations

import pytest

from conftest import sign_in_browser
from shuxiang.catalog import services
from shuxiang.catalog.bibdata import BibData
from shuxiang.catalog.models import AccessionBatch, Item, Record

pytestmark = pytest.mark.browser
PX_PER_MM = 96 / 25.4


def test_librarian_scans_an_isbn_and_catalogues_the_book(page, live_server, people):
    sign_in_browser(page, live_server, "librarian")
    page.goto(f"{live_server.url}/catalog/new/")
    page.fill("#scan", "7-5324-6112-2")  # an ISBN-10, as the scanner of an old book gives it
    page.press("#scan", "Enter")
    page.wait_for_load_state()
    assert page.input_value("#id_isbn") == "978-7-5324-6112-7"
    page.fill("#id_title", "小熊的蜂蜜罐")
    page.fill("#id_authors", "王小丫 著")
    page.fill("#id_publisher", "少年儿童出版社")
    page.fill("#id_class_number", "I287.8")
    page.fill("#id_copies-copies", "2")
    page.select_option("#id_copies-location", label="藏书室")
    page.click("form.grid2 button[type=submit]")
    page.wait_for_load_state()
    record = Record.objects.get(title="小熊的蜂蜜罐")
    assert page.url.endswith(f"/catalog/records/{record.pk}/")
    assert "I287.8/1" in page.content()
    assert Item.objects.filter(record=record, school=people.school).count() == 2


def catalogue(people, title: str, class_number: str) -> Record:
    record = services.catalogue_record(
        by=people.librarian, data=BibData(title=title, class_number=class_number)
    )
    services.add_copies(
        by=people.librarian,
        school=people.school,
        record=record,
        copies=1,
        details=services.CopyDetails(location=people.location),
    )
    return record


def test_pinyin_initials_find_a_book_as_you_type(page, live_server, people):
    catalogue(people, "西游记（注音版）", "I242.4")
    catalogue(people, "红楼梦", "I242.4")
    sign_in_browser(page, live_server, "librarian")
    page.goto(f"{live_server.url}/catalog/")
    assert "红楼梦" in page.inner_text("#results")
    page.fill("#id_q", "xyj")  # htmx searches after a short pause, without a reload
    page.wait_for_url("**/catalog/?q=xyj**")
    page.wait_for_function("!document.querySelector('#results').innerText.includes('红楼梦')")
    assert "西游记（注音版）" in page.inner_text("#results")


def test_spine_labels_sit_where_the_sheet_has_them_to_the_millimetre(page, live_server, people):
    batch = AccessionBatch.objects.create(
        school=people.school, number=1, received_on="2026-09-01", source="purchase"
    )
    details = services.CopyDetails(location=people.location)
    services.add_copies(
        by=people.librarian,
        school=people.school,
        record=people.record,
        copies=7,
        details=details,
        batch=batch,
    )
    sign_in_browser(page, live_server, "librarian")
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/catalog/labels/?kind=spine&layout=65&start=4&batch=1&print=1")
    boxes = page.eval_on_selector_all(
        ".label",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " const s = e.closest('.sheet').getBoundingClientRect();"
        " return [r.left - s.left, r.top - s.top, r.width, r.height]; })",
    )
    assert len(boxes) == 7
    # The 4th slot of the 65-label sheet: column 4 of row 1 (5 x 13, 38.1 x 21.2 mm).
    left, top, width, height = (v / PX_PER_MM for v in boxes[0])
    assert left == pytest.approx(4.75 + 3 * (38.1 + 2.5), abs=0.1)
    assert top == pytest.approx(10.7, abs=0.1)
    assert (width, height) == (pytest.approx(38.1, abs=0.1), pytest.approx(21.2, abs=0.1))
    # The 3rd label wraps to the first column of row 2.
    assert boxes[2][0] / PX_PER_MM == pytest.approx(4.75, abs=0.1)
    assert boxes[2][1] / PX_PER_MM == pytest.approx(10.7 + 21.2, abs=0.1)
    sheet = page.eval_on_selector(".sheet", "s => [s.offsetWidth, s.offsetHeight]")
    assert sheet[0] / PX_PER_MM == pytest.approx(210, abs=0.5)
    assert sheet[1] / PX_PER_MM == pytest.approx(297, abs=0.5)
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1


def test_a_marc_file_is_previewed_then_imported_with_a_progress_bar(
    page, live_server, people, tmp_path, monkeypatch
):
    import threading

    from shuxiang.catalog import jobs, marc
    from shuxiang.catalog.bibdata import Holding

    # The server's own process runs the job here: the test database lives in this process.
    monkeypatch.setattr(
        jobs,
        "start",
        lambda job: threading.Thread(target=jobs.run, args=(job,), daemon=True).start(),
    )
    books = [
        BibData(title=f"童话{n}", class_number="I287.7", holdings=[Holding(barcode=f"M{n:04d}")])
        for n in range(1, 41)
    ]
    path = tmp_path / "books.iso"
    path.write_bytes(b"".join(marc.write_cnmarc(books)) + b"00042nam0 22garbage\x1d")
    sign_in_browser(page, live_server, "librarian")
    page.goto(f"{live_server.url}/catalog/import/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_location", label="藏书室")
    page.click("form.grid2 button[type=submit]")
    page.wait_for_selector("text=导入没有问题的记录")  # the preview finished, polled by htmx
    assert "41" in page.inner_text("table")  # the bad record, by its position
    assert not Item.objects.filter(barcode="M0001").exists()
    page.click("text=导入没有问题的记录")
    page.wait_for_selector("a:has-text('查看馆藏目录')")
    assert page.get_attribute(".progress", "aria-valuenow") == "100"
    assert Item.objects.filter(school=people.school, barcode__startswith="M").count() == 40
