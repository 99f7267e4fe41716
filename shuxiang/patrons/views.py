"""Classes and readers: lists, the class page (also the class teacher's), a reader's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.audit.services import record as audit
from shuxiang.lib.xlsx import Sheet, write_workbook
from shuxiang.patrons import queries, services
from shuxiang.patrons.forms import PatronForm, StatusForm
from shuxiang.patrons.models import LostCard, PatronKind

STAFF = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
CLASS_READERS = STAFF | {Role.LEADER, Role.CLASS_TEACHER}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_roles(STAFF | {Role.LEADER})
def class_list(request: HttpRequest) -> HttpResponse:
    classes = queries.classes_with_counts(school_of(request))
    return render(
        request,
        "patrons/class_list.html",
        {"classes": classes, "can_manage": request.user.role in STAFF},
    )


@require_roles(CLASS_READERS)
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = queries.get_class_for(request.user, school_of(request), class_id)
    return render(
        request,
        "patrons/class_detail.html",
        {
            "school_class": school_class,
            "students": queries.students_of(school_class),
            "can_export": request.user.role != Role.LEADER,
        },
    )


@require_roles(STAFF | {Role.CLASS_TEACHER})
def class_export(request: HttpRequest, class_id: int) -> HttpResponse:
    """The class list as Excel: personal data of minors, so the export is logged."""
    school_class = queries.get_class_for(request.user, school_of(request), class_id)
    students = list(queries.students_of(school_class))
    audit(
        "export.patrons", actor=request.user, obj=school_class, details={"students": len(students)}
    )
    header = [_("Student number"), _("Name"), _("Gender"), _("Card number"), _("Status")]
    rows = (
        [s.student_number, s.name, s.get_gender_display(), s.card_number, s.get_status_display()]
        for s in students
    )
    response = HttpResponse(
        write_workbook([Sheet(str(school_class), header, rows, widths=[14, 12, 6, 14, 8])]),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f"attachment; filename=class-{school_class.pk}.xlsx"
    return response


@require_roles(STAFF)
def reader_list(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    q = request.GET.get("q", "")
    readers = queries.search_patrons(school, q) if q.strip() else []
    lost = queries.lost_card(school, q) if q.strip() and not readers else None
    template = "patrons/reader_results.html" if request.htmx else "patrons/reader_list.html"
    return render(request, template, {"q": q, "readers": readers, "lost": lost})


@require_roles(STAFF | {Role.CLASS_TEACHER, Role.TEACHER, Role.STUDENT, Role.HELPER})
def reader_detail(request: HttpRequest, patron_id: int) -> HttpResponse:
    patron = queries.get_patron_for(request.user, school_of(request), patron_id)
    staff = request.user.role in STAFF
    return render(
        request,
        "patrons/reader.html",
        {
            "patron": patron,
            "staff": staff,
            "lost_cards": LostCard.objects.filter(patron=patron) if staff else [],
            "status_form": StatusForm(initial={"status": patron.status}),
        },
    )


@require_roles(STAFF | {Role.CLASS_TEACHER, Role.TEACHER, Role.STUDENT, Role.HELPER})
def reader_photo(request: HttpRequest, patron_id: int) -> HttpResponse:
    """A reader's photo, to those who may see the reader (never a public file)."""
    patron = queries.get_patron_for(request.user, school_of(request), patron_id)
    if not patron.photo:
        raise Http404
    content_type = "image/png" if patron.photo.name.lower().endswith(".png") else "image/jpeg"
    response = FileResponse(patron.photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_roles(STAFF)
def reader_edit(request: HttpRequest, patron_id: int | None = None) -> HttpResponse:
    school = school_of(request)
    patron = queries.get_patron_for(request.user, school, patron_id) if patron_id else None
    initial = {"kind": request.GET.get("kind", PatronKind.STUDENT)}
    if patron is not None:
        initial = {
            name: getattr(patron, name)
            for name in (
                "kind",
                "name",
                "gender",
                "student_number",
                "registry_number",
                "school_class",
                "staff_number",
                "subject",
                "card_number",
            )
        }
    form = PatronForm(request.POST or None, request.FILES or None, initial=initial, school=school)
    if patron is not None:
        form.fields["kind"].disabled = form.fields["card_number"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if patron is None:
                patron = services.register_patron(
                    by=request.user, school=school, data=form.patron_data()
                )
            else:
                services.update_patron(patron, by=request.user, data=form.patron_data())
            if form.cleaned_data.get("photo"):
                services.set_photo(patron, by=request.user, upload=form.cleaned_data["photo"])
        except services.PatronError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("patrons:reader", patron_id=patron.pk)
    return render(request, "patrons/reader_form.html", {"form": form, "patron": patron})


@require_roles(STAFF)
@require_POST
def reader_status(request: HttpRequest, patron_id: int) -> HttpResponse:
    patron = queries.get_patron_for(request.user, school_of(request), patron_id)
    form = StatusForm(request.POST)
    if form.is_valid() and form.cleaned_data["status"] != patron.status:
        try:
            services.set_patron_status(patron, by=request.user, status=form.cleaned_data["status"])
        except services.PatronError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    return redirect("patrons:reader", patron_id=patron.pk)


@require_roles(STAFF)
@require_POST
def card_reissue(request: HttpRequest, patron_id: int) -> HttpResponse:
    patron = queries.get_patron_for(request.user, school_of(request), patron_id)
    old = patron.card_number
    services.reissue_card(patron, by=request.user)
    messages.success(
        request,
        _("Card %(old)s is blocked; the new card is %(new)s.")
        % {"old": old or "—", "new": patron.card_number},
    )
    return redirect("patrons:reader", patron_id=patron.pk)
