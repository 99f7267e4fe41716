"""State changes of readers and classes: registration, cards, roster import, promotion."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuxiang.audit.services import record as audit
from shuxiang.lib.pinyin import pinyin_key
from shuxiang.patrons.models import (
    PATRON_TRANSITIONS,
    CardRule,
    CardSettings,
    LostCard,
    Patron,
    PatronKind,
    PatronStatus,
    SchoolClass,
)
from shuxiang.schools.models import School


class PatronError(Exception):
    """A change to readers that the rules refuse; `field` names the form field, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


# ---------------------------------------------------------------- cards


def card_settings(school: School) -> CardSettings:
    settings, _created = CardSettings.objects.get_or_create(school=school)
    return settings


def _card_in_use(school: School, number: str) -> bool:
    return (
        Patron.objects.filter(school=school, card_number=number).exists()
        or LostCard.objects.filter(school=school, card_number=number).exists()
    )


def next_card_number(school: School, patron: Patron) -> str:
    """A card number by the school's rule that no reader has and no lost card had.

    The student-number rule gives the 学号, and after a loss the 学号 with -2, -3 ...;
    the sequence rule the prefix and the next number.
    """
    settings = CardSettings.objects.select_for_update().get(pk=card_settings(school).pk)
    if (
        settings.rule == CardRule.STUDENT_NUMBER
        and patron.kind == PatronKind.STUDENT
        and patron.student_number
    ):
        candidate, n = patron.student_number, 1
        while _card_in_use(school, candidate):
            n += 1
            candidate = f"{patron.student_number}-{n}"
        return candidate
    if settings.rule == CardRule.STUDENT_NUMBER and patron.staff_number:
        candidate, n = patron.staff_number, 1
        while _card_in_use(school, candidate):
            n += 1
            candidate = f"{patron.staff_number}-{n}"
        return candidate
    number = settings.last_number
    while True:
        number += 1
        candidate = f"{settings.prefix}{number:0{settings.digits}d}"
        if not _card_in_use(school, candidate):
            break
    settings.last_number = number
    settings.save(update_fields=["last_number"])
    return candidate


@transaction.atomic
def issue_card(patron: Patron, *, by: Any) -> Patron:
    """登记发证: give a reader without a card its number by the school's rule."""
    if patron.card_number:
        raise PatronError(
            _("%(name)s already has card %(card)s.")
            % {"name": patron.name, "card": patron.card_number}
        )
    patron.card_number = next_card_number(patron.school, patron)
    patron.card_issued_on = timezone.localdate()
    patron.save(update_fields=["card_number", "card_issued_on"])
    audit("card.issue", actor=by, obj=patron, details={"card": patron.card_number})
    return patron


@transaction.atomic
def reissue_card(patron: Patron, *, by: Any) -> Patron:
    """补证 after a loss: the old number stops working at once; loans stay with the reader."""
    old = patron.card_number
    if old:
        LostCard.objects.create(school=patron.school, patron=patron, card_number=old)
    patron.card_number = next_card_number(patron.school, patron)
    patron.card_issued_on = timezone.localdate()
    patron.save(update_fields=["card_number", "card_issued_on"])
    audit("card.reissue", actor=by, obj=patron, details={"old": old, "new": patron.card_number})
    return patron


# ---------------------------------------------------------------- readers


@transaction.atomic
def set_patron_status(patron: Patron, *, by: Any, status: str) -> Patron:
    if status not in PATRON_TRANSITIONS.get(patron.status, frozenset()):
        raise PatronError(
            _("%(name)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "name": patron.name,
                "from": patron.get_status_display(),
                "to": PatronStatus(status).label,
            },
            field="status",
        )
    before = patron.status
    patron.status = status
    patron.save(update_fields=["status"])
    audit("patron.status", actor=by, obj=patron, details={"from": before, "to": status})
    return patron


@dataclass
class PatronData:
    kind: str
    name: str
    gender: str = ""
    student_number: str = ""
    registry_number: str = ""
    staff_number: str = ""
    subject: str = ""
    school_class: SchoolClass | None = None
    card_number: str = ""


def _check_patron(school: School, data: PatronData, *, kind: str, exclude: Patron | None) -> None:
    """The rules a reader registered or edited by hand must meet (the form's fields)."""
    if not data.name.strip():
        raise PatronError(_("The name is missing."), field="name")
    if kind == PatronKind.STUDENT and not (data.student_number or data.registry_number):
        raise PatronError(
            _("A student needs a student number or a registry number."), field="student_number"
        )
    if data.school_class is not None and data.school_class.school_id != school.pk:
        raise PatronError(_("The class is not one of this school's."), field="school_class")
    _check_unique(school, data, exclude)


