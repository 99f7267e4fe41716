"""Readers: card numbers and lost cards, registration, status, search, and who sees whom."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from shuxiang.audit.models import AuditEvent
from shuxiang.patrons import services
from shuxiang.patrons.models import (
    CardRule,
    CardSettings,
    Gender,
    Patron,
    PatronKind,
    PatronStatus,
    SchoolClass,
)
from shuxiang.patrons.queries import lost_card, patron_by_card, search_patrons
from shuxiang.patrons.services import PatronData, PatronError

# Where the 2 x 5 CR80 cards of an A4 sheet sit, row by row (left, top in mm).
CR80_SLOTS = [(left, top) for top in (13.5, 67.5, 121.5, 175.5, 229.5) for left in (19.4, 105.0)]
CARD_STYLE = re.compile(r'left: ([\d.]+)mm; top: ([\d.]+)mm" data-card="([^"]+)"')


def student_data(name: str, number: str, school_class: SchoolClass | None = None, **kw):
    return PatronData(
        kind=PatronKind.STUDENT,
        name=name,
        student_number=number,
        school_class=school_class,
        **kw,
    )


def teacher_data(name: str, number: str, **kw) -> PatronData:
    return PatronData(kind=PatronKind.TEACHER, name=name, staff_number=number, **kw)


def use_sequence(school, prefix: str = "D", digits: int = 6) -> None:
    services.change_card_settings(
        school, by=None, rule=CardRule.SEQUENCE, prefix=prefix, digits=digits
    )


def patron_of(user) -> Patron:
    return Patron.objects.get(user=user)


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


# ---------------------------------------------------------------- card numbers


def test_student_number_rule_gives_the_student_number_and_teachers_their_staff_number(people):
    pupil = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215", people.class_3_2)
    )
    teacher = services.register_patron(
        by=None, school=people.school, data=teacher_data("周老师", "T09", subject="数学")
    )

    assert pupil.card_number == "20240215"
    assert pupil.card_issued_on is not None
    assert teacher.card_number == "T09"


def test_sequence_rule_numbers_cards_with_prefix_and_digits(people):
    use_sequence(people.school, prefix="nb", digits=5)

    first = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215")
    )
    second = services.register_patron(
        by=None, school=people.school, data=teacher_data("周老师", "T09")
    )

    assert (first.card_number, second.card_number) == ("NB00001", "NB00002")


def test_a_card_number_given_by_hand_is_kept(people):
    use_sequence(people.school)

    pupil = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215", card_number="X1")
    )

    assert pupil.card_number == "X1"
    assert CardSettings.objects.get(school=people.school).last_number == 0


def test_issue_card_gives_a_reader_without_a_card_one_and_refuses_a_second(people):
    reader = Patron.objects.create(
        school=people.school, kind=PatronKind.STUDENT, name="无证", student_number="20240299"
    )

    services.issue_card(reader, by=people.librarian)

    assert reader.card_number == "20240299"
    assert patron_by_card(people.school, "20240299") == reader
    with pytest.raises(PatronError):
        services.issue_card(reader, by=people.librarian)


def test_sequence_rule_never_reuses_a_lost_number(people):
    use_sequence(people.school)
    reader = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215")
    )
    services.reissue_card(reader, by=people.librarian)
    assert reader.card_number == "D000002"
    # A counter set back (say, a settings row restored from an old backup) still skips
    # the lost number and the one in use.
    CardSettings.objects.filter(school=people.school).update(last_number=0)

    newcomer = services.register_patron(
        by=None, school=people.school, data=student_data("李小龙", "20240216")
    )

    assert newcomer.card_number == "D000003"


def test_student_number_rule_after_losses_adds_a_suffix_and_never_reuses_one(people):
    reader = patron_of(people.student)

    services.reissue_card(reader, by=people.librarian)
    assert reader.card_number == "20240201-2"
    services.reissue_card(reader, by=people.librarian)

    assert reader.card_number == "20240201-3"
    assert {c.card_number for c in reader.lost_cards.all()} == {"20240201", "20240201-2"}


def test_reissue_blocks_the_old_number_at_once_and_the_reader_keeps_everything_else(people):
    reader = patron_of(people.student)
    before = Patron.objects.filter(pk=reader.pk).values().get()

    services.reissue_card(reader, by=people.librarian)

    assert patron_by_card(people.school, "20240201") is None
    assert lost_card(people.school, "20240201").patron == reader
    assert patron_by_card(people.school, reader.card_number) == reader
    after = Patron.objects.filter(pk=reader.pk).values().get()
    new = {"card_number", "card_issued_on"}
    assert {k: v for k, v in after.items() if k not in new} == {
        k: v for k, v in before.items() if k not in new
    }
    event = AuditEvent.objects.get(action="card.reissue")
    assert event.details == {"old": "20240201", "new": "20240201-2"}


def test_reissue_page_blocks_the_card_and_the_reader_search_names_the_lost_card(librarian, people):
    use_sequence(people.school)
    reader = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215", people.class_3_2)
    )

    response = librarian.post(f"/readers/{reader.pk}/reissue/")

    assert response.status_code == 302
    assert response["Location"] == f"/readers/{reader.pk}/"
    reader.refresh_from_db()
    assert reader.card_number == "D000002"
    assert librarian.get("/readers/", {"q": "D000002"}).context["readers"] == [reader]
    lost = librarian.get("/readers/", {"q": "D000001"})
    assert lost.context["readers"] == []
    assert lost.context["lost"].patron == reader
    assert f'href="/readers/{reader.pk}/"' in lost.text
    assert AuditEvent.objects.filter(action="card.reissue", actor=people.librarian).exists()


def test_a_lost_card_number_cannot_be_given_to_a_new_reader(people):
    services.reissue_card(patron_of(people.student), by=people.librarian)

    with pytest.raises(PatronError) as refused:
        services.register_patron(
            by=None,
            school=people.school,
            data=student_data("王小丫", "20240215", card_number="20240201"),
        )

    assert refused.value.field == "card_number"


# ---------------------------------------------------------------- registration


@pytest.mark.parametrize(
    ("data", "field", "label"),
    [
        (student_data("王小丫", "20240201"), "student_number", "学号"),
        (teacher_data("周老师", "T02"), "staff_number", "工号"),
        (student_data("王小丫", "20240215", card_number="20230101"), "card_number", "借书证号"),
    ],
)
def test_register_refuses_a_number_another_reader_of_the_school_has(people, data, field, label):
    count = Patron.objects.count()

    with pytest.raises(PatronError) as refused:
        services.register_patron(by=None, school=people.school, data=data)

    assert refused.value.field == field
    assert label in refused.value.message
    assert Patron.objects.count() == count


def test_another_school_may_reuse_the_numbers(people):
    there = services.register_patron(
        by=None,
        school=people.other_school,
        data=student_data("张小明", "20240201", people.other_class),
    )
    teacher = services.register_patron(
        by=None, school=people.other_school, data=teacher_data("李老师", "T02")
    )

    assert there.card_number == "20240201"
    assert teacher.card_number == "T02"
    assert patron_by_card(people.school, "20240201") == patron_of(people.student)
    assert patron_by_card(people.other_school, "20240201") == there


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (student_data("  ", "20240215"), "name"),
        (PatronData(kind=PatronKind.STUDENT, name="王小丫"), "student_number"),
    ],
)
def test_register_refuses_a_reader_without_name_or_student_number(people, data, field):
    with pytest.raises(PatronError) as refused:
        services.register_patron(by=None, school=people.school, data=data)

    assert refused.value.field == field


def test_register_refuses_another_schools_class(people):
    with pytest.raises(PatronError) as refused:
        services.register_patron(
            by=None,
            school=people.school,
            data=student_data("王小丫", "20240215", people.other_class),
        )

    assert refused.value.field == "school_class"


def test_a_student_with_only_a_registry_number_is_registered_with_a_sequence_card(people):
    reader = services.register_patron(
        by=None,
        school=people.school,
        data=PatronData(kind=PatronKind.STUDENT, name="王小丫", registry_number="G1101"),
    )

    assert reader.card_number == "D000001"


# ---------------------------------------------------------------- status and reader type


def test_a_graduate_cannot_become_active_again(people):
    graduate = patron_of(people.graduate)

    with pytest.raises(PatronError) as refused:
        services.set_patron_status(graduate, by=people.librarian, status=PatronStatus.ACTIVE)

    assert refused.value.field == "status"
    graduate.refresh_from_db()
    assert graduate.status == PatronStatus.GRADUATED
    assert not graduate.can_borrow


def test_an_active_student_transfers_out_and_can_no_longer_borrow(people):
    reader = patron_of(people.student)
    assert reader.can_borrow

    services.set_patron_status(reader, by=people.librarian, status=PatronStatus.TRANSFERRED)

    reader.refresh_from_db()
    assert reader.status == PatronStatus.TRANSFERRED
    assert not reader.can_borrow
    event = AuditEvent.objects.get(action="patron.status")
    assert event.details == {"from": "active", "to": "transferred"}


def test_a_suspended_student_comes_back_and_borrows_again(people):
    reader = patron_of(people.student)
    services.set_patron_status(reader, by=None, status=PatronStatus.SUSPENDED)
    assert not reader.can_borrow

    services.set_patron_status(reader, by=None, status=PatronStatus.ACTIVE)

    assert reader.can_borrow


def test_status_page_refuses_a_forbidden_change_and_keeps_the_status(librarian, people):
    graduate = patron_of(people.graduate)

    response = librarian.post(f"/readers/{graduate.pk}/status/", {"status": "active"})

    assert response.status_code == 302
    graduate.refresh_from_db()
    assert graduate.status == PatronStatus.GRADUATED
    reader = patron_of(people.student)
    librarian.post(f"/readers/{reader.pk}/status/", {"status": "suspended"})
    reader.refresh_from_db()
    assert reader.status == PatronStatus.SUSPENDED


def test_reader_type_is_the_grade_band_of_the_class_or_teacher(people):
    first_grade = SchoolClass.objects.create(school=people.school, grade=1, number=1)
    junior = SchoolClass.objects.create(school=people.school, grade=8, number=1)
    little = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20260101", first_grade)
    )
    older = services.register_patron(
        by=None, school=people.school, data=student_data("李大壮", "20190101", junior)
    )

    assert patron_of(people.student).reader_type == "middle"  # 三年级
    assert little.reader_type == "lower"
    assert older.reader_type == "junior"
    assert patron_of(people.teacher).reader_type == "teacher"
    classless = Patron(school=people.school, kind=PatronKind.STUDENT, name="无班")
    assert classless.reader_type == ""


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    "query",
    ["张小明", "小明", "zhangxiaoming", "ZhangXiaoMing", "zxm", "zhang", "２０２４０２０１"],
)
def test_search_finds_a_student_by_name_part_pinyin_initials_and_number(people, query):
    assert search_patrons(people.school, query) == [patron_of(people.student)]


def test_search_finds_by_card_student_number_and_staff_number(people):
    use_sequence(people.school)
    reader = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215", people.class_3_2)
    )
    assert reader.card_number == "D000001"

    assert search_patrons(people.school, "D000001") == [reader]
    assert search_patrons(people.school, "d000001") == [reader]
    assert search_patrons(people.school, "20240215") == [reader]
    assert search_patrons(people.school, "T02") == [patron_of(people.teacher)]


def test_search_never_finds_another_schools_readers(people):
    assert search_patrons(people.school, "孙南南") == []
    assert search_patrons(people.school, "sunnannan") == []
    assert search_patrons(people.school, "20249901") == []
    assert search_patrons(people.other_school, "张小明") == []
    assert [p.name for p in search_patrons(people.other_school, "孙南南")] == ["孙南南"]


def test_search_of_blank_text_finds_nothing(people):
    assert search_patrons(people.school, "  ") == []


# ---------------------------------------------------------------- privacy


def reader_page(client, user, patron: Patron) -> int:
    client.force_login(user)
    return client.get(f"/readers/{patron.pk}/").status_code


def test_a_student_sees_only_their_own_reader_page(client, people):
    assert reader_page(client, people.student, patron_of(people.student)) == 200
    assert reader_page(client, people.student, patron_of(people.student2)) == 404
    assert reader_page(client, people.student, patron_of(people.teacher)) == 404


def test_a_class_teacher_sees_the_students_of_their_class_only(client, people):
    assert reader_page(client, people.class_teacher, patron_of(people.student)) == 200
    assert reader_page(client, people.class_teacher, patron_of(people.student2)) == 404
    assert reader_page(client, people.class_teacher, patron_of(people.teacher)) == 404
    assert reader_page(client, people.class_teacher, patron_of(people.class_teacher)) == 200


def test_a_helper_sees_no_other_readers_page(client, people):
    assert reader_page(client, people.helper, patron_of(people.student)) == 404
    assert reader_page(client, people.helper, patron_of(people.student2)) == 404
    assert reader_page(client, people.helper, patron_of(people.helper)) == 200


def test_a_leader_may_not_open_reader_pages(client, people):
    assert reader_page(client, people.leader, patron_of(people.student)) == 403


def test_a_librarian_sees_every_reader_of_the_school_only(client, people):
    for user in (people.student, people.student2, people.teacher, people.graduate):
        assert reader_page(client, people.librarian, patron_of(user)) == 200
    south = Patron.objects.get(name="孙南南")
    assert reader_page(client, people.librarian, south) == 404


def test_others_see_no_staff_tools_on_a_reader_page(client, people):
    reader = patron_of(people.student)
    client.force_login(people.student)

    response = client.get(f"/readers/{reader.pk}/")

    assert not response.context["staff"]
    assert f"/readers/{reader.pk}/edit/" not in response.content.decode()
    assert reader_page(client, people.student, reader) == 200
    client.force_login(people.student)
    assert client.get(f"/readers/{reader.pk}/edit/").status_code == 403


# ---------------------------------------------------------------- the reader form


def form_data(patron: Patron, **changes) -> dict:
    data = {
        "kind": patron.kind,
        "name": patron.name,
        "gender": patron.gender,
        "student_number": patron.student_number,
        "registry_number": patron.registry_number,
        "school_class": patron.school_class_id or "",
        "staff_number": patron.staff_number,
        "subject": patron.subject,
        "card_number": patron.card_number,
    }
    data.update(changes)
    return data


def test_reader_edit_page_changes_fields_and_the_audit_log_records_it(librarian, people):
    reader = patron_of(people.student)

    response = librarian.post(
        f"/readers/{reader.pk}/edit/",
        form_data(
            reader,
            name="张晓明",
            gender=Gender.MALE,
            school_class=people.class_4_1.pk,
            card_number="HACKED",  # disabled on an edit: ignored
        ),
    )

    assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.name, reader.gender, reader.school_class) == ("张晓明", "M", people.class_4_1)
    assert reader.card_number == "20240201"
    assert search_patrons(people.school, "zxm") == [reader]
    event = AuditEvent.objects.get(action="patron.update")
    assert event.actor == people.librarian
    assert event.object_id == str(reader.pk)
    assert set(event.details["fields"]) == {"name", "gender", "school_class"}


def test_reader_edit_page_shows_a_duplicate_student_number_on_its_field(librarian, people):
    reader = patron_of(people.student)

    response = librarian.post(
        f"/readers/{reader.pk}/edit/", form_data(reader, student_number="20230101")
    )

    assert response.status_code == 200
    assert "student_number" in response.context["form"].errors
    reader.refresh_from_db()
    assert reader.student_number == "20240201"
    assert not AuditEvent.objects.filter(action="patron.update").exists()


def test_reader_edit_page_keeps_a_student_identifiable_by_number(librarian, people):
    reader = patron_of(people.student)

    response = librarian.post(
        f"/readers/{reader.pk}/edit/", form_data(reader, student_number="", registry_number="")
    )

    assert response.status_code == 200
    assert "student_number" in response.context["form"].errors
    reader.refresh_from_db()
    assert reader.student_number == "20240201"


def test_new_reader_page_registers_a_reader_with_a_card(librarian, people):
    response = librarian.post(
        "/readers/new/",
        {
            "kind": "student",
            "name": "王小丫",
            "gender": "F",
            "student_number": "20240215",
            "school_class": people.class_3_2.pk,
        },
    )

    reader = Patron.objects.get(student_number="20240215")
    assert response["Location"] == f"/readers/{reader.pk}/"
    assert (reader.card_number, reader.school_class) == ("20240215", people.class_3_2)
    assert AuditEvent.objects.filter(action="patron.create", object_id=str(reader.pk)).exists()


# ---------------------------------------------------------------- class export


def export_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(workbook.active.iter_rows(values_only=True))


def test_class_export_holds_the_class_students_and_is_logged(librarian, people):
    services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215", people.class_3_2)
    )

    response = librarian.get(f"/readers/classes/{people.class_3_2.pk}/export.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = export_rows(response)
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("20240201", "张小明", "20240201"),
        ("20240215", "王小丫", "20240215"),
    ]
    assert "刘小红" not in {r[1] for r in rows}
    event = AuditEvent.objects.get(action="export.patrons")
    assert (event.actor, event.school) == (people.librarian, people.school)
    assert event.object_id == str(people.class_3_2.pk)
    assert event.details == {"students": 2}


def test_a_class_teacher_exports_only_their_own_class(client, people):
    client.force_login(people.class_teacher)

    own = client.get(f"/readers/classes/{people.class_3_2.pk}/export.xlsx")
    other = client.get(f"/readers/classes/{people.class_4_1.pk}/export.xlsx")

    assert own.status_code == 200
    assert [r[1] for r in export_rows(own)[1:]] == ["张小明"]
    assert other.status_code == 404
    assert AuditEvent.objects.filter(action="export.patrons").count() == 1


@pytest.mark.parametrize("role", ["leader", "helper", "student", "teacher"])
def test_class_export_is_refused_to_other_roles(client, people, role):
    client.force_login(people.by_role(role))

    response = client.get(f"/readers/classes/{people.class_3_2.pk}/export.xlsx")

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="export.patrons").exists()


def test_another_schools_class_is_not_found(librarian, people):
    assert librarian.get(f"/readers/classes/{people.other_class.pk}/").status_code == 404
    response = librarian.get(f"/readers/classes/{people.other_class.pk}/export.xlsx")
    assert response.status_code == 404


# ---------------------------------------------------------------- cards


def fill_class(people, n: int) -> None:
    for i in range(n):
        services.register_patron(
            by=None,
            school=people.school,
            data=student_data(f"学生{i:02d}", f"202402{i + 10:02d}", people.class_3_2),
        )


def test_cards_page_prints_a_class_on_a_2x5_cr80_layout_and_logs_it(librarian, people):
    fill_class(people, 11)  # with 张小明, twelve cards: a full sheet and two on the next

    response = librarian.get("/readers/cards/", {"class": people.class_3_2.pk})

    assert response.status_code == 200
    placed = [(float(x), float(y), card) for x, y, card in CARD_STYLE.findall(response.text)]
    assert [(x, y) for x, y, _card in placed] == CR80_SLOTS + CR80_SLOTS[:2]
    assert placed[0][2] == "20240201"
    assert response.text.count('class="sheet"') == 2
    assert "刘小红" not in response.text
    event = AuditEvent.objects.get(action="export.cards")
    assert event.details == {"readers": 12}
    assert event.actor == people.librarian


def test_cards_page_starts_at_the_position_asked_for(librarian, people):
    fill_class(people, 2)

    response = librarian.get("/readers/cards/", {"class": people.class_3_2.pk, "start": 4})

    placed = [(float(x), float(y)) for x, y, _card in CARD_STYLE.findall(response.text)]
    assert placed == CR80_SLOTS[3:6]


def test_cards_page_refuses_a_start_position_off_the_sheet(librarian, people):
    response = librarian.get("/readers/cards/", {"class": people.class_3_2.pk, "start": 11})

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export.cards").exists()


def test_cards_page_prints_chosen_readers_of_the_school_only(librarian, people):
    south = Patron.objects.get(name="孙南南")
    teacher = patron_of(people.teacher)

    response = librarian.get("/readers/cards/", {"patron": [teacher.pk, south.pk]})

    assert [card for _x, _y, card in CARD_STYLE.findall(response.text)] == ["T02"]


@pytest.mark.parametrize("query", ["", "?class=abc", "?patron=x"])
def test_cards_page_without_a_usable_choice_shows_the_form(librarian, people, query):
    response = librarian.get(f"/readers/cards/{query}")

    assert response.status_code == 200
    assert list(response.context["classes"]) == [people.class_3_2, people.class_4_1]
    assert not AuditEvent.objects.filter(action="export.cards").exists()


def test_card_settings_form_changes_the_rule_for_new_cards(librarian, people):
    response = librarian.post(
        "/readers/cards/settings/", {"rule": "sequence", "prefix": " nb ", "digits": 5}
    )

    assert response.status_code == 302
    settings = CardSettings.objects.get(school=people.school)
    assert (settings.rule, settings.prefix, settings.digits) == ("sequence", "NB", 5)
    reader = services.register_patron(
        by=None, school=people.school, data=student_data("王小丫", "20240215")
    )
    assert reader.card_number == "NB00001"
    assert patron_of(people.student).card_number == "20240201"  # issued cards keep theirs
    assert AuditEvent.objects.filter(action="cards.settings", school=people.school).exists()


def test_card_settings_form_refuses_bad_digits(librarian, people):
    librarian.post("/readers/cards/settings/", {"rule": "sequence", "prefix": "D", "digits": 2})

    assert services.card_settings(people.school).rule == CardRule.STUDENT_NUMBER


@pytest.mark.parametrize("role", ["helper", "class_teacher", "teacher", "student", "leader"])
def test_card_settings_are_for_librarians_and_admins_only(client, people, role):
    client.force_login(people.by_role(role))

    response = client.post(
        "/readers/cards/settings/", {"rule": "sequence", "prefix": "X", "digits": 4}
    )

    assert response.status_code == 403
    assert services.card_settings(people.school).rule == CardRule.STUDENT_NUMBER


def test_an_admin_may_change_the_card_settings(client, people):
    client.force_login(people.admin)

    client.post("/readers/cards/settings/", {"rule": "sequence", "prefix": "A", "digits": 4})

    assert services.card_settings(people.school).prefix == "A"


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def upload_photo(client, people, content: bytes, name: str = "face.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    patron = people.student.patron
    client.force_login(people.librarian)
    return client.post(
        f"/readers/{patron.pk}/edit/",
        {
            "kind": "student",
            "name": patron.name,
            "student_number": patron.student_number,
            "school_class": patron.school_class_id,
            "photo": SimpleUploadedFile(name, content),
        },
    )


def test_a_photo_is_kept_and_shown_only_to_those_who_may_see_the_reader(
    client, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assert upload_photo(client, people, PNG).status_code == 302
    patron = people.student.patron
    patron.refresh_from_db()
    assert patron.photo.name.endswith(".png")
    url = f"/readers/{patron.pk}/photo/"
    assert b"".join(client.get(url).streaming_content) == PNG
    client.force_login(people.student2)
    assert client.get(url).status_code == 404
    client.force_login(people.student)
    assert client.get(url).status_code == 200


def test_a_photo_that_is_not_a_picture_is_refused(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = upload_photo(client, people, b"MZ\x90\x00 not a picture", name="face.jpg")
    assert response.status_code == 200
    people.student.patron.refresh_from_db()
    assert not people.student.patron.photo
