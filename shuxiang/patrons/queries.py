"""Reads of classes and readers, with the privacy rules for minors built in."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shuxiang.accounts.models import Role
from shuxiang.patrons.models import LostCard, Patron, PatronKind, PatronStatus, SchoolClass
from shuxiang.schools.models import School


def classes_with_counts(school: School) -> QuerySet[SchoolClass]:
    return (
        SchoolClass.objects.current()
        .filter(school=school)
        .select_related("class_teacher")
        .annotate(student_count=Count("students", filter=Q(students__status=PatronStatus.ACTIVE)))
    )


def classes_taught_by(user) -> QuerySet[SchoolClass]:
    patron = getattr(user, "patron", None)
    if patron is None:
        return SchoolClass.objects.none()
    return classes_with_counts(user.school).filter(class_teacher=patron)


def get_class_for(user, school: School, class_id: int) -> SchoolClass:
    """A class of `school` the user may see: staff see all, a class teacher only theirs."""
    classes = classes_with_counts(school)
    if user.role == Role.CLASS_TEACHER:
        classes = classes.filter(class_teacher__user=user)
    try:
        return classes.get(pk=class_id)
    except SchoolClass.DoesNotExist:
        raise Http404 from None


def students_of(school_class: SchoolClass) -> QuerySet[Patron]:
    return school_class.students.filter(status=PatronStatus.ACTIVE).order_by("student_number")


def reader_counts(school: School) -> dict[str, int]:
    counts = Patron.objects.filter(school=school, status=PatronStatus.ACTIVE).aggregate(
        students=Count("pk", filter=Q(kind=PatronKind.STUDENT)),
        teachers=Count("pk", filter=Q(kind=PatronKind.TEACHER)),
    )
    counts["classes"] = SchoolClass.objects.current().filter(school=school).count()
    return counts


STAFF = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
LATIN = re.compile(r"^[a-z]+$")


def search_patrons(school: School, query: str, *, limit: int = 50) -> list[Patron]:
    """Readers by card number, 学号, 学籍号 or 工号 (exact), name (part) or its pinyin
    (full pinyin or initials, from the start): what the desk and the librarian type."""
    text = unicodedata.normalize("NFKC", query).strip()
    if not text:
        return []
    readers = Patron.objects.filter(school=school).select_related("school_class")
    code = text.upper().replace(" ", "")
    exact = list(
        readers.filter(
            Q(card_number=code)
            | Q(student_number=code)
            | Q(registry_number=code)
            | Q(staff_number=code)
        )[:limit]
    )
    if exact:
        return exact
    word = text.lower().replace(" ", "")
    if LATIN.match(word):
        found = readers.filter(
            Q(name_pinyin__startswith=word) | Q(name_pinyin__contains=f" {word}")
        )
    else:
        found = readers.filter(name__contains=text.replace(" ", ""))
    return list(found.order_by("status", "kind", "name")[:limit])


def get_patron_for(user, school: School, patron_id: int) -> Patron:
    """A reader the user may see (students are minors): staff see every reader of the
    school, a class teacher the students of their classes, anyone else only themselves."""
    readers = Patron.objects.filter(school=school).select_related("school_class", "user")
    if user.role not in STAFF:
        own = Q(user=user)
        if user.role == Role.CLASS_TEACHER:
            own |= Q(school_class__class_teacher__user=user, kind=PatronKind.STUDENT)
        readers = readers.filter(own)
    try:
        return readers.get(pk=patron_id)
    except Patron.DoesNotExist:
        raise Http404 from None


def patron_by_card(school: School, card: str) -> Patron | None:
    """The reader a scanned card belongs to; None for an unknown or a lost card."""
    code = unicodedata.normalize("NFKC", card).strip().upper()
    return (
        Patron.objects.filter(school=school, card_number=code)
        .select_related("school_class")
        .first()
    )


def lost_card(school: School, card: str) -> LostCard | None:
    code = unicodedata.normalize("NFKC", card).strip().upper()
    return LostCard.objects.filter(school=school, card_number=code).select_related("patron").first()