def _check_unique(school: School, data: PatronData, exclude: Patron | None) -> None:
    readers = Patron.objects.filter(school=school)
    if exclude is not None:
        readers = readers.exclude(pk=exclude.pk)
    for attr, label in (
        ("student_number", _("Student number")),
        ("staff_number", _("Staff number")),
        ("card_number", _("Card number")),
    ):
        value = getattr(data, attr)
        if value and readers.filter(**{attr: value}).exists():
            raise PatronError(
                _("%(label)s %(value)s is used by another reader of this school.")
                % {"label": label, "value": value},
                field=attr,
            )
    if (
        data.card_number
        and LostCard.objects.filter(school=school, card_number=data.card_number).exists()
    ):
        raise PatronError(
            _("Card number %(card)s was reported lost and cannot be used again.")
            % {"card": data.card_number},
            field="card_number",
        )


@transaction.atomic
def register_patron(*, by: Any, school: School, data: PatronData) -> Patron:
    """Register one reader by hand (the roster import does many at once)."""
    _check_patron(school, data, kind=data.kind, exclude=None)
    patron = Patron.objects.create(
        school=school,
        kind=data.kind,
        name=data.name.strip(),
        name_pinyin=pinyin_key(data.name),
        gender=data.gender,
        student_number=data.student_number,
        registry_number=data.registry_number,
        staff_number=data.staff_number,
        subject=data.subject,
        school_class=data.school_class,
        card_number=data.card_number,
    )
    if not patron.card_number:
        patron.card_number = next_card_number(school, patron)
        patron.card_issued_on = timezone.localdate()
        patron.save(update_fields=["card_number", "card_issued_on"])
    audit("patron.create", actor=by, obj=patron)
    return patron


@transaction.atomic
def update_patron(patron: Patron, *, by: Any, data: PatronData) -> Patron:
    _check_patron(patron.school, data, kind=patron.kind, exclude=patron)
    fields = [
        "name",
        "gender",
        "student_number",
        "registry_number",
        "staff_number",
        "subject",
        "school_class",
    ]
    changed = [f for f in fields if getattr(patron, f) != getattr(data, f)]
    for name in fields:
        setattr(patron, name, getattr(data, name))
    patron.name = patron.name.strip()
    patron.name_pinyin = pinyin_key(patron.name)
    patron.save(update_fields=[*fields, "name_pinyin"])
    audit("patron.update", actor=by, obj=patron, details={"fields": changed})
    return patron


# ---------------------------------------------------------------- year-end promotion

# Checks that can hold a graduate back: functions patron ids -> {patron id: reason}.
# The circulation app adds "has loans" and "owes compensation" when it is installed;
# patrons itself knows of no loans (DESIGN: patrons imports no other domain app).
GRADUATION_CHECKS: list[Callable[[Sequence[int]], dict[int, str]]] = []


@dataclass
class PromotionPlan:
    moves: list[tuple[SchoolClass, str]] = field(default_factory=list)  # class, new label
    graduating: list[SchoolClass] = field(default_factory=list)
    graduates: int = 0
    blocked: list[tuple[Patron, list[str]]] = field(default_factory=list)


def plan_promotion(school: School) -> PromotionPlan:
    """What 升级 would do: every class up a grade, the top grade graduating."""
    top = max(school.grades)
    plan = PromotionPlan()
    for school_class in (
        SchoolClass.objects.current().filter(school=school).order_by("-grade", "number")
    ):
        if school_class.grade >= top:
            plan.graduating.append(school_class)
        else:
            moved = SchoolClass(grade=school_class.grade + 1, number=school_class.number)
            plan.moves.append((school_class, str(moved)))
    graduates = list(
        Patron.objects.filter(school_class__in=plan.graduating, status=PatronStatus.ACTIVE)
        .select_related("school_class")
        .order_by("school_class", "student_number")
    )
    plan.graduates = len(graduates)
    reasons: dict[int, list[str]] = {}
    for check in GRADUATION_CHECKS:
        for patron_id, reason in check([p.pk for p in graduates]).items():
            reasons.setdefault(patron_id, []).append(reason)
    plan.blocked = [(p, reasons[p.pk]) for p in graduates if p.pk in reasons]
    return plan


