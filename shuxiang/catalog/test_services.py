"""The catalogue's doors (`catalog.services`): records, call numbers, copies, batches."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from shuxiang.catalog import queries, services
from shuxiang.catalog.bibdata import BibData, Contributor
from shuxiang.catalog.models import (
    ITEM_TRANSITIONS,
    AccessionBatch,
    BookNumberRule,
    CatalogSettings,
    Isbn,
    Item,
    ItemSource,
    ItemStatus,
    Location,
    LocationKind,
    MaterialType,
    Record,
)
from shuxiang.catalog.services import CatalogError, CopyDetails, ReceiptLine

SANTI_13 = "9787536692930"
SANTI_10 = "7-5366-9293-5"


def bib(
    title: str,
    *,
    author: str = "",
    publisher: str = "",
    isbns: tuple[str, ...] = (),
    class_number: str = "",
    price: str | None = None,
) -> BibData:
    return BibData(
        title=title,
        contributors=[Contributor(author)] if author else [],
        publisher=publisher,
        isbns=list(isbns),
        class_number=class_number,
        price=Decimal(price) if price is not None else None,
    )


def catalogue(people, title: str, **options) -> Record:
    return services.catalogue_record(by=people.librarian, data=bib(title, **options))


def add(people, record: Record, copies: int = 1, *, school=None, **options) -> list[Item]:
    school = school or people.school
    location = people.location if school == people.school else people.other_location
    return services.add_copies(
        by=people.librarian,
        school=school,
        record=record,
        copies=copies,
        details=CopyDetails(location=location),
        **options,
    )


def use_rule(school, rule: str, **settings) -> None:
    CatalogSettings.objects.update_or_create(
        school=school, defaults={"book_number_rule": rule, **settings}
    )


# ---------------------------------------------------------------- record validation


def test_record_without_a_title_is_refused_naming_the_title_field(people):
    with pytest.raises(CatalogError) as caught:
        catalogue(people, "   ", author="佚名")
    assert caught.value.field == "title"
    assert "题名" in caught.value.message
    assert not Record.objects.filter(first_author="佚名").exists()


def test_isbn_with_a_wrong_check_digit_is_refused_naming_the_isbn_field(people):
    with pytest.raises(CatalogError) as caught:
        catalogue(people, "三体", isbns=("978-7-5366-9293-1",))
    assert caught.value.field == "isbn"
    assert "校验位" in caught.value.message
    assert not Record.objects.filter(title="三体").exists()


def test_malformed_class_number_is_refused_naming_the_class_number_field(people):
    with pytest.raises(CatalogError) as caught:
        catalogue(people, "三体", class_number="XX")
    assert caught.value.field == "class_number"
    assert not Record.objects.filter(title="三体").exists()


@pytest.mark.parametrize("price", ["-1", "10000000"])
def test_a_price_outside_what_a_price_can_be_is_refused_naming_the_price_field(people, price):
    with pytest.raises(CatalogError) as caught:
        catalogue(people, "三体", price=price)
    assert caught.value.field == "price"
    assert not Record.objects.filter(title="三体").exists()


def test_the_highest_price_a_record_can_hold_is_accepted(people):
    record = catalogue(people, "三体", price="9999999.99")
    record.refresh_from_db()
    assert record.price == Decimal("9999999.99")


def test_catalogued_record_keeps_normalised_values(people):
    record = catalogue(
        people,
        " 三体 ",
        author="刘慈欣",
        publisher="重庆出版社",
        isbns=(SANTI_10,),
        class_number="i247.55",
        price="23",
    )
    record.refresh_from_db()
    assert (record.title, record.first_author, record.isbn) == ("三体", "刘慈欣", SANTI_13)
    assert record.class_number == "I247.55"
    assert record.price == Decimal("23.00")
    assert record.title_pinyin == "san ti"


# ---------------------------------------------------------------- ISBN and 查重


def test_isbn_10_and_13_of_one_book_find_the_same_record(people):
    record = catalogue(people, "三体", isbns=(SANTI_10,))

    for form in (SANTI_13, "978-7-5366-9293-0", "7536692935", SANTI_10):
        assert list(queries.records_by_isbn(form)) == [record]
    assert list(queries.records_by_isbn("978-7-5366-9293-1")) == []


def test_duplicate_check_finds_a_record_by_isbn_in_another_form(people):
    record = catalogue(people, "三体", author="刘慈欣", isbns=(SANTI_13,))

    found = queries.find_duplicates(bib("三体（典藏版）", author="别人", isbns=(SANTI_10,)))

    assert found == [record]


def test_duplicate_check_finds_a_record_by_title_author_and_publisher(people):
    record = catalogue(people, "小王子", author="圣埃克苏佩里", publisher="人民文学出版社")
    catalogue(people, "小王子", author="圣埃克苏佩里", publisher="天津人民出版社")

    # Spacing and punctuation as a librarian might type them do not matter.
    found = queries.find_duplicates(
        bib("小王子 ", author="圣埃克苏佩里", publisher="人民文学出版社。")
    )
    assert found == [record]
    assert queries.find_duplicates(bib("小王子", author="别人", publisher="人民文学出版社")) == []


# ---------------------------------------------------------------- 种次号


def test_copies_of_one_record_share_its_call_number(people):
    record = catalogue(people, "草房子", class_number="I287.45")

    first = add(people, record, 2)
    later = add(people, record, 1)

    assert {i.call_number for i in first + later} == {"I287.45/1"}


def test_the_next_record_in_a_class_gets_the_next_title_number(people):
    one = catalogue(people, "草房子", class_number="I287.45")
    two = catalogue(people, "青铜葵花", class_number="I287.45")
    other_class = catalogue(people, "十万个为什么", class_number="Z228.1")

    assert add(people, one)[0].call_number == "I287.45/1"
    assert add(people, two)[0].call_number == "I287.45/2"
    assert add(people, other_class)[0].call_number == "Z228.1/1"
    assert add(people, one)[0].call_number == "I287.45/1"


def test_title_numbers_are_counted_per_school(people):
    one = catalogue(people, "草房子", class_number="I287.45")
    two = catalogue(people, "青铜葵花", class_number="I287.45")
    add(people, one)
    add(people, two)

    # The other school shelves 青铜葵花 first: it is its I287.45/1.
    assert add(people, two, school=people.other_school)[0].call_number == "I287.45/1"
    assert add(people, one, school=people.other_school)[0].call_number == "I287.45/2"


def test_a_new_record_continues_after_the_title_numbers_on_the_shelf(people):
    # 西游记 is I242.4/1 in the school already (people.item).
    record = catalogue(people, "水浒传", author="施耐庵", class_number="I242.4")

    assert add(people, record)[0].call_number == "I242.4/2"


def test_title_numbers_handed_out_but_not_stored_are_skipped(people):
    record = catalogue(people, "草房子", class_number="I287.45")

    number = services.next_call_number(people.school, record, taken=["I287.45/5", "I287.5/9"])

    assert number == "I287.45/6"


def test_a_record_without_class_number_gets_no_call_number(people):
    record = catalogue(people, "无分类的书")
    assert add(people, record)[0].call_number == ""


# ---------------------------------------------------------------- 著者号


def test_author_rule_marks_by_the_pinyin_initials_of_the_first_author(people):
    use_rule(people.school, BookNumberRule.AUTHOR)
    record = catalogue(people, "三体", author="刘慈欣", class_number="I247.55")

    assert add(people, record)[0].call_number == "I247.55/LCX"


def test_author_rule_marks_a_record_without_author_by_its_title(people):
    use_rule(people.school, BookNumberRule.AUTHOR)
    record = catalogue(people, "十万个为什么", class_number="Z228.1")

    assert add(people, record)[0].call_number == "Z228.1/SWGW"


def test_author_rule_tells_records_with_the_same_class_and_mark_apart(people):
    use_rule(people.school, BookNumberRule.AUTHOR)
    first = catalogue(people, "三体", author="刘慈欣", class_number="I247.55")
    second = catalogue(people, "球状闪电", author="刘慈欣", class_number="I247.55")
    third = catalogue(people, "超新星纪元", author="刘慈欣", class_number="I247.55")

    assert add(people, first)[0].call_number == "I247.55/LCX"
    assert add(people, second)[0].call_number == "I247.55/LCX:2"
    assert add(people, third)[0].call_number == "I247.55/LCX:3"
    assert add(people, second)[0].call_number == "I247.55/LCX:2"
    # The other school numbers its own shelves.
    use_rule(people.other_school, BookNumberRule.AUTHOR)
    assert add(people, second, school=people.other_school)[0].call_number == "I247.55/LCX"


# ---------------------------------------------------------------- accession numbers, barcodes


def test_accession_numbers_are_sequential_per_school(people):
    record = catalogue(people, "草房子")
    # Both schools hold 0000001 already (people.item, people.other_item).

    first = add(people, record, 3)
    second = add(people, record, 1)
    other = add(people, record, 1, school=people.other_school)

    assert [i.accession_number for i in first + second] == [
        "0000002",
        "0000003",
        "0000004",
        "0000005",
    ]
    assert [i.accession_number for i in other] == ["0000002"]


def test_barcodes_are_numbered_with_the_schools_prefix_skipping_those_in_use(people):
    CatalogSettings.objects.create(school=people.school, barcode_prefix="N", barcode_digits=4)
    CatalogSettings.objects.create(school=people.other_school, barcode_prefix="S")
    record = catalogue(people, "草房子")

    items = add(people, record, 2)  # N0001 is people.item's
    other = add(people, record, 1, school=people.other_school)

    assert [i.barcode for i in items] == ["N0002", "N0003"]
    assert [i.barcode for i in other] == ["S0000001"]
    assert [i.barcode for i in add(people, record)] == ["N0004"]


def test_given_barcodes_are_used_cleaned_up(people):
    record = catalogue(people, "草房子")

    items = add(people, record, 2, barcodes=[" b-100 ", "Ｂ101"])

    assert [i.barcode for i in items] == ["B-100", "B101"]
    assert Item.objects.filter(school=people.school, barcode__in=["B-100", "B101"]).count() == 2


def test_a_given_barcode_the_school_already_has_is_refused_and_nothing_is_written(people):
    record = catalogue(people, "草房子", class_number="I287.45")
    before = Item.objects.count()

    with pytest.raises(CatalogError) as caught:
        add(people, record, 2, barcodes=["B100", "n0001"])

    assert caught.value.field == "barcodes"
    assert "N0001" in caught.value.message
    assert "B100" not in caught.value.message
    assert Item.objects.count() == before
    # Neither the title number nor the accession numbers were used up.
    items = add(people, record, 1, barcodes=["B100"])
    assert (items[0].call_number, items[0].accession_number) == ("I287.45/1", "0000002")


def test_a_barcode_of_another_school_may_be_used_again(people):
    record = catalogue(people, "草房子")

    [item] = add(people, record, 1, barcodes=["S0001"])  # people.other_item's in 南街小学

    assert item.barcode == "S0001"


def test_a_barcode_given_twice_is_refused(people):
    record = catalogue(people, "草房子")
    before = Item.objects.count()

    with pytest.raises(CatalogError) as caught:
        add(people, record, 2, barcodes=["B7", "b7"])

    assert "B7" in caught.value.message
    assert Item.objects.count() == before


def test_as_many_barcodes_as_copies_are_needed(people):
    record = catalogue(people, "草房子")

    with pytest.raises(CatalogError) as caught:
        add(people, record, 3, barcodes=["B1", "B2"])

    assert caught.value.field == "barcodes"
    assert not Item.objects.filter(record=record).exists()


def test_a_barcode_with_odd_characters_is_refused(people):
    record = catalogue(people, "草房子")

    with pytest.raises(CatalogError) as caught:
        add(people, record, 1, barcodes=["B 1/2"])

    assert "B 1/2" in caught.value.message


def test_copies_go_to_a_location_of_the_school_only(people):
    record = catalogue(people, "草房子")

    with pytest.raises(CatalogError) as caught:
        services.add_copies(
            by=people.librarian,
            school=people.school,
            record=record,
            copies=1,
            details=CopyDetails(location=people.other_location),
        )

    assert caught.value.field == "location"
    assert not Item.objects.filter(record=record).exists()


@pytest.mark.parametrize("copies", [0, services.MAX_COPIES + 1])
def test_number_of_copies_is_bounded(people, copies):
    record = catalogue(people, "草房子")

    with pytest.raises(CatalogError) as caught:
        add(people, record, copies)

    assert caught.value.field == "copies"


def test_new_copies_take_the_record_price_unless_given(people):
    record = catalogue(people, "草房子", price="25.00")

    [default] = add(people, record)
    [given] = services.add_copies(
        by=people.librarian,
        school=people.school,
        record=record,
        copies=1,
        details=CopyDetails(location=people.location, price=Decimal("19.90")),
    )

    assert (default.price, given.price) == (Decimal("25.00"), Decimal("19.90"))
    assert default.received_on == timezone.localdate()


# ---------------------------------------------------------------- status


def test_withdrawing_sets_the_withdrawal_date(people):
    item = services.set_item_status(people.item, by=people.librarian, status=ItemStatus.WITHDRAWN)

    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert item.withdrawn_on == timezone.localdate()


def test_a_withdrawn_copy_cannot_go_back_on_the_shelf(people):
    services.set_item_status(people.item, by=people.librarian, status=ItemStatus.WITHDRAWN)

    with pytest.raises(CatalogError) as caught:
        services.set_item_status(people.item, by=people.librarian, status=ItemStatus.AVAILABLE)

    assert caught.value.field == "status"
    assert "N0001" in caught.value.message
    people.item.refresh_from_db()
    assert people.item.status == ItemStatus.WITHDRAWN


def test_a_copy_in_repair_comes_back_to_the_shelf(people):
    services.set_item_status(people.item, by=people.librarian, status=ItemStatus.IN_REPAIR)
    item = services.set_item_status(
        people.item, by=people.librarian, status=ItemStatus.AVAILABLE, note="书脊已粘好"
    )

    item.refresh_from_db()
    assert (item.status, item.note, item.withdrawn_on) == (ItemStatus.AVAILABLE, "书脊已粘好", None)


def test_status_change_checks_the_current_status_in_the_database(people):
    stale = Item.objects.get(pk=people.item.pk)
    services.set_item_status(people.item, by=people.librarian, status=ItemStatus.WITHDRAWN)

    with pytest.raises(CatalogError):
        services.set_item_status(stale, by=people.librarian, status=ItemStatus.LOST)


STATUS_PAIRS = [(a, b) for a in ItemStatus.values for b in ItemStatus.values if a != b]


@pytest.mark.parametrize("before, after", STATUS_PAIRS)
def test_status_changes_follow_the_transition_table(people, before, after):
    Item.objects.filter(pk=people.item.pk).update(status=before)
    allowed = after in ITEM_TRANSITIONS[before]

    if allowed:
        services.set_item_status(people.item, by=people.librarian, status=after)
    else:
        with pytest.raises(CatalogError):
            services.set_item_status(people.item, by=people.librarian, status=after)

    people.item.refresh_from_db()
    assert people.item.status == (after if allowed else before)


# ---------------------------------------------------------------- moving and batch editing


@pytest.fixture
def reading_room(people) -> Location:
    return Location.objects.create(
        school=people.school, code="reading", name="学生阅览室", kind=LocationKind.READING_ROOM
    )


def test_move_items_moves_copies_to_another_location_of_the_school(people, reading_room):
    record = catalogue(people, "草房子")
    items = add(people, record, 2)

    moved = services.move_items([people.item, *items], by=people.librarian, location=reading_room)

    assert moved == 3
    assert set(Item.objects.filter(school=people.school).values_list("location", flat=True)) == {
        reading_room.pk
    }
    assert services.move_items(items, by=people.librarian, location=reading_room) == 0


def test_move_items_refuses_a_location_of_another_school(people):
    with pytest.raises(CatalogError) as caught:
        services.move_items([people.item], by=people.librarian, location=people.other_location)

    assert caught.value.field == "location"
    people.item.refresh_from_db()
    assert people.item.location == people.location


def test_edit_items_replaces_the_given_values_and_keeps_the_others(people, reading_room):
    record = catalogue(people, "草房子", price="25.00")
    items = add(people, record, 2)
    Item.objects.filter(pk=items[1].pk).update(note="旧备注")

    count = services.edit_items(
        items, by=people.librarian, location=reading_room, price=Decimal("30")
    )

    assert count == 2
    rows = list(Item.objects.filter(pk__in=[i.pk for i in items]).order_by("pk"))
    assert [(r.location_id, r.price, r.note) for r in rows] == [
        (reading_room.pk, Decimal("30.00"), ""),
        (reading_room.pk, Decimal("30.00"), "旧备注"),
    ]


def test_edit_items_withdrawing_sets_the_withdrawal_date(people):
    record = catalogue(people, "草房子")
    items = add(people, record, 2)

    services.edit_items(items, by=people.librarian, status=ItemStatus.WITHDRAWN, note="破损")

    rows = Item.objects.filter(pk__in=[i.pk for i in items])
    assert {(r.status, r.withdrawn_on, r.note) for r in rows} == {
        (ItemStatus.WITHDRAWN, timezone.localdate(), "破损")
    }


def test_edit_items_refuses_a_status_change_one_copy_cannot_make_and_changes_none(people):
    record = catalogue(people, "草房子")
    items = add(people, record, 2)
    services.set_item_status(items[1], by=people.librarian, status=ItemStatus.WITHDRAWN)

    with pytest.raises(CatalogError):
        services.edit_items(items, by=people.librarian, status=ItemStatus.IN_REPAIR, note="x")

    rows = Item.objects.filter(pk__in=[i.pk for i in items]).order_by("pk")
    assert [(r.status, r.note) for r in rows] == [
        (ItemStatus.AVAILABLE, ""),
        (ItemStatus.WITHDRAWN, ""),
    ]


def test_edit_items_refuses_a_location_of_another_school(people):
    with pytest.raises(CatalogError):
        services.edit_items([people.item], by=people.librarian, location=people.other_location)

    people.item.refresh_from_db()
    assert people.item.location == people.location


# ---------------------------------------------------------------- receiving (验收)


def receive(people, school, lines, **options) -> AccessionBatch:
    location = people.location if school == people.school else people.other_location
    return services.receive_batch(
        by=people.librarian,
        school=school,
        received_on=options.pop("received_on", datetime.date(2026, 9, 10)),
        source=options.pop("source", ItemSource.PURCHASE),
        lines=lines,
        location=location,
        **options,
    )


def test_receive_batch_totals_titles_volumes_and_amount(people):
    priced = catalogue(people, "草房子", class_number="I287.45", price="15.50")
    other = catalogue(people, "青铜葵花", class_number="I287.45")

    batch = receive(
        people,
        people.school,
        [ReceiptLine(priced, 3), ReceiptLine(other, 2, Decimal("20"))],
        supplier="新华书店",
        invoice="FP001",
    )

    batch.refresh_from_db()
    assert (batch.titles, batch.volumes, batch.amount) == (2, 5, Decimal("86.50"))
    assert (batch.supplier, batch.invoice) == ("新华书店", "FP001")
    items = Item.objects.filter(batch=batch)
    assert items.count() == 5
    assert {(i.received_on, i.source) for i in items} == {
        (datetime.date(2026, 9, 10), ItemSource.PURCHASE)
    }
    assert sorted(i.call_number for i in items) == ["I287.45/1"] * 3 + ["I287.45/2"] * 2


def test_receive_batch_counts_a_title_on_two_lines_once(people):
    record = catalogue(people, "草房子")

    batch = receive(people, people.school, [ReceiptLine(record, 1), ReceiptLine(record, 2)])

    assert (batch.titles, batch.volumes) == (1, 3)


def test_batches_are_numbered_per_school(people):
    record = catalogue(people, "草房子")

    first = receive(people, people.school, [ReceiptLine(record, 1)])
    second = receive(people, people.school, [ReceiptLine(record, 1)], source=ItemSource.DONATION)
    other = receive(people, people.other_school, [ReceiptLine(record, 1)])

    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert Item.objects.get(batch=second).source == ItemSource.DONATION


def test_receive_batch_without_lines_is_refused(people):
    with pytest.raises(CatalogError):
        receive(people, people.school, [])

    assert not AccessionBatch.objects.exists()


def test_a_receipt_refused_half_way_stores_no_batch_and_no_copies(people):
    record = catalogue(people, "草房子")
    before = Item.objects.count()

    with pytest.raises(CatalogError):
        receive(people, people.school, [ReceiptLine(record, 2), ReceiptLine(record, 0)])

    assert Item.objects.count() == before
    assert not AccessionBatch.objects.exists()
    assert receive(people, people.school, [ReceiptLine(record, 1)]).number == 1


# ---------------------------------------------------------------- updating a record


def update(people, record: Record, data: BibData) -> Record:
    return services.update_record(
        record,
        by=people.librarian,
        data=data,
        material_type=MaterialType.BOOK,
        grade_band="",
    )


def test_changing_the_class_number_renumbers_the_copies_in_each_school(people):
    record = catalogue(people, "草房子", author="曹文轩", class_number="I287.45")
    neighbour = catalogue(people, "青铜葵花", class_number="I287.5")
    add(people, neighbour)
    add(people, record, 2)
    add(people, record, 1, school=people.other_school)

    update(people, record, bib("草房子", author="曹文轩", class_number="I287.5"))

    mine = Item.objects.filter(record=record, school=people.school)
    theirs = Item.objects.filter(record=record, school=people.other_school)
    assert {i.call_number for i in mine} == {"I287.5/2"}
    assert {i.call_number for i in theirs} == {"I287.5/1"}
    assert len({i.call_sort for i in mine}) == 1
    assert mine[0].call_sort != Item.objects.get(record=neighbour).call_sort


def test_updating_a_record_without_changing_its_class_keeps_the_call_numbers(people):
    record = catalogue(people, "草房子", class_number="I287.45")
    add(people, record)

    update(people, record, bib("草房子（新版）", class_number="I287.45"))

    assert Item.objects.get(record=record).call_number == "I287.45/1"
    record.refresh_from_db()
    assert record.title == "草房子（新版）"


def test_updating_a_record_replaces_its_isbns(people):
    record = catalogue(people, "三体", isbns=(SANTI_13,))

    update(people, record, bib("三体", isbns=("7-02-000220-X",)))

    assert list(queries.records_by_isbn(SANTI_13)) == []
    assert list(queries.records_by_isbn("9787020002207")) == [record]
    assert list(Isbn.objects.filter(record=record).values_list("isbn13", flat=True)) == [
        "9787020002207"
    ]


def test_an_invalid_update_changes_nothing(people):
    record = catalogue(people, "三体", isbns=(SANTI_13,))

    with pytest.raises(CatalogError) as caught:
        update(people, record, bib("三体", isbns=("978-7-5366-9293-1",)))

    assert caught.value.field == "isbn"
    record.refresh_from_db()
    assert record.isbn == SANTI_13


def test_copies_added_one_by_one_join_todays_batch_with_its_totals(people):
    record = catalogue(people, "草房子")
    details = CopyDetails(location=people.location, price=Decimal("20.00"))
    services.add_copies(
        by=people.librarian, school=people.school, record=record, copies=2, details=details
    )
    other = catalogue(people, "青铜葵花")
    services.add_copies(
        by=people.librarian, school=people.school, record=other, copies=1, details=details
    )
    donated = CopyDetails(location=people.location, source=ItemSource.DONATION)
    services.add_copies(
        by=people.librarian, school=people.school, record=other, copies=1, details=donated
    )

    purchase = AccessionBatch.objects.get(school=people.school, source=ItemSource.PURCHASE)
    assert (purchase.titles, purchase.volumes, purchase.amount) == (2, 3, Decimal("60.00"))
    assert purchase.note == services.DAILY_NOTE
    assert AccessionBatch.objects.get(school=people.school, source=ItemSource.DONATION).volumes == 1
