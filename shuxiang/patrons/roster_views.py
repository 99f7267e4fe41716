"""Roster import (登记发证 at the start of a year) and year-end promotion (升级)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.lib.uploads import KeptUploads
from shuxiang.lib.xlsx import XlsxError
from shuxiang.patrons import roster, services

STAFF = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
SESSION_ROSTERS = "shuxiang_rosters"


class RosterForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Roster (Excel)"), required=False)
    create_classes = forms.BooleanField(
        label=gettext_lazy("Create classes the school does not have yet"),
        required=False,
        initial=True,
    )


def _rosters(request: HttpRequest) -> KeptUploads:
    folder = Path(settings.SHUXIANG_HOME) / "imports" / "rosters"
    return KeptUploads(request.session, SESSION_ROSTERS, folder)


def _roster_path(request: HttpRequest, form: RosterForm) -> Path | None:
    kept = _rosters(request)
    path = kept.find(request.POST.get("roster_token", ""))
    if path is None and form.is_valid() and form.cleaned_data["file"]:
        path = kept.keep(form.cleaned_data["file"])
    return path


@require_roles(STAFF)
def roster_import(request: HttpRequest) -> HttpResponse:
    """Upload a roster, see what it would create or update and every bad row, then import."""
    school = school_of(request)
    form = RosterForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    path = _roster_path(request, form) if request.method == "POST" else None
    if path is None:
        return render(request, "patrons/roster_import.html", context)
    try:
        parsed = roster.read_roster(path, school_grades=school.grades)
    except XlsxError as exc:
        form.add_error("file", str(exc))
        return render(request, "patrons/roster_import.html", context)
    create_classes = request.POST.get("create_classes") == "on"
    # A file with bad rows is never imported in part, whatever the POST says.
    confirm = bool(request.POST.get("confirm")) and not parsed.errors
    try:
        result = services.import_roster(
            school, parsed.rows, by=request.user, create_classes=create_classes, dry_run=not confirm
        )
    except services.PatronError as exc:
        messages.error(request, exc.message)
        result = None
    if confirm and result is not None and not result.errors:
        # The upload holds minors' personal data: gone once imported, and its token with it.
        _rosters(request).forget(path, delete=True)
        messages.success(
            request,
            _("Roster imported: %(created)s new readers, %(updated)s updated.")
            % {"created": result.created, "updated": result.updated},
        )
        return redirect("patrons:classes")
    context.update(
        parsed=parsed, result=result, roster_token=path.name, create_classes=create_classes
    )
    return render(request, "patrons/roster_import.html", context)


@require_roles(Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT)
def promotion(request: HttpRequest) -> HttpResponse:
    """升级: a preview of every class moving up, then the step itself in one transaction."""
    school = school_of(request)
    if request.method == "POST":
        try:
            plan = services.promote_classes(
                school, by=request.user, override=request.POST.get("override") == "on"
            )
        except services.PatronError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(classes)s classes moved up; %(graduates)s students graduated.")
                % {"classes": len(plan.moves), "graduates": plan.graduates},
            )
            return redirect("patrons:classes")
    return render(request, "patrons/promotion.html", {"plan": services.plan_promotion(school)})
