"""The catalogue screens: the list and its filters, a record, quick cataloguing, batch edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shuxiang.catalog import services
from shuxiang.catalog.bibdata import BibData, Contributor
from shuxiang.catalog.models import Item, ItemStatus, Location, LocationKind, Record

HONGLOUMENG_ISBN = "9787020002207"  # ISBN-10 702000220X


def book(
    title: str,
    *,
    isbn: str = "",
    class_number: str = "",
    author: str = "",
    publisher: str = "",
    material_type: str = "book",
) -> Record:
    data = BibData(
        title=title,
        isbns=[isbn] if isbn else [],
        class_number=class_number,
        contributors=[Contributor(author)] if author else [],
        publisher=publisher,
        price=Decimal("25.00"),
    )
    return services.catalogue_record(by=None, data=data, material_type=material_type)


def copies(record: Record, location: Location, n: int = 1) -> list[Item]:
    return services.add_copies(
        by=None,
        school=location.school,
        record=record,
        copies=n,
        details=services.CopyDetails(location=location),
    )


def titles(response) -> list[str]:
    return [record.title for record, _total, _available in response.context["rows"]]


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


@pytest.fixture
def reading_room(people) -> Location:
    return Location.objects.create(
        school=people.school, code="reading", name="阅览室", kind=LocationKind.READING_ROOM
    )


# ---------------------------------------------------------------- the list


def test_list_shows_only_this_schools_holdings_with_counts(librarian, people):
    hongloumeng = book("红楼梦", class_number="I242.4")
    on_loan, _shelf = copies(hongloumeng, people.location, 2)
    services.set_item_status(on_loan, by=None, status=ItemStatus.ON_LOAN)
    south_only = book("南校的书", class_number="I287.5")
    copies(south_only, people.other_location, 3)
    gone = book("已剔除的书", class_number="I287.5")
    [withdrawn] = copies(gone, people.location)
    services.set_item_status(withdrawn, by=None, status=ItemStatus.WITHDRAWN)

    response = librarian.get("/catalog/")

    assert response.status_code == 200
    rows = {
        record.title: (total, available) for record, total, available in response.context["rows"]
    }
    assert rows == {"红楼梦": (2, 1), "西游记": (1, 1)}
    assert "南校的书" not in response.content.decode()


def test_class_filter_matches_the_class_number_prefix(librarian, people):
    copies(book("红楼梦", class_number="I242.4"), people.location)
    copies(book("C 程序设计", class_number="TP312"), people.location)
    assert sorted(titles(librarian.get("/catalog/?class_number=i24"))) == ["红楼梦", "西游记"]
    assert titles(librarian.get("/catalog/?class_number=TP")) == ["C 程序设计"]


def test_material_type_filter(librarian, people):
    copies(
        book("猜猜我有多爱你", class_number="I712.85", material_type="picture_book"),
        people.location,
    )
    assert titles(librarian.get("/catalog/?material_type=picture_book")) == ["猜猜我有多爱你"]


def test_location_and_status_filters_look_at_this_schools_copies(librarian, people, reading_room):
    copies(book("三体", class_number="I247.55"), reading_room)
    lost_book = book("丢失的书", class_number="I247.5")
    [lost] = copies(lost_book, people.location)
    services.set_item_status(lost, by=None, status=ItemStatus.LOST)
    # The other school's copy of 西游记 is lost; that must not make it show here.
    services.set_item_status(people.other_item, by=None, status=ItemStatus.LOST)

    assert titles(librarian.get(f"/catalog/?location={reading_room.pk}")) == ["三体"]
    assert titles(librarian.get("/catalog/?status=lost")) == ["丢失的书"]


def test_search_box_finds_by_title_words_pinyin_and_isbn(librarian, people):
    copies(book("红楼梦", isbn=HONGLOUMENG_ISBN, class_number="I242.4"), people.location)
    copies(book("三国演义", class_number="I242.4"), people.location)

    assert titles(librarian.get("/catalog/?q=红楼")) == ["红楼梦"]
    assert titles(librarian.get("/catalog/?q=hlm")) == ["红楼梦"]
    assert titles(librarian.get("/catalog/?q=7-02-000220-X")) == ["红楼梦"]
    assert titles(librarian.get("/catalog/?q=没有这本书")) == []
    assert titles(librarian.get("/catalog/?q=i242.4/1")) == ["西游记"]  # a call number


def test_search_does_not_list_titles_only_the_other_school_holds(librarian, people):
    copies(book("南校的书"), people.other_location)
    assert titles(librarian.get("/catalog/?q=南校")) == []


def test_htmx_request_gets_the_results_fragment_only(librarian, people):
    copies(book("红楼梦", class_number="I242.4"), people.location)

    response = librarian.get("/catalog/?q=红楼", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "红楼梦" in html and "<table>" in html
    full = librarian.get("/catalog/?q=红楼").content.decode()
    assert "<html" in full and 'id="results"' in full


def test_scanning_a_barcode_opens_its_record(librarian, people):
    response = librarian.get("/catalog/?q=n0001")
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/records/{people.record.pk}/"


def test_another_schools_barcode_is_not_followed(librarian, people):
    response = librarian.get("/catalog/?q=S0001")
    assert response.status_code == 200


def test_record_page_lists_this_schools_copies_only(librarian, people):
    response = librarian.get(f"/catalog/records/{people.record.pk}/")

    html = response.content.decode()
    assert [item.barcode for item in response.context["items"]] == ["N0001"]
    assert "N0001" in html and "I242.4/1" in html
    assert "S0001" not in html and "I242.4/7" not in html


# ---------------------------------------------------------------- quick cataloguing


def copies_post(location: Location, n: int = 1, barcodes: str = "", prefix: str = "") -> dict:
    key = f"{prefix}-" if prefix else ""
    return {
        f"{key}copies": str(n),
        f"{key}location": str(location.pk),
        f"{key}price": "",
        f"{key}source": "purchase",
        f"{key}barcodes": barcodes,
        **({"prefix": prefix} if prefix else {}),
    }


def record_post(title: str, **fields: str) -> dict:
    return {
        "isbn": "",
        "title": title,
        "other_title": "",
        "authors": "",
        "responsibility": "",
        "publisher": "",
        "place": "",
        "date": "",
        "edition": "",
        "price": "",
        "pages": "",
        "series": "",
        "class_number": "",
        "subjects": "",
        "material_type": "book",
        "grade_band": "",
        "summary": "",
        **fields,
    }


def test_scanning_the_isbn10_of_a_known_record_offers_adding_copies(librarian, people):
    record = book("红楼梦", isbn=HONGLOUMENG_ISBN, class_number="I242.47")

    response = librarian.get("/catalog/new/?isbn=702000220X")

    assert response.status_code == 200
    assert response.context["matches"] == [record]
    assert f'action="/catalog/records/{record.pk}/copies/"' in response.content.decode()

    response = librarian.post(
        f"/catalog/records/{record.pk}/copies/", copies_post(people.location, 2, prefix="copies")
    )

    assert response.status_code == 302
    added = Item.objects.filter(school=people.school, record=record)
    assert added.count() == 2
    assert {i.location for i in added} == {people.location}
    assert {i.call_number for i in added} == {"I242.47/1"}


def test_unknown_isbn_gives_a_form_prefilled_with_the_hyphenated_isbn(librarian, people):
    response = librarian.get("/catalog/new/?isbn=9787536692930")

    assert response.context["matches"] == []
    assert response.context["form"].initial["isbn"] == "978-7-5366-9293-0"
    assert 'value="978-7-5366-9293-0"' in response.content.decode()


def test_isbn_with_a_wrong_check_digit_is_refused(librarian, people):
    response = librarian.get("/catalog/new/?isbn=9787536692931")

    assert "校验位错误" in response.context["isbn_error"]
    assert "校验位错误" in response.content.decode()
    assert response.context["form"].initial["isbn"] == ""


def test_cataloguing_a_new_record_with_copies(librarian, people):
    data = record_post(
        "三体",
        isbn="978-7-5366-9293-0",
        authors="刘慈欣 著",
        publisher="重庆出版社",
        class_number="I247.55",
        price="23.00",
    )
    data.update(copies_post(people.location, 3, prefix="copies"))

    response = librarian.post("/catalog/new/?isbn=9787536692930", data)

    record = Record.objects.get(title="三体")
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/records/{record.pk}/"
    assert record.first_author == "刘慈欣" and record.isbn == "9787536692930"
    items = Item.objects.filter(record=record)
    assert items.count() == 3
    assert {(i.school, i.call_number, i.price) for i in items} == {
        (people.school, "I247.55/1", Decimal("23.00"))
    }


def test_same_title_author_and_publisher_asks_before_a_second_record(librarian, people):
    existing = book("草房子", author="曹文轩", publisher="江苏少年儿童出版社")
    data = record_post("草房子", authors="曹文轩 著", publisher="江苏少年儿童出版社")
    data.update(copies_post(people.location, 1, prefix="copies"))

    response = librarian.post("/catalog/new/", data)

    assert response.status_code == 200
    assert response.context["duplicates"] == [existing]
    assert 'name="confirm_new"' in response.content.decode()
    assert Record.objects.filter(title="草房子").count() == 1
    assert not Item.objects.filter(record__title="草房子").exists()

    response = librarian.post("/catalog/new/", {**data, "confirm_new": "1"})

    assert response.status_code == 302
    assert Record.objects.filter(title="草房子").count() == 2
    new = Record.objects.filter(title="草房子").exclude(pk=existing.pk).get()
    assert new.items.count() == 1


def test_a_failing_copy_leaves_no_record_behind(librarian, people):
    data = record_post("三体", class_number="I247.55")
    data.update(copies_post(people.location, 1, barcodes="N0001", prefix="copies"))

    response = librarian.post("/catalog/new/", data)

    assert response.status_code == 200
    assert "条码已被使用：N0001" in response.content.decode()
    assert not Record.objects.filter(title="三体").exists()


# ---------------------------------------------------------------- editing


def test_record_edit_with_a_bad_class_number_shows_the_error_and_changes_nothing(librarian, people):
    record = people.record
    data = record_post("西游记（新版）", authors="吴承恩 著", class_number="M123")

    response = librarian.post(f"/catalog/records/{record.pk}/edit/", data)

    assert response.status_code == 200
    assert "M" in response.context["form"].errors["class_number"][0]
    assert "大类" in response.content.decode()
    record.refresh_from_db()
    assert (record.title, record.class_number) == ("西游记", "I242.4")


def test_record_edit_saves_and_the_call_numbers_follow_the_class(librarian, people):
    record = people.record
    data = record_post("西游记", authors="吴承恩 著", class_number="I242.43")

    response = librarian.post(f"/catalog/records/{record.pk}/edit/", data)

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.class_number == "I242.43"
    people.item.refresh_from_db()
    assert people.item.call_number == "I242.43/1"


def test_adding_copies_with_a_barcode_the_school_uses_adds_nothing(librarian, people):
    record = people.record

    response = librarian.post(
        f"/catalog/records/{record.pk}/copies/",
        copies_post(people.location, 2, barcodes="N9999 n0001"),
        follow=True,
    )

    assert "条码已被使用：N0001" in response.content.decode()
    assert Item.objects.filter(school=people.school).count() == 1


def test_a_barcode_of_another_school_may_be_used_here(librarian, people):
    response = librarian.post(
        f"/catalog/records/{people.record.pk}/copies/",
        copies_post(people.location, 1, barcodes="S0001"),
    )

    assert response.status_code == 302
    assert Item.objects.filter(school=people.school, barcode="S0001").exists()


def test_adding_copies_to_a_location_of_another_school_is_refused(librarian, people):
    response = librarian.post(
        f"/catalog/records/{people.record.pk}/copies/",
        copies_post(people.other_location, 1),
        follow=True,
    )

    assert response.status_code == 200
    assert Item.objects.filter(school=people.school).count() == 1
    assert len(list(response.context["messages"])) == 1


# ---------------------------------------------------------------- batch edit


def test_batch_edit_moves_the_ticked_copies(librarian, people, reading_room):
    first, second, untouched = copies(people.record, people.location, 3)

    response = librarian.post(
        "/catalog/items/edit/",
        {
            "items": [first.pk, second.pk],
            "location": reading_room.pk,
            "next": f"/catalog/records/{people.record.pk}/",
        },
    )

    assert response["Location"] == f"/catalog/records/{people.record.pk}/"
    locations = dict(Item.objects.values_list("barcode", "location"))
    assert locations[first.barcode] == locations[second.barcode] == reading_room.pk
    assert locations[untouched.barcode] == people.location.pk


def test_batch_edit_refuses_an_illegal_status_change_and_changes_nothing(librarian, people):
    on_shelf, on_loan = copies(people.record, people.location, 2)
    services.set_item_status(on_loan, by=None, status=ItemStatus.ON_LOAN)

    response = librarian.post(
        "/catalog/items/edit/",
        {"items": [on_shelf.pk, on_loan.pk], "status": "withdrawn", "note": "破损"},
        follow=True,
    )

    html = response.content.decode()
    assert f"条码 {on_loan.barcode}：不能从" in html
    statuses = dict(Item.objects.values_list("barcode", "status"))
    assert statuses[on_shelf.barcode] == "available"
    assert statuses[on_loan.barcode] == "on_loan"
    assert not Item.objects.filter(note="破损").exists()


def test_batch_edit_ignores_copies_of_another_school(librarian, people):
    response = librarian.post(
        "/catalog/items/edit/",
        {"items": [people.item.pk, people.other_item.pk], "price": "30.00", "note": "新价"},
    )

    assert response.status_code == 302
    people.item.refresh_from_db()
    people.other_item.refresh_from_db()
    assert (people.item.price, people.item.note) == (Decimal("30.00"), "新价")
    assert (people.other_item.price, people.other_item.note) == (None, "")


def test_batch_edit_with_only_another_schools_copies_changes_nothing(librarian, people):
    response = librarian.post(
        "/catalog/items/edit/", {"items": [people.other_item.pk], "status": "lost"}, follow=True
    )

    assert "请先勾选复本。" in response.content.decode()
    people.other_item.refresh_from_db()
    assert people.other_item.status == "available"


def test_batch_edit_with_bad_values_says_so(librarian, people):
    response = librarian.post(
        "/catalog/items/edit/",
        {"items": [people.item.pk], "location": people.other_location.pk},
        follow=True,
    )

    people.item.refresh_from_db()
    assert people.item.location == people.location
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0]


def test_batch_edit_does_not_send_the_browser_to_another_site(librarian, people):
    response = librarian.post(
        "/catalog/items/edit/",
        {"items": [people.item.pk], "note": "x", "next": "//evil.example.com/"},
    )

    assert response["Location"] == "/catalog/"


# ---------------------------------------------------------------- roles


def test_leader_reads_the_catalogue_but_may_not_change_it(client, people):
    client.force_login(people.leader)
    record = people.record

    assert client.get("/catalog/").status_code == 200
    page = client.get(f"/catalog/records/{record.pk}/")
    assert page.status_code == 200
    assert f"/catalog/records/{record.pk}/edit/" not in page.content.decode()
    assert client.get(f"/catalog/records/{record.pk}/edit/").status_code == 403
    assert client.get("/catalog/new/").status_code == 403
    assert (
        client.post(
            f"/catalog/records/{record.pk}/copies/", copies_post(people.location)
        ).status_code
        == 403
    )
    assert client.post("/catalog/items/edit/", {"items": [people.item.pk]}).status_code == 403
    assert Item.objects.filter(school=people.school).count() == 1


def test_helper_may_not_open_the_catalogue(client, people):
    client.force_login(people.helper)
    assert client.get("/catalog/").status_code == 403
    assert client.get(f"/catalog/records/{people.record.pk}/").status_code == 403


def test_browsing_by_class_counts_this_schools_copies_under_each_class(librarian, people):
    copies(book("草房子", class_number="I287.45"), people.location, 2)
    copies(book("城南旧事", class_number="I246.5"), people.location, 1)
    copies(book("恐龙的奥秘", class_number="Q915-49"), people.location, 1)
    copies(book("三体", class_number="I247.55"), people.other_location, 5)  # the other school

    top = {
        code: count for code, _name, count in librarian.get("/catalog/classes/").context["children"]
    }
    # 西游记 of the fixture is I242.4: one copy here.
    assert (top["I"], top["Q"], top["A"]) == (4, 1, 0)
    under_i2 = {
        code: count
        for code, _name, count in librarian.get("/catalog/classes/I2/").context["children"]
    }
    assert (under_i2["I28"], under_i2["I24"]) == (2, 2)
