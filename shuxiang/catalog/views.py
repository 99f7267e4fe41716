"""The catalogue screens: the list, a record and its copies, quick cataloguing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.catalog import clc, queries, services
from shuxiang.catalog.forms import (
    CatalogueFilterForm,
    CopiesForm,
    ItemSelectionForm,
    RecordForm,
)
from shuxiang.catalog.models import Item, Location, Record
from shuxiang.lib.isbn import IsbnError, hyphenate, looks_like_isbn, normalise

EDITORS = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
READERS = EDITORS | {Role.LEADER}


def catalogue_filter(request: HttpRequest) -> tuple[CatalogueFilterForm, queries.CatalogueFilter]:
    form = CatalogueFilterForm(request.GET or None, school=school_of(request))
    if not form.is_valid():
        return form, queries.CatalogueFilter()
    data = form.cleaned_data
    return form, queries.CatalogueFilter(
        q=data["q"],
        class_number=data["class_number"],
        material_type=data["material_type"],
        location=data["location"].pk if data["location"] else None,
        status=data["status"],
    )


@require_roles(READERS)
def catalogue(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form, filters = catalogue_filter(request)
    if filters.q and not looks_like_isbn(filters.q):
        item = Item.objects.filter(school=school, barcode=filters.q.strip().upper()).first()
        if item is not None:  # a scanned barcode goes straight to its record
            return redirect("catalog:record", record_id=item.record_id)
    page = Paginator(queries.held_records(school, filters), 50).get_page(request.GET.get("page"))
    counts = queries.holdings_counts(school, list(page))
    rows = [(record, *counts.get(record.pk, (0, 0))) for record in page]
    query = request.GET.copy()
    query.pop("page", None)
    template = "catalog/catalogue_results.html" if request.htmx else "catalog/catalogue.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "can_edit": request.user.role in EDITORS,
        },
    )


@require_roles(READERS)
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    school = school_of(request)
    record = get_object_or_404(Record, pk=record_id)
    items = queries.items_of(school, record)
    return render(
        request,
        "catalog/record.html",
        {
            "record": record,
            "items": items,
            "call_number": queries.call_number_of(school, record),
            "isbns": [hyphenate(i.isbn13) for i in record.isbns.all()],
            "class_name": clc.name_of(record.class_number) if record.class_number else "",
            "copies_form": CopiesForm(school=school, initial={"price": record.price}),
            "selection_form": ItemSelectionForm(school=school),
            "can_edit": request.user.role in EDITORS,
        },
    )


@require_roles(EDITORS)
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=record_id)
    form = RecordForm(request.POST or None, initial=RecordForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(
                record,
                by=request.user,
                data=form.bib(),
                material_type=form.cleaned_data["material_type"],
                grade_band=form.cleaned_data["grade_band"],
            )
        except services.CatalogError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalog:record", record_id=record.pk)
    return render(request, "catalog/record_form.html", {"form": form, "record": record})


@require_roles(EDITORS)
def quick_catalogue(request: HttpRequest) -> HttpResponse:
    """Scan an ISBN: a known record offers adding copies; else a pre-filled form."""
    school = school_of(request)
    isbn = request.GET.get("isbn", "").strip()
    isbn_error = ""
    matches: list[Record] = []
    if isbn:
        try:
            isbn = hyphenate(normalise(isbn))
        except IsbnError as exc:
            isbn_error = str(exc)
        else:
            matches = list(queries.records_by_isbn(isbn))
    form = RecordForm(request.POST or None, initial={"isbn": isbn if not isbn_error else ""})
    copies_form = CopiesForm(request.POST or None, school=school, prefix="copies")
    duplicates: list[Record] = []
    if request.method == "POST" and form.is_valid() and copies_form.is_valid():
        data = form.bib()
        duplicates = queries.find_duplicates(data)
        if not duplicates or request.POST.get("confirm_new"):
            try:
                with transaction.atomic():  # a record whose copies are refused is not kept
                    record = services.catalogue_record(
                        by=request.user,
                        data=data,
                        material_type=form.cleaned_data["material_type"],
                        grade_band=form.cleaned_data["grade_band"],
                    )
                    items = add_copies_from(request, record, copies_form)
            except services.CatalogError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Catalogued with %(n)s copies.") % {"n": len(items)})
                return redirect("catalog:record", record_id=record.pk)
    return render(
        request,
        "catalog/quick.html",
        {
            "isbn": isbn,
            "isbn_error": isbn_error,
            "matches": matches,
            "form": form,
            "copies_form": copies_form,
            "duplicates": duplicates,
            "holdings": queries.holdings_counts(school, matches + duplicates),
        },
    )


def add_copies_from(request: HttpRequest, record: Record, form: CopiesForm) -> list[Item]:
    data = form.cleaned_data
    details = services.CopyDetails(
        location=data["location"], price=data["price"], source=data["source"]
    )
    return services.add_copies(
        by=request.user,
        school=school_of(request),
        record=record,
        copies=data["copies"],
        details=details,
        barcodes=form.barcode_list(),
    )


@require_roles(EDITORS)
@require_POST
def add_copies(request: HttpRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(Record, pk=record_id)
    form = CopiesForm(
        request.POST, school=school_of(request), prefix=request.POST.get("prefix") or None
    )
    if form.is_valid():
        try:
            items = add_copies_from(request, record, form)
        except services.CatalogError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(n)s copies added: %(first)s to %(last)s.")
                % {"n": len(items), "first": items[0].barcode, "last": items[-1].barcode},
            )
    else:
        messages.error(request, form_errors(form))
    return redirect("catalog:record", record_id=record.pk)


def form_errors(form: forms.Form) -> str:
    """A form's field errors on one line, for a message after a redirect."""
    return "; ".join(
        f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items() if f in form.fields
    )


@require_roles(EDITORS)
@require_POST
def edit_items(request: HttpRequest) -> HttpResponse:
    """Move, re-status, re-price or annotate the ticked copies (batch edit)."""
    school = school_of(request)
    form = ItemSelectionForm(request.POST, school=school)
    items = list(Item.objects.filter(school=school, pk__in=request.POST.getlist("items")))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("catalog:catalogue")
    if not items:
        messages.error(request, _("Tick the copies first."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            count = services.edit_items(
                items,
                by=request.user,
                location=data["location"],
                status=data["status"] or None,
                price=data["price"],
                note=data["note"] or None,
            )
        except services.CatalogError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s copies changed.") % {"n": count})
    else:
        messages.error(request, form_errors(form))
    return redirect(back)


@require_roles(READERS)
def class_browse(request: HttpRequest, code: str = "") -> HttpResponse:
    school = school_of(request)
    code = code.upper()
    if code and clc.name_of(code) is None:
        return redirect("catalog:classes")
    children = clc.children(code or None)
    counts = queries.class_counts(school, [c for c, _n in children])
    return render(
        request,
        "catalog/classes.html",
        {
            "code": code,
            "name": clc.name_of(code) if code else "",
            "path": [(c, clc.name_of(c)) for c in clc.ancestors(code)] if code else [],
            "children": [(c, n, counts.get(c, 0)) for c, n in children],
            "locations": Location.objects.filter(school=school),
        },
    )
