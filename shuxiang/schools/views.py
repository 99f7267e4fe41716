"""The school's settings, its terms and its library calendar; the district's schools."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuxiang.accounts.access import get_for_school, require_roles, school_of
from shuxiang.accounts.middleware import SESSION_SCHOOL_KEY
from shuxiang.accounts.models import READER_OF_REPORTS, Role
from shuxiang.schools import queries, services
from shuxiang.schools.forms import DaysForm, MonthForm, NewSchoolForm, SchoolForm, TermForm
from shuxiang.schools.models import School, Term

MANAGERS = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}


@require_roles(Role.ADMIN, Role.DISTRICT)
def settings_view(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form = SchoolForm(
        request.POST or None,
        initial={"name": school.name, "type": school.type, "address": school.address},
    )
    if request.method == "POST" and form.is_valid():
        services.update_school(school, by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("schools:settings")
    return render(request, "schools/settings.html", {"form": form, "school": school})


@require_roles(READER_OF_REPORTS)
def term_list(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    terms = Term.objects.filter(school=school).select_related("school_year")
    today = timezone.localdate()
    return render(
        request,
        "schools/term_list.html",
        {
            "terms": terms,
            "current": queries.term_on(school, today),
            "today": today,
            "can_edit": request.user.role in MANAGERS,
        },
    )


@require_roles(MANAGERS)
def term_edit(request: HttpRequest, term_id: int | None = None) -> HttpResponse:
    school = school_of(request)
    term = get_for_school(request, Term.objects.all(), pk=term_id) if term_id else None
    initial = (
        {
            "year_name": term.school_year.name,
            "number": term.number,
            "start": term.start,
            "end": term.end,
        }
        if term
        else {}
    )
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_term(by=request.user, school=school, term=term, **form.cleaned_data)
        except services.SchoolError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("schools:terms")
    return render(request, "schools/term_form.html", {"form": form, "term": term})


@require_roles(READER_OF_REPORTS)
def calendar_view(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    today = timezone.localdate()
    first = MonthForm(request.GET).month_start(today)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "schools/calendar.html",
        {
            "weeks": queries.month_grid(school, first.year, first.month),
            "month": first,
            "previous": previous,
            "following": following,
            "today": today,
            "form": DaysForm(initial={"start": first}),
            "can_edit": request.user.role in MANAGERS,
        },
    )


@require_roles(MANAGERS)
@require_POST
def calendar_mark(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form = DaysForm(request.POST)
    month = ""
    if form.is_valid():
        data = form.cleaned_data
        month = data["start"].strftime("%Y-%m")
        try:
            if request.POST.get("action") == "clear":
                services.clear_days(
                    by=request.user, school=school, start=data["start"], end=data["end"]
                )
            else:
                services.mark_days(by=request.user, school=school, **data)
        except services.SchoolError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Calendar updated."))
    else:
        messages.error(
            request,
            _("Check the dates: %(errors)s")
            % {
                "errors": "; ".join(
                    f"{form.fields[f].label}: {' '.join(e)}"
                    for f, e in form.errors.items()
                    if f in form.fields
                )
            },
        )
    return redirect(f"{reverse('schools:calendar')}?month={month}")


@require_roles(Role.DISTRICT, needs_school=False)
def school_list(request: HttpRequest) -> HttpResponse:
    form = NewSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.create_school(by=request.user, **form.cleaned_data)
        except services.SchoolError as exc:
            form.add_error("code", str(exc))
        else:
            messages.success(request, _("School %(name)s created.") % {"name": school.name})
            return redirect("schools:choose")
    return render(
        request, "schools/school_list.html", {"schools": queries.school_overview(), "form": form}
    )


@require_roles(Role.DISTRICT, needs_school=False)
@require_POST
def school_switch(request: HttpRequest, code: str) -> HttpResponse:
    school = get_object_or_404(School, code=code)
    request.session[SESSION_SCHOOL_KEY] = school.pk
    messages.info(request, _("Now working in %(name)s.") % {"name": school.name})
    return redirect("home:home")
