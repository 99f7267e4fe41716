"""The registers (登记帐) on screen, for printing, and as Excel."""

from __future__ import annotations

import datetime

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import READER_OF_REPORTS
from shuxiang.catalog import registers
from shuxiang.lib.xlsx import Sheet, write_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = forms.DateInput(attrs={"type": "date"})


class RegisterFilter(forms.Form):
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    batch = forms.IntegerField(label=gettext_lazy("Accession batch"), required=False, min_value=1)


def excel(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(write_workbook(sheets), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@require_roles(READER_OF_REPORTS)
def individual_register(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form = RegisterFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = registers.individual(school, **{k: v for k, v in filters.items() if v})
    header = [
        _("Accession number"),
        _("Date received"),
        _("Title"),
        _("Author"),
        _("Publisher"),
        _("Call number"),
        _("Price (CNY)"),
        _("Source"),
        _("Batch"),
        _("Withdrawn"),
    ]
    if request.GET.get("format") == "xlsx":
        return excel(
            "individual-register.xlsx",
            [
                Sheet(
                    _("Individual register"),
                    header,
                    registers.individual_rows(items),
                    widths=[12, 12, 40, 16, 24, 16, 10, 8, 8, 12],
                    number_formats={6: "0.00"},
                )
            ],
        )
    page = Paginator(items, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/register_individual.html",
        {
            "form": form,
            "page": page,
            "header": header,
            "query": query.urlencode(),
            "rows": registers.individual_rows(items.filter(pk__in=[i.pk for i in page])),
        },
    )


@require_roles(READER_OF_REPORTS)
def summary_register(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    year = request.GET.get("year", "")
    summary = registers.summary(school, year=int(year) if year.isdigit() else None)
    codes = [code for code, _name in registers.CATEGORIES]
    if request.GET.get("format") == "xlsx":
        header = [
            _("Batch"),
            _("Date received"),
            _("Source"),
            _("Supplier or donor"),
            _("Invoice"),
            _("Titles"),
            _("Volumes"),
            _("Amount (CNY)"),
            *[name for _code, name in registers.CATEGORIES],
            _("Total volumes"),
            _("Total amount (CNY)"),
        ]
        rows = (
            [
                line.batch.number,
                line.batch.received_on,
                line.batch.get_source_display(),
                line.batch.supplier,
                line.batch.invoice,
                line.batch.titles,
                line.batch.volumes,
                line.batch.amount,
                *[line.by_category.get(c, 0) for c in codes],
                line.total_volumes,
                line.total_amount,
            ]
            for line in summary.lines
        )
        return excel(
            "summary-register.xlsx",
            [
                Sheet(
                    _("Summary register"),
                    header,
                    rows,
                    number_formats={7: "0.00", len(header) - 1: "0.00"},
                )
            ],
        )
    return render(
        request,
        "catalog/register_summary.html",
        {
            "summary": summary,
            "categories": registers.CATEGORIES,
            "codes": codes,
            "year": year,
            "lines": [
                (line, [line.by_category.get(c, 0) for c in codes]) for line in summary.lines
            ],
        },
    )


@require_roles(READER_OF_REPORTS)
def classified_register(request: HttpRequest) -> HttpResponse:
    lines, total = registers.classified(school_of(request))
    if request.GET.get("format") == "xlsx":
        header = [
            # "Class" and "Name" are a school class and a person's name (班级, 姓名).
            _("Class number"),
            capfirst(_("name")),
            _("Titles"),
            _("Volumes"),
            _("Amount (CNY)"),
            _("Share (%)"),
        ]
        rows = (
            [line.code, line.name, line.titles, line.volumes, line.amount, round(line.share, 1)]
            for line in [*lines, total]
        )
        return excel(
            "classified-register.xlsx",
            [
                Sheet(
                    _("Classified register"),
                    header,
                    rows,
                    widths=[8, 40, 10, 10, 14, 10],
                    number_formats={4: "0.00"},
                )
            ],
        )
    return render(
        request,
        "catalog/register_classified.html",
        {"lines": lines, "total": total, "today": datetime.date.today()},
    )