@transaction.atomic
def promote_classes(school: School, *, by: Any, override: bool = False) -> PromotionPlan:
    """升级: the plan carried out in one transaction.

    Graduates with loans or unpaid compensation (see GRADUATION_CHECKS) block the step
    unless `override`; graduates keep their history and cannot borrow.
    """
    plan = plan_promotion(school)
    if plan.blocked and not override:
        names = "、".join(p.name for p, _r in plan.blocked[:10])
        raise PatronError(
            _("%(n)s graduates still have books or unpaid compensation: %(names)s")
            % {"n": len(plan.blocked), "names": names}
        )
    graduating_ids = [c.pk for c in plan.graduating]
    Patron.objects.filter(school_class__in=graduating_ids, status=PatronStatus.ACTIVE).update(
        status=PatronStatus.GRADUATED
    )
    SchoolClass.objects.filter(pk__in=graduating_ids).update(graduated=True)
    # Highest grade first, so that no two current classes ever share a grade and number.
    for school_class, _label in plan.moves:
        SchoolClass.objects.filter(pk=school_class.pk).update(grade=school_class.grade + 1)
    audit(
        "classes.promote",
        actor=by,
        obj=school,
        school=school,
        details={
            "classes": len(plan.moves),
            "graduated_classes": len(plan.graduating),
            "graduates": plan.graduates,
            "overridden": [p.pk for p, _r in plan.blocked],
        },
    )
    return plan


# ---------------------------------------------------------------- roster import


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    classes_created: list[str] = field(default_factory=list)
    class_teachers: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


ROSTER_FIELDS = [
    "student_number",
    "card_number",
    "card_issued_on",
    "name",
    "name_pinyin",
    "gender",
    "registry_number",
    "school_class",
    "subject",
    "kind",
]


class _Rollback(Exception):
    pass


def import_roster(
    school: School, rows: Sequence[Any], *, by: Any, create_classes: bool, dry_run: bool = False
) -> RosterResult:
    """Register or update the readers of a roster (rows from patrons.roster), all or none.

    Students are matched by 学号 (or 学籍号 when the roster has no 学号), teachers by
    工号; a matched reader is updated and keeps its card, loans and history. A roster
    never deletes a reader. With errors, or on a dry run, nothing is stored; the result
    says what would happen.
    """
    result = RosterResult()
    try:
        with transaction.atomic():
            _import_roster(school, rows, result, create_classes=create_classes)
            if result.errors or dry_run:
                raise _Rollback
            audit(
                "patrons.import",
                actor=by,
                obj=school,
                school=school,
                details={
                    "created": result.created,
                    "updated": result.updated,
                    "classes": result.classes_created,
                },
            )
    except _Rollback:
        pass
    return result


