"""Users, their roles and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuxiang.schools.models import School


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    LIBRARIAN = "librarian", _("Librarian")
    HELPER = "helper", _("Student helper")
    CLASS_TEACHER = "class_teacher", _("Class teacher")
    TEACHER = "teacher", _("Teacher")
    STUDENT = "student", _("Student")
    LEADER = "leader", _("School leader")
    DISTRICT = "district", _("District administrator")


# Roles that run the library of their school (catalogue, readers, calendar).
STAFF_ROLES = frozenset({Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT})
# Roles that may read the school's statistics and registers.
READER_OF_REPORTS = frozenset({Role.ADMIN, Role.LIBRARIAN, Role.LEADER, Role.DISTRICT})


class ShuxiangUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`shuxiang createsuperuser` makes the first account of an install: a district
        administrator, who belongs to no school and creates the schools."""
        extra_fields.setdefault("role", Role.DISTRICT)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A login. Everyone but a district administrator belongs to one school."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("school"),
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)

    objects = ShuxiangUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="district", school__isnull=True)
                | (~models.Q(role="district") & models.Q(school__isnull=False)),
                name="user_school_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_district(self) -> bool:
        return self.role == Role.DISTRICT


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"
