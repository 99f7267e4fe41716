"""The tenant (School), its school years and terms, and its library calendar."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolType(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    SENIOR = "senior", _("Senior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    COMPLETE = "complete", _("Complete secondary school")


# The grades a school of each type teaches (1-6 primary, 7-9 junior, 10-12 senior).
GRADES_BY_TYPE: dict[str, range] = {
    SchoolType.PRIMARY: range(1, 7),
    SchoolType.JUNIOR: range(7, 10),
    SchoolType.SENIOR: range(10, 13),
    SchoolType.NINE_YEAR: range(1, 10),
    SchoolType.COMPLETE: range(7, 13),
}


class GradeBand(models.TextChoices):
    """Age groups of readers and of books: the loan rules and reading lists use them."""

    LOWER = "lower", _("Grades 1-2")
    MIDDLE = "middle", _("Grades 3-4")
    UPPER = "upper", _("Grades 5-6")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")


def grade_band(grade: int) -> str:
    """The band of a grade: 1-2 lower, 3-4 middle, 5-6 upper, 7-9 junior, 10-12 senior."""
    if grade <= 2:
        return GradeBand.LOWER
    if grade <= 4:
        return GradeBand.MIDDLE
    if grade <= 6:
        return GradeBand.UPPER
    return GradeBand.JUNIOR if grade <= 9 else GradeBand.SENIOR


class School(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    type = models.CharField(
        _("type"), max_length=16, choices=SchoolType.choices, default=SchoolType.PRIMARY
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.name

    @property
    def grades(self) -> range:
        return GRADES_BY_TYPE[self.type]


class SchoolYear(models.Model):
    """学年, e.g. 2026-2027学年, from September to the next summer."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="school_years")
    name = models.CharField(_("name"), max_length=40)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="school_year_name_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="school_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """学期: statistics and targets are counted per term."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="terms")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(
        _("term number"), choices=[(1, _("First term")), (2, _("Second term"))]
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        ordering = ["-start"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="term_number_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_year.name} {self.get_number_display()}"

    def week_of(self, day: datetime.date) -> int:
        """Teaching week (第N周) of a day in this term, counted from the term's first Monday."""
        first_monday = self.start - datetime.timedelta(days=self.start.weekday())
        return (day - first_monday).days // 7 + 1


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    VACATION = "vacation", _("Vacation")
    CLOSED = "closed", _("Closed (other)")
    WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """An exception to the library's weekly rhythm.

    By default the library is open Monday to Friday inside a term and closed
    on weekends and between terms. A row here overrides that for one date:
    a holiday or a closure on a weekday, or a make-up working day (调休) on
    a weekend, when the library opens.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="calendar_days")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="calendar_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.kind == DayKind.WORKDAY