def _import_roster(
    school: School, rows: Sequence[Any], result: RosterResult, *, create_classes: bool
) -> None:
    classes = {(c.grade, c.number): c for c in SchoolClass.objects.current().filter(school=school)}
    readers = list(Patron.objects.filter(school=school))
    by_student = {p.student_number: p for p in readers if p.student_number}
    by_registry = {p.registry_number: p for p in readers if p.registry_number}
    by_staff = {p.staff_number: p for p in readers if p.staff_number}
    cards = {p.card_number for p in readers if p.card_number}
    cards |= set(LostCard.objects.filter(school=school).values_list("card_number", flat=True))
    settings = CardSettings.objects.select_for_update().get(pk=card_settings(school).pk)
    new: list[Patron] = []
    changed: list[Patron] = []
    teachers_of: dict[SchoolClass, tuple[int, str]] = {}
    for row in rows:
        school_class = None
        if row.kind == PatronKind.STUDENT:
            key = (row.grade, row.class_number)
            school_class = classes.get(key)
            if school_class is None and row.grade is not None and row.class_number is not None:
                label = str(SchoolClass(grade=row.grade, number=row.class_number))
                if not create_classes:
                    result.errors.append(
                        _("Row %(row)s, class: the school has no %(label)s.")
                        % {"row": row.row, "label": label}
                    )
                    continue
                school_class = SchoolClass.objects.create(
                    school=school, grade=row.grade, number=row.class_number
                )
                classes[key] = school_class
                result.classes_created.append(label)
            if school_class is not None and row.class_teacher:
                teachers_of.setdefault(school_class, (row.row, row.class_teacher))
            # By 学号; a reader first registered with only a 学籍号 is found by that.
            found = by_student.get(row.student_number) if row.student_number else None
            if found is None and row.registry_number:
                candidate = by_registry.get(row.registry_number)
                if candidate is not None and (
                    not candidate.student_number or not row.student_number
                ):
                    found = candidate
        else:
            found = by_staff.get(row.staff_number)
        values = {
            "name": row.name,
            "name_pinyin": pinyin_key(row.name),
            "gender": row.gender,
            "registry_number": row.registry_number or (found.registry_number if found else ""),
            "school_class": school_class,
            "subject": row.subject,
            "kind": row.kind,
        }
        if found is not None:
            if found.kind != row.kind:
                number = row.student_number or row.staff_number
                result.errors.append(
                    _("Row %(row)s: number %(number)s belongs to %(kind)s %(name)s.")
                    % {
                        "row": row.row,
                        "number": number,
                        "kind": found.get_kind_display(),
                        "name": found.name,
                    }
                )
                continue
            # A teacher row, or a roster without a class column, names no class: the
            # reader keeps theirs.
            if row.kind == PatronKind.TEACHER or school_class is None:
                values["school_class"] = found.school_class
            if row.student_number and not found.student_number:
                values["student_number"] = row.student_number
            if not found.card_number:  # registered before cards were issued
                values["card_number"] = _roster_card(settings, found, cards)
                values["card_issued_on"] = timezone.localdate()
                cards.add(values["card_number"])
            if all(getattr(found, k) == v for k, v in values.items()):
                result.unchanged += 1
                continue
            for key, value in values.items():
                setattr(found, key, value)
            changed.append(found)
            continue
        patron = Patron(
            school=school,
            student_number=row.student_number,
            staff_number=row.staff_number,
            **values,
        )
        card = row.card_number
        if card and card in cards:
            result.errors.append(
                _("Row %(row)s, card number: %(card)s is in use or was reported lost.")
                % {"row": row.row, "card": card}
            )
            continue
        patron.card_number = card or _roster_card(settings, patron, cards)
        patron.card_issued_on = timezone.localdate()
        cards.add(patron.card_number)
        new.append(patron)
        if row.student_number:
            by_student[row.student_number] = patron
        if row.staff_number:
            by_staff[row.staff_number] = patron
    Patron.objects.bulk_create(new, batch_size=1000)
    Patron.objects.bulk_update(changed, ROSTER_FIELDS, batch_size=1000)
    settings.save(update_fields=["last_number"])
    result.created, result.updated = len(new), len(changed)
    teachers = {}
    for teacher in Patron.objects.filter(school=school, kind=PatronKind.TEACHER):
        teachers.setdefault(teacher.name, []).append(teacher)
    for school_class, (row_number, name) in teachers_of.items():
        matches = teachers.get(name, [])
        if len(matches) != 1:
            why = (
                _("is not among the teachers")
                if not matches
                else _("has a namesake; choose on the class page")
            )
            result.warnings.append(
                _("Row %(row)s, class teacher: %(name)s %(why)s")
                % {"row": row_number, "name": name, "why": why}
            )
            continue
        if school_class.class_teacher_id != matches[0].pk:
            SchoolClass.objects.filter(pk=school_class.pk).update(class_teacher=matches[0])
            result.class_teachers += 1


def _roster_card(settings: CardSettings, patron: Patron, cards: set[str]) -> str:
    """next_card_number for a whole roster at once, against the numbers already in use."""
    base = patron.student_number if patron.kind == PatronKind.STUDENT else patron.staff_number
    if settings.rule == CardRule.STUDENT_NUMBER and base:
        candidate, n = base, 1
        while candidate in cards:
            n += 1
            candidate = f"{base}-{n}"
        return candidate
    while True:
        settings.last_number += 1
        candidate = f"{settings.prefix}{settings.last_number:0{settings.digits}d}"
        if candidate not in cards:
            return candidate


@transaction.atomic
def change_card_settings(
    school: School, *, by: Any, rule: str, prefix: str, digits: int
) -> CardSettings:
    """The numbering of new cards; cards already issued keep their numbers."""
    settings = CardSettings.objects.select_for_update().get(pk=card_settings(school).pk)
    settings.rule, settings.prefix, settings.digits = rule, prefix.strip().upper(), digits
    settings.save(update_fields=["rule", "prefix", "digits"])
    audit(
        "cards.settings",
        actor=by,
        obj=school,
        school=school,
        details={"rule": rule, "prefix": settings.prefix, "digits": digits},
    )
    return settings


@transaction.atomic
def set_photo(patron: Patron, *, by: Any, upload: Any) -> Patron:
    """Replace the reader's photo (kept under MEDIA_ROOT, served only through access checks)."""
    old = patron.photo.name if patron.photo else ""
    extension = ".png" if upload.name.lower().endswith(".png") else ".jpg"
    patron.photo.save(f"{patron.school_id}-{patron.pk}{extension}", upload, save=False)
    patron.save(update_fields=["photo"])
    if old and old != patron.photo.name:
        patron.photo.storage.delete(old)
    audit("patron.photo", actor=by, obj=patron)
    return patron
