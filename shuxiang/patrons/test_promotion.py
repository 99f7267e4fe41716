"""Year-end promotion (升级): every class up a grade, the top grade graduating, in one step."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from shuxiang.audit.models import AuditEvent
from shuxiang.patrons import services
from shuxiang.patrons.models import Patron, PatronKind, PatronStatus, SchoolClass
from shuxiang.patrons.services import PatronData, PatronError
from shuxiang.schools.models import School, SchoolType

OWES = "还有 1 本书未还"


def enrol(school: School, school_class: SchoolClass, name: str, number: str) -> Patron:
    return services.register_patron(
        by=None,
        school=school,
        data=PatronData(
            kind=PatronKind.STUDENT, name=name, student_number=number, school_class=school_class
        ),
    )


@pytest.fixture
def year(people):
    """The fixture's 三年级(2)班 and 四年级(1)班, with a 五年级(1)班 and a 六年级(1)班 of two."""
    fifth = SchoolClass.objects.create(school=people.school, grade=5, number=1)
    sixth = SchoolClass.objects.create(school=people.school, grade=6, number=1)
    enrol(people.school, fifth, "钱五一", "20210101")
    top = [
        enrol(people.school, sixth, "孙六一", "20200111"),
        enrol(people.school, sixth, "周六二", "20200112"),
    ]
    return fifth, sixth, top


def grades(people) -> dict[int, tuple[int, int, bool]]:
    """Every class of the school: pk -> (grade, number, graduated)."""
    return {
        c.pk: (c.grade, c.number, c.graduated)
        for c in SchoolClass.objects.filter(school=people.school)
    }


def statuses(people) -> dict[int, str]:
    return dict(Patron.objects.filter(school=people.school).values_list("pk", "status"))


def blocking(*patrons: Patron):
    """A graduation check such as circulation's: these readers still have a book."""
    seen: list[list[int]] = []

    def check(ids):
        seen.append(list(ids))
        return {p.pk: OWES for p in patrons if p.pk in ids}

    check.seen = seen  # type: ignore[attr-defined]
    return check


# ---------------------------------------------------------------- the plan


def test_plan_lists_every_move_and_the_graduating_classes(people, year):
    fifth, sixth, _top = year

    plan = services.plan_promotion(people.school)

    assert [(c, label) for c, label in plan.moves] == [
        (fifth, "六年级(1)班"),
        (people.class_4_1, "五年级(1)班"),
        (people.class_3_2, "四年级(2)班"),
    ]
    assert plan.graduating == [sixth]
    assert plan.graduates == 2
    assert plan.blocked == []


def test_plan_changes_nothing(people, year):
    before = grades(people), statuses(people)

    services.plan_promotion(people.school)

    assert (grades(people), statuses(people)) == before


def test_the_top_grade_follows_the_school_type(people):
    school = School.objects.create(code="zhong", name="第一中学", type=SchoolType.JUNIOR)
    seventh = SchoolClass.objects.create(school=school, grade=7, number=1)
    ninth = SchoolClass.objects.create(school=school, grade=9, number=1)

    plan = services.plan_promotion(school)

    assert plan.moves == [(seventh, "八年级(1)班")]
    assert plan.graduating == [ninth]

    services.promote_classes(school, by=None)

    ninth.refresh_from_db()
    seventh.refresh_from_db()
    assert (ninth.grade, ninth.graduated, seventh.grade) == (9, True, 8)


# ---------------------------------------------------------------- the step


def test_promotion_moves_every_class_up_with_the_same_students(people, year):
    fifth, sixth, _top = year
    xiaoming = Patron.objects.get(user=people.student)

    services.promote_classes(people.school, by=people.librarian)

    people.class_3_2.refresh_from_db()
    assert (people.class_3_2.grade, people.class_3_2.number) == (4, 2)
    assert str(people.class_3_2) == "四年级(2)班"
    assert list(people.class_3_2.students.all()) == [xiaoming]
    assert people.class_3_2.class_teacher.name == "王老师"
    fifth.refresh_from_db()
    assert (fifth.grade, fifth.graduated) == (6, False)
    assert SchoolClass.objects.current().filter(school=people.school).count() == 3
    xiaoming.refresh_from_db()
    assert (xiaoming.status, xiaoming.reader_type) == (PatronStatus.ACTIVE, "middle")


