"""The catalogue. So far: where the books stand (Location)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuxiang.schools.models import School


class LocationKind(models.TextChoices):
    STACKS = "stacks", _("Stack room")
    TEACHER_ROOM = "teacher_room", _("Teachers' reference room")
    READING_ROOM = "reading_room", _("Reading room")
    CLASS_CORNER = "class_corner", _("Class book corner")
    OPEN_SHELVES = "open_shelves", _("Open gallery")


class Location(models.Model):
    """馆藏地点: a room or shelf area of one school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="locations")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=LocationKind.choices)
    teachers_only = models.BooleanField(
        _("teachers only"),
        default=False,
        help_text=_("Items here are lent to teachers only (教师资料室)."),
    )
    lendable = models.BooleanField(
        _("lendable"),
        default=True,
        help_text=_("Reading-room copies are read on the spot, not taken home."),
    )
    label_colour = models.CharField(_("label colour"), max_length=7, blank=True)

    class Meta:
        ordering = ["school", "code"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="location_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name
