"""The menu: which areas each role sees. Later areas add their line here."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuxiang.accounts.models import Role

A, L, LD, D = Role.ADMIN, Role.LIBRARIAN, Role.LEADER, Role.DISTRICT


@dataclass(frozen=True)
class Area:
    label: Promise
    url_name: str
    roles: frozenset[str]
    description: Promise
    needs_school: bool = True


AREAS = [
    Area(
        _("Catalogue"),
        "catalog:catalogue",
        frozenset({A, L, LD, D}),
        _("Search the collection, records and copies"),
    ),
    Area(
        _("Catalogue a book"),
        "catalog:quick",
        frozenset({A, L, D}),
        _("Scan an ISBN: add copies or catalogue a new record"),
    ),
    Area(
        _("Receive books"),
        "catalog:receive",
        frozenset({A, L, D}),
        _("Register a delivery from the supplier's Excel list"),
    ),
    Area(
        _("Import MARC"),
        "catalog:import_marc",
        frozenset({A, L, D}),
        _("CNMARC or MARC 21 files from suppliers"),
    ),
    Area(
        _("Labels"),
        "catalog:labels",
        frozenset({A, L, D}),
        _("Spine and barcode labels on A4 sheets"),
    ),
    Area(
        _("Registers"),
        "catalog:summary_register",
        frozenset({A, L, LD, D}),
        _("Summary, individual and classified registers"),
    ),
    Area(
        _("Browse by class"),
        "catalog:classes",
        frozenset({A, L, LD, D}),
        _("The collection by 中图法 class"),
    ),
    Area(
        _("Readers"),
        "patrons:readers",
        frozenset({A, L, D}),
        _("Students and teachers, cards, roster import"),
    ),
    Area(
        _("Classes"),
        "patrons:classes",
        frozenset({A, L, LD, D}),
        _("Classes, their students and class teachers"),
    ),
    Area(_("Terms"), "schools:terms", frozenset({A, L, LD, D}), _("School years and terms")),
    Area(
        _("Calendar"),
        "schools:calendar",
        frozenset({A, L, LD, D}),
        _("Days the library is open or closed"),
    ),
    Area(_("Users"), "accounts:users", frozenset({A, D}), _("Accounts and roles")),
    Area(_("Audit log"), "audit:events", frozenset({A, D}), _("Who did what, and when")),
    Area(
        _("School settings"),
        "schools:settings",
        frozenset({A, D}),
        _("Name and type of the school"),
    ),
    Area(
        _("Schools"),
        "schools:choose",
        frozenset({D}),
        _("All schools of the district"),
        needs_school=False,
    ),
]


def areas_for(request: HttpRequest) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    has_school = getattr(request, "school", None) is not None
    return [
        {
            "label": area.label,
            "url": reverse(area.url_name),
            "description": area.description,
            "active": request.path.startswith(reverse(area.url_name)),
        }
        for area in AREAS
        if user.role in area.roles and (has_school or not area.needs_school)
    ]


def navigation(request: HttpRequest) -> dict:
    return {"nav_areas": areas_for(request)}