def test_promotion_graduates_the_top_grade_and_keeps_their_records(people, year):
    _fifth, sixth, top = year

    services.promote_classes(people.school, by=people.librarian)

    sixth.refresh_from_db()
    assert (sixth.grade, sixth.graduated) == (6, True)
    for graduate in top:
        graduate.refresh_from_db()
        assert graduate.status == PatronStatus.GRADUATED
        assert not graduate.can_borrow
        assert graduate.school_class == sixth
        assert graduate.card_number
    assert Patron.objects.get(user=people.student2).status == PatronStatus.ACTIVE


def test_promotion_twice_moves_on_a_year_and_keeps_both_graduated_classes(people, year):
    services.promote_classes(people.school, by=people.librarian)

    services.promote_classes(people.school, by=people.librarian)

    sixes = SchoolClass.objects.filter(school=people.school, grade=6, number=1)
    # Last year's and this year's graduated 六年级(1)班, and the old 四年级(1)班 now in grade 6.
    assert sorted(c.graduated for c in sixes) == [False, True, True]
    assert Patron.objects.get(student_number="20210101").status == PatronStatus.GRADUATED
    people.class_3_2.refresh_from_db()
    assert people.class_3_2.grade == 5


def test_promotion_is_in_the_audit_log(people, year):
    services.promote_classes(people.school, by=people.librarian)

    event = AuditEvent.objects.get(action="classes.promote")
    assert (event.actor, event.school) == (people.librarian, people.school)
    assert event.details == {
        "classes": 3,
        "graduated_classes": 1,
        "graduates": 2,
        "overridden": [],
    }


def test_a_graduation_check_blocks_the_step_and_nothing_changes(people, year, monkeypatch):
    _fifth, _sixth, top = year
    check = blocking(top[1])
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [check])
    before = grades(people), statuses(people)

    plan = services.plan_promotion(people.school)
    with pytest.raises(PatronError) as refused:
        services.promote_classes(people.school, by=people.librarian)

    assert sorted(check.seen[0]) == sorted(p.pk for p in top)
    assert plan.blocked == [(top[1], [OWES])]
    assert "周六二" in refused.value.message
    assert "孙六一" not in refused.value.message
    assert (grades(people), statuses(people)) == before
    assert not AuditEvent.objects.filter(action="classes.promote").exists()


def test_the_reasons_of_every_check_are_listed(people, year, monkeypatch):
    _fifth, _sixth, top = year
    owes_money = lambda ids: {top[1].pk: "赔偿 25.00 元未付"}  # noqa: E731
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [blocking(top[1]), owes_money])

    plan = services.plan_promotion(people.school)

    assert plan.blocked == [(top[1], [OWES, "赔偿 25.00 元未付"])]


def test_override_graduates_blocked_students_anyway(people, year, monkeypatch):
    _fifth, sixth, top = year
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [blocking(top[1])])

    services.promote_classes(people.school, by=people.librarian, override=True)

    top[1].refresh_from_db()
    assert top[1].status == PatronStatus.GRADUATED
    event = AuditEvent.objects.get(action="classes.promote")
    assert event.details["overridden"] == [top[1].pk]


def test_promotion_is_one_transaction(people, year, monkeypatch):
    before = grades(people), statuses(people)

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services, "audit", fail)  # the last step of the promotion
    with pytest.raises(RuntimeError):
        services.promote_classes(people.school, by=people.librarian)

    assert (grades(people), statuses(people)) == before


def test_promotion_leaves_another_school_alone(people, year):
    services.promote_classes(people.school, by=people.librarian)

    people.other_class.refresh_from_db()
    assert (people.other_class.grade, people.other_class.graduated) == (3, False)


