"""Reads of classes and readers, with the privacy rules for minors built in."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from shuxiang.accounts.models import Role
from shuxiang.patrons.models import Patron, PatronKind, PatronStatus, SchoolClass
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
