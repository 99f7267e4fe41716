"""Chinese catalogue search (`catalog.search`, `catalog.queries`): the same tests on SQLite's
FTS5 index and PostgreSQL's tsvector index."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shuxiang.catalog import importing, queries, search, services
from shuxiang.catalog.bibdata import BibData, Contributor
from shuxiang.catalog.models import Item, ItemStatus, Location, LocationKind, MaterialType, Record
from shuxiang.catalog.queries import CatalogueFilter

HONGLOU_ISBN = "9787020002207"  # ISBN-10 702000220X
XIYOU_ISBN = "9787020008735"


def catalogue(
    people,
    title: str,
    *,
    author: str = "",
    publisher: str = "",
    isbns: tuple[str, ...] = (),
    class_number: str = "",
    school=None,
) -> Record:
    """A record with one copy in `school` (by default people.school)."""
    record = services.catalogue_record(
        by=people.librarian,
        data=BibData(
            title=title,
            contributors=[Contributor(author)] if author else [],
            publisher=publisher,
            isbns=list(isbns),
            class_number=class_number,
            price=Decimal("20.00"),
        ),
    )
    school = school or people.school
    location = people.location if school == people.school else people.other_location
    services.add_copies(
        by=people.librarian,
        school=school,
        record=record,
        copies=1,
        details=services.CopyDetails(location=location),
    )
    return record


@pytest.fixture
def shelf(people) -> dict[str, Record]:
    """A small collection in 北街小学, and a book only 南街小学 holds."""
    return {
        # The longer title first, so that an id order would put it before 西游记.
        "西游记故事": catalogue(
            people, "西游记故事", author="王一", publisher="少年儿童出版社", class_number="I287.5"
        ),
        "西游记": catalogue(
            people,
            "西游记",
            author="吴承恩",
            publisher="人民文学出版社",
            isbns=(XIYOU_ISBN,),
            class_number="I242.4",
        ),
        "恐龙的奥秘": catalogue(
            people, "恐龙的奥秘", author="徐星", publisher="少年儿童出版社", class_number="Q915.864"
        ),
        "恐惧的龙": catalogue(people, "恐惧的龙", author="李四", class_number="I287.45"),
        "红楼梦": catalogue(
            people,
            "红楼梦",
            author="曹雪芹",
            publisher="人民文学出版社",
            isbns=(HONGLOU_ISBN,),
            class_number="I242.4",
        ),
        "重庆的故事": catalogue(people, "重庆的故事", class_number="K297.19"),
        "南街的书": catalogue(
            people, "南街的书", author="吴承恩", class_number="I242.4", school=people.other_school
        ),
    }


def found(query: str) -> set[str]:
    return set(
        Record.objects.filter(pk__in=search.record_ids(query)).values_list("title", flat=True)
    )


def held(people, query: str = "", **filters) -> list[str]:
    return [
        r.title for r in queries.held_records(people.school, CatalogueFilter(q=query, **filters))
    ]


# ---------------------------------------------------------------- Chinese


def test_a_two_character_word_is_found_inside_a_longer_title(shelf):
    # 恐惧的龙 has both characters, but not as the word 恐龙.
    assert found("恐龙") == {"恐龙的奥秘"}
    assert found("奥秘") == {"恐龙的奥秘"}


def test_a_two_character_word_at_the_start_of_a_title(shelf):
    assert found("西游") == {"西游记", "西游记故事"}


def test_a_single_character_finds_every_title_with_it(shelf):
    assert found("龙") == {"恐龙的奥秘", "恐惧的龙"}


def test_all_words_of_a_query_must_match(shelf):
    assert found("西游 故事") == {"西游记故事"}
    assert found("吴承恩 西游记") == {"西游记"}


def test_author_name_publisher_and_class_number_are_found(shelf):
    assert found("吴承恩") == {"西游记", "南街的书"}
    assert found("曹雪芹") == {"红楼梦"}
    assert found("少年儿童出版社") == {"西游记故事", "恐龙的奥秘"}
    assert found("I242.4") == {"西游记", "红楼梦", "南街的书"}


# ---------------------------------------------------------------- pinyin


def test_full_pinyin_of_a_title_is_found(shelf):
    assert found("xiyouji") == {"西游记", "西游记故事"}
    assert found("konglongdeaomi") == {"恐龙的奥秘"}
    assert found("hongloumeng") == {"红楼梦"}


def test_partial_pinyin_is_a_prefix(shelf):
    assert found("xiyou") == {"西游记", "西游记故事"}
    assert found("kongl") == {"恐龙的奥秘"}


def test_pinyin_initials_are_found(shelf):
    assert found("xyj") == {"西游记", "西游记故事"}
    assert found("xyjgs") == {"西游记故事"}
    assert found("kldam") == {"恐龙的奥秘"}


def test_pinyin_of_polyphones_follows_the_phrase(shelf):
    assert found("chongqing") == {"重庆的故事"}
    assert found("zhongqing") == set()


def test_author_pinyin_and_initials_are_found(shelf):
    assert found("wuchengen") == {"西游记", "南街的书"}
    assert found("caoxueqin") == {"红楼梦"}
    assert found("cxq") == {"红楼梦"}


def test_full_width_latin_is_read_as_latin(shelf):
    assert found("ＸＹＪ") == {"西游记", "西游记故事"}


def test_single_syllables_of_a_title_are_found(shelf):
    assert "恐龙的奥秘" in found("kong long")


# ---------------------------------------------------------------- ranking and misses


def test_the_exact_title_ranks_first(shelf):
    ranked = search.record_ids("西游记")

    assert ranked[0] == shelf["西游记"].pk
    assert set(ranked) == {shelf["西游记"].pk, shelf["西游记故事"].pk}


def test_the_exact_title_ranks_first_in_the_schools_catalogue(people, shelf):
    assert held(people, "西游记") == ["西游记", "西游记故事"]
    assert held(people, " 西游记 ") == ["西游记", "西游记故事"]


@pytest.mark.parametrize("query", ["zzqqxx", "霸王龙", "9999999", "", "  ", "！？。", "---"])
def test_a_query_that_matches_nothing_finds_nothing(shelf, query):
    assert search.record_ids(query) == []


# ---------------------------------------------------------------- the school's catalogue


def test_isbn_13_with_hyphens_finds_the_record(people, shelf):
    assert held(people, "978-7-02-000220-7") == ["红楼梦"]
    assert held(people, HONGLOU_ISBN) == ["红楼梦"]


def test_isbn_10_with_hyphens_finds_the_record(people, shelf):
    assert held(people, "7-02-000220-X") == ["红楼梦"]
    assert held(people, "7-02-000220-x") == ["红楼梦"]
    assert held(people, "702000220X") == ["红楼梦"]


def test_an_isbn_also_finds_through_the_search_index(shelf):
    assert found(HONGLOU_ISBN) == {"红楼梦"}
    assert found("702000220x") == {"红楼梦"}


def test_an_isbn_with_a_wrong_check_digit_finds_nothing(people, shelf):
    assert held(people, "978-7-02-000220-8") == []


def test_call_number_prefix_finds_the_copies_shelved_there(people, shelf):
    # people.record (西游记 of the fixture) is shelved at I242.4/1 too.
    assert sorted(held(people, "I242.4/")) == ["红楼梦", "西游记", "西游记"]
    assert held(people, "i242.4/3") == ["红楼梦"]
    assert held(people, "K297.19/1") == ["重庆的故事"]


def test_class_number_filter(people, shelf):
    assert sorted(held(people, class_number="i242")) == ["红楼梦", "西游记", "西游记"]
    assert held(people, "xyj", class_number="I287") == ["西游记故事"]


def test_records_held_only_by_another_school_are_not_in_the_schools_catalogue(people, shelf):
    assert found("南街") == {"南街的书"}
    assert held(people, "南街") == []
    assert held(people, "wuchengen") == ["西游记"]
    other = queries.held_records(people.other_school, CatalogueFilter(q="wuchengen"))
    assert [r.title for r in other] == ["南街的书"]


def test_withdrawn_copies_do_not_hold_a_record_in_the_catalogue(people, shelf):
    [copy] = Item.objects.filter(record=shelf["恐惧的龙"])
    services.set_item_status(copy, by=people.librarian, status=ItemStatus.WITHDRAWN)

    assert held(people, "龙") == ["恐龙的奥秘"]
    assert "恐惧的龙" not in held(people)


def test_catalogue_filters_by_location_status_and_material(people, shelf):
    corner = Location.objects.create(
        school=people.school, code="corner", name="班级图书角", kind=LocationKind.CLASS_CORNER
    )
    services.move_items(
        Item.objects.filter(record=shelf["红楼梦"]), by=people.librarian, location=corner
    )
    [copy] = Item.objects.filter(record=shelf["西游记"])
    services.set_item_status(copy, by=people.librarian, status=ItemStatus.IN_REPAIR)
    Record.objects.filter(pk=shelf["恐龙的奥秘"].pk).update(material_type=MaterialType.PICTURE_BOOK)

    assert held(people, location=corner.pk) == ["红楼梦"]
    assert held(people, status=ItemStatus.IN_REPAIR) == ["西游记"]
    assert held(people, material_type=MaterialType.PICTURE_BOOK) == ["恐龙的奥秘"]
    assert held(people, "wuchengen", status=ItemStatus.AVAILABLE) == []


def test_the_catalogue_without_a_query_is_in_call_number_order(people, shelf):
    titles = held(people)

    assert titles.index("西游记") < titles.index("西游记故事") < titles.index("重庆的故事")
    assert titles.index("红楼梦") < titles.index("恐惧的龙") < titles.index("恐龙的奥秘")


def test_holdings_counts_count_copies_in_the_collection_and_on_the_shelf(people, shelf):
    record = shelf["西游记"]
    services.add_copies(
        by=people.librarian,
        school=people.school,
        record=record,
        copies=3,
        details=services.CopyDetails(location=people.location),
    )
    copies = list(Item.objects.filter(record=record, school=people.school))
    services.set_item_status(copies[0], by=people.librarian, status=ItemStatus.WITHDRAWN)
    services.set_item_status(copies[1], by=people.librarian, status=ItemStatus.IN_REPAIR)

    counts = queries.holdings_counts(people.school, [record, shelf["南街的书"]])

    assert counts == {record.pk: (3, 2)}


# ---------------------------------------------------------------- the index follows changes


def test_the_index_follows_a_changed_title(people, shelf):
    record = shelf["恐惧的龙"]

    services.update_record(
        record,
        by=people.librarian,
        data=BibData(title="勇敢的小狮子", contributors=[Contributor("李四")]),
        material_type=MaterialType.BOOK,
        grade_band="",
    )

    assert found("龙") == {"恐龙的奥秘"}
    assert found("kjdl") == set()
    assert found("狮子") == {"勇敢的小狮子"}
    assert found("ygdxsz") == {"勇敢的小狮子"}
    assert held(people, "狮子") == ["勇敢的小狮子"]


def test_the_index_follows_a_deleted_record(shelf):
    record = shelf["恐惧的龙"]
    Item.objects.filter(record=record).delete()

    record.delete()

    assert found("恐惧") == set()
    assert found("龙") == {"恐龙的奥秘"}


def test_rebuilding_the_index_keeps_every_record_findable(shelf):
    search.rebuild_index()

    assert found("xyj") == {"西游记", "西游记故事"}
    assert found("恐龙") == {"恐龙的奥秘"}


def test_records_imported_in_bulk_are_found(people):
    bibs = [BibData(title="小王子", contributors=[Contributor("圣埃克苏佩里")])]
    importing.import_bibs(
        [(1, bibs[0], None)],
        school=people.school,
        options=importing.ImportOptions(location=people.location, copies_if_none=1),
        by=people.librarian,
    )

    assert found("xwz") == {"小王子"}
    assert held(people, "王子") == ["小王子"]


def test_pinyin_of_a_word_inside_the_title_finds_it(people):
    catalogue(people, "大恐龙的一天")
    catalogue(people, "恐惧的龙")

    assert found("konglong") == {"大恐龙的一天"}
    assert found("yitian") == {"大恐龙的一天"}
    assert found("kongju") == {"恐惧的龙"}