# ---------------------------------------------------------------- the page


@pytest.fixture
def librarian(client, people):
    client.force_login(people.librarian)
    return client


def test_promotion_page_shows_the_plan_and_changes_nothing(librarian, people, year):
    before = grades(people)

    response = librarian.get("/readers/promotion/")

    assert response.status_code == 200
    plan = response.context["plan"]
    assert len(plan.moves) == 3
    assert plan.graduating == [year[1]]
    assert "四年级(2)班" in response.text
    assert grades(people) == before


def test_promotion_page_post_promotes(librarian, people, year):
    response = librarian.post("/readers/promotion/")

    assert response.status_code == 302
    assert response["Location"] == "/readers/classes/"
    people.class_3_2.refresh_from_db()
    assert people.class_3_2.grade == 4


def test_promotion_page_shows_blocked_graduates_and_needs_the_override(
    librarian, people, year, monkeypatch
):
    top = year[2]
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [blocking(top[0])])
    before = grades(people), statuses(people)

    preview = librarian.get("/readers/promotion/")
    refused = librarian.post("/readers/promotion/")

    assert preview.context["plan"].blocked == [(top[0], [OWES])]
    assert f'href="/readers/{top[0].pk}/"' in preview.text
    assert 'name="override"' in preview.text
    assert refused.status_code == 200
    assert (grades(people), statuses(people)) == before

    done = librarian.post("/readers/promotion/", {"override": "on"})

    assert done.status_code == 302
    top[0].refresh_from_db()
    assert top[0].status == PatronStatus.GRADUATED


@pytest.mark.parametrize("role", ["helper", "class_teacher", "leader", "teacher", "student"])
def test_promotion_page_is_for_library_staff_only(client, people, year, role):
    client.force_login(people.by_role(role))

    assert client.get("/readers/promotion/").status_code == 403
    assert client.post("/readers/promotion/").status_code == 403
    people.class_3_2.refresh_from_db()
    assert people.class_3_2.grade == 3


# ---------------------------------------------------------------- the command


def promote(*args: str) -> str:
    out = io.StringIO()
    call_command("promote_classes", "--school", "north", *args, stdout=out)
    return out.getvalue()


def test_promote_classes_dry_run_prints_the_plan_and_changes_nothing(people, year, monkeypatch):
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [blocking(year[2][1])])
    before = grades(people), statuses(people)

    out = promote("--dry-run")

    assert "三年级(2)班 -> 四年级(2)班" in out
    assert "六年级(1)班 -> graduated" in out
    assert "3 classes move up; 1 classes graduate with 2 students" in out
    assert f"blocked: 周六二 (六年级(1)班): {OWES}" in out
    assert (grades(people), statuses(people)) == before


def test_promote_classes_fails_on_blocked_graduates_without_force(people, year, monkeypatch):
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [blocking(year[2][1])])
    before = grades(people), statuses(people)

    with pytest.raises(CommandError, match="--force"):
        promote()

    assert (grades(people), statuses(people)) == before


def test_promote_classes_with_force_graduates_them_anyway(people, year, monkeypatch):
    monkeypatch.setattr(services, "GRADUATION_CHECKS", [blocking(year[2][1])])

    out = promote("--force")

    assert "Done: 3 classes moved up, 2 students graduated." in out
    year[2][1].refresh_from_db()
    assert year[2][1].status == PatronStatus.GRADUATED
    event = AuditEvent.objects.get(action="classes.promote")
    assert event.details["overridden"] == [year[2][1].pk]


def test_promote_classes_promotes(people, year):
    promote()

    people.class_3_2.refresh_from_db()
    assert people.class_3_2.grade == 4
    assert AuditEvent.objects.filter(action="classes.promote", actor=None).exists()


def test_promote_classes_refuses_an_unknown_school(people):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("promote_classes", "--school", "nowhere", stdout=io.StringIO())
