"""Reader flows in a real browser: roster import, reader search and a lost card, card sheets."""

from __future__ import annotations

import openpyxl
import pytest

from conftest import sign_in_browser
from shuxiang.patrons.models import LostCard, Patron

pytestmark = pytest.mark.browser
PX_PER_MM = 96 / 25.4


def test_librarian_imports_a_roster_after_the_preview(page, live_server, people, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2026学年一年级新生名单"])
    sheet.append(["学号", "姓名", "性别", "年级", "班级"])
    sheet.append(["20260101", "林小雨", "女", "一年级", "1班"])
    sheet.append(["２０２６０１０２", " 陈 安 ", "男", "1", "(1)班"])  # full-width digits, spaces
    path = tmp_path / "新生.xlsx"
    workbook.save(path)

    sign_in_browser(page, live_server, "librarian")
    page.goto(f"{live_server.url}/readers/roster/")
    page.set_input_files("#id_file", str(path))
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "一年级(1)班" in page.inner_text(".cards")  # a class the school does not have yet
    assert not Patron.objects.filter(student_number="20260101").exists()  # only a preview
    page.click("button[name=confirm]")
    page.wait_for_load_state()
    assert page.url.endswith("/readers/classes/")
    assert Patron.objects.get(student_number="20260102").name == "陈安"
    assert "一年级(1)班" in page.content()


def test_a_lost_card_is_replaced_from_the_reader_page(page, live_server, people):
    sign_in_browser(page, live_server, "librarian")
    page.goto(f"{live_server.url}/readers/")
    page.fill("#q", "zxm")  # pinyin initials of 张小明, found as you type
    page.wait_for_selector("#results a:has-text('张小明')")
    page.click("#results a:has-text('张小明')")
    page.wait_for_load_state()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[action$='/reissue/'] button")
    page.wait_for_load_state()
    patron = people.student.patron
    patron.refresh_from_db()
    assert patron.card_number == "20240201-2"
    assert LostCard.objects.filter(card_number="20240201", patron=patron).exists()
    assert "20240201-2" in page.content()


def test_cards_of_a_class_sit_on_the_sheet_to_the_millimetre(page, live_server, people):
    sign_in_browser(page, live_server, "librarian")
    page.emulate_media(media="print")
    page.goto(f"{live_server.url}/readers/cards/?class={people.class_4_1.pk}&start=2")
    boxes = page.eval_on_selector_all(
        ".card",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " const s = e.closest('.sheet').getBoundingClientRect();"
        " return [r.left - s.left, r.top - s.top, r.width, r.height]; })",
    )
    assert len(boxes) == 2  # the two students of 四年级(1)班
    left, top, width, height = (v / PX_PER_MM for v in boxes[0])
    # Slot 2 of the 2 x 5 CR80 sheet: the right-hand card of the first row.
    assert (left, top) == (pytest.approx(19.4 + 85.6, abs=0.1), pytest.approx(13.5, abs=0.1))
    assert (width, height) == (pytest.approx(85.6, abs=0.1), pytest.approx(54.0, abs=0.1))
    assert boxes[1][0] / PX_PER_MM == pytest.approx(19.4, abs=0.1)
    assert boxes[1][1] / PX_PER_MM == pytest.approx(13.5 + 54.0, abs=0.1)
