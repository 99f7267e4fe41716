"""Printing spine and barcode labels for chosen copies."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.catalog import labels
from shuxiang.catalog.models import Item

EDITORS = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT}
MAX_LABELS = 2000


class LabelForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Labels"), choices=[("spine", _("Spine labels")), ("barcode", _("Barcode labels"))]
    )
    layout = forms.ChoiceField(
        label=_("Sheet"),
        choices=[
            *[(key, layout.name) for key, layout in labels.LAYOUTS.items()],
            ("custom", _("Custom grid")),
        ],
    )
    start = forms.IntegerField(
        label=_("Start at label"),
        min_value=1,
        initial=1,
        help_text=_("Skip the labels already used on the first sheet."),
    )
    batch = forms.IntegerField(label=_("Accession batch"), required=False, min_value=1)
    first = forms.CharField(label=_("From accession number"), required=False, max_length=32)
    last = forms.CharField(label=_("To accession number"), required=False, max_length=32)
    barcodes = forms.CharField(
        label=_("Or these barcodes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    colour = forms.BooleanField(label=_("Location colour band"), required=False, initial=True)
    columns = forms.IntegerField(label=_("Columns"), required=False, min_value=1)
    rows = forms.IntegerField(label=_("Rows"), required=False, min_value=1)
    width = forms.FloatField(label=_("Label width (mm)"), required=False)
    height = forms.FloatField(label=_("Label height (mm)"), required=False)
    top = forms.FloatField(label=_("Top margin (mm)"), required=False)
    left = forms.FloatField(label=_("Left margin (mm)"), required=False)
    column_gap = forms.FloatField(label=_("Column gap (mm)"), required=False)
    row_gap = forms.FloatField(label=_("Row gap (mm)"), required=False)

    def layout_choice(self) -> labels.Layout:
        data = self.cleaned_data
        if data["layout"] != "custom":
            return labels.LAYOUTS[data["layout"]]
        needed = ["columns", "rows", "width", "height", "top", "left"]
        if any(data[name] is None for name in needed):
            raise labels.LabelError("自定义格式需要填写列数、行数、标签宽高和上、左边距")
        return labels.custom_layout(
            columns=data["columns"],
            rows=data["rows"],
            width=data["width"],
            height=data["height"],
            top=data["top"],
            left=data["left"],
            column_gap=data["column_gap"] or 0,
            row_gap=data["row_gap"] or 0,
        )


def chosen_items(request: HttpRequest, data: dict) -> QuerySet[Item]:
    items = (
        Item.objects.filter(school=school_of(request))
        .in_collection()
        .select_related("record", "location")
        .order_by("accession_number")
    )
    if data["barcodes"].strip():
        codes = [code.upper() for code in data["barcodes"].split()]
        return items.filter(barcode__in=codes)
    if data["batch"]:
        items = items.filter(batch__number=data["batch"])
    if data["first"]:
        items = items.filter(accession_number__gte=data["first"].strip())
    if data["last"]:
        items = items.filter(accession_number__lte=data["last"].strip())
    if not (data["batch"] or data["first"] or data["last"]):
        return items.none()
    return items


@require_roles(EDITORS)
def label_sheet(request: HttpRequest) -> HttpResponse:
    """The form, and with `print` the sheets to print from the browser (A4, in mm)."""
    form = LabelForm(request.GET or None)
    error = ""
    if "print" in request.GET and form.is_valid():
        try:
            layout = form.layout_choice()
            items = list(chosen_items(request, form.cleaned_data)[:MAX_LABELS])
            if not items:
                raise labels.LabelError("没有找到要打印的册，请检查批次、登记号或条码")
            pages = labels.sheets(items, layout, start=form.cleaned_data["start"])
        except labels.LabelError as exc:
            error = str(exc)
        else:
            kind = form.cleaned_data["kind"]
            entries = [
                [(left, top, label_content(item, kind)) for left, top, item in page]
                for page in pages
            ]
            return render(
                request,
                "catalog/labels_print.html",
                {
                    "pages": entries,
                    "layout": layout,
                    "kind": kind,
                    "count": len(items),
                    "colour": form.cleaned_data["colour"],
                    "school": school_of(request),
                },
            )
    return render(request, "catalog/labels.html", {"form": form, "error": error})


def label_content(item: Item, kind: str) -> dict:
    if kind == "spine":
        class_part, book_part = labels.spine_lines(item.call_number or item.record.class_number)
        return {
            "item": item,
            "lines": (class_part, book_part),
            "colour": item.location.label_colour,
        }
    return {"item": item, "svg": labels.barcode_svg(item.barcode)}
