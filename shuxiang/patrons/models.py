"""Classes and readers (students and teachers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuxiang.schools.models import School, grade_band

GRADE_NAMES = {
    1: _("Grade 1"),
    2: _("Grade 2"),
    3: _("Grade 3"),
    4: _("Grade 4"),
    5: _("Grade 5"),
    6: _("Grade 6"),
    7: _("Grade 7"),
    8: _("Grade 8"),
    9: _("Grade 9"),
    10: _("Senior 1"),
    11: _("Senior 2"),
    12: _("Senior 3"),
}


def grade_name(grade: int) -> str:
    return str(GRADE_NAMES.get(grade, grade))


class SchoolClassQuerySet(models.QuerySet["SchoolClass"]):
    def current(self) -> SchoolClassQuerySet:
        return self.filter(graduated=False)


class SchoolClass(models.Model):
    """班级, shown as 三年级(2)班."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    grade = models.PositiveSmallIntegerField(_("grade"))
    number = models.PositiveSmallIntegerField(_("class number"))
    class_teacher = models.ForeignKey(
        "Patron",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="classes_taught",
        verbose_name=_("class teacher"),
        limit_choices_to={"kind": "teacher"},
    )
    graduated = models.BooleanField(_("graduated"), default=False)

    objects = SchoolClassQuerySet.as_manager()

    class Meta:
        ordering = ["grade", "number"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "grade", "number"],
                condition=models.Q(graduated=False),
                name="class_unique_in_school",
            ),
        ]

    def __str__(self) -> str:
        return str(
            _("%(grade)s (%(number)s)") % {"grade": grade_name(self.grade), "number": self.number}
        )


class PatronKind(models.TextChoices):
    STUDENT = "student", _("Student")
    TEACHER = "teacher", _("Teacher")


class PatronStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    GRADUATED = "graduated", _("Graduated")
    TRANSFERRED = "transferred", _("Transferred out")
    SUSPENDED = "suspended", _("On leave")
    LEFT = "left", _("Left the school")


P = PatronStatus
# The one table of allowed status changes; patrons.services.set_patron_status checks it.
# Only active readers borrow; the others keep their history.
PATRON_TRANSITIONS: dict[str, frozenset[str]] = {
    P.ACTIVE: frozenset({P.GRADUATED, P.TRANSFERRED, P.SUSPENDED, P.LEFT}),
    P.SUSPENDED: frozenset({P.ACTIVE, P.TRANSFERRED, P.LEFT}),
    P.TRANSFERRED: frozenset({P.ACTIVE}),
    P.LEFT: frozenset({P.ACTIVE}),
    P.GRADUATED: frozenset(),
}


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PatronQuerySet(models.QuerySet["Patron"]):
    def students(self) -> PatronQuerySet:
        return self.filter(kind=PatronKind.STUDENT)

    def teachers(self) -> PatronQuerySet:
        return self.filter(kind=PatronKind.TEACHER)

    def active(self) -> PatronQuerySet:
        return self.filter(status=PatronStatus.ACTIVE)


class Patron(models.Model):
    """A reader: a student or a teacher of one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="patrons")
    kind = models.CharField(_("kind"), max_length=8, choices=PatronKind.choices)
    name = models.CharField(_("name"), max_length=40)
    name_pinyin = models.CharField(_("pinyin"), max_length=120, blank=True, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    student_number = models.CharField(_("student number"), max_length=32, blank=True)
    registry_number = models.CharField(_("national registry number"), max_length=32, blank=True)
    staff_number = models.CharField(_("staff number"), max_length=32, blank=True)
    card_number = models.CharField(_("card number"), max_length=32, blank=True)
    school_class = models.ForeignKey(
        SchoolClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="students",
        verbose_name=_("class"),
    )
    subject = models.CharField(_("subject or department"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PatronStatus.choices, default=PatronStatus.ACTIVE
    )
    card_issued_on = models.DateField(_("card issued"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="photos/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patron",
        verbose_name=_("login"),
    )

    objects = PatronQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "school_class_id", "student_number", "name"]
        verbose_name = _("reader")
        verbose_name_plural = _("readers")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "card_number"],
                condition=~models.Q(card_number=""),
                name="patron_card_unique_in_school",
            ),
            models.UniqueConstraint(
                fields=["school", "student_number"],
                condition=~models.Q(student_number=""),
                name="patron_student_number_unique_in_school",
            ),
            models.UniqueConstraint(
                fields=["school", "staff_number"],
                condition=~models.Q(staff_number=""),
                name="patron_staff_number_unique_in_school",
            ),
        ]
        indexes = [models.Index(fields=["school", "name"], name="patron_school_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def reader_type(self) -> str:
        """The loan rules' reader type: "teacher", or the student's grade band."""
        if self.kind == PatronKind.TEACHER:
            return "teacher"
        if self.school_class is None:
            return ""
        return grade_band(self.school_class.grade)

    @property
    def can_borrow(self) -> bool:
        return self.status == PatronStatus.ACTIVE


class LostCard(models.Model):
    """A card number reported lost: it stops working at once; the reader keeps the loans."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="lost_cards")
    card_number = models.CharField(_("card number"), max_length=32)
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("lost card")
        verbose_name_plural = _("lost cards")
        constraints = [
            models.UniqueConstraint(fields=["school", "card_number"], name="lost_card_unique"),
        ]

    def __str__(self) -> str:
        return self.card_number


class CardRule(models.TextChoices):
    SEQUENCE = "sequence", _("Prefix and sequence number")
    STUDENT_NUMBER = "student_number", _("The student number")


class CardSettings(models.Model):
    """How a school numbers its library cards."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="card_settings")
    rule = models.CharField(
        _("card number rule"),
        max_length=16,
        choices=CardRule.choices,
        default=CardRule.STUDENT_NUMBER,
    )
    prefix = models.CharField(_("prefix"), max_length=8, blank=True, default="D")
    digits = models.PositiveSmallIntegerField(_("digits"), default=6)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("card settings")
        verbose_name_plural = _("card settings")

    def __str__(self) -> str:
        return str(self.school)
