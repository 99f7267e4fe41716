"""Forms of the catalogue screens. They check shape; the services check the rules."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shuxiang.catalog.bibdata import AUTHOR_ROLES, BibData, Contributor
from shuxiang.catalog.models import GradeBand, ItemSource, ItemStatus, Location, MaterialType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AUTHOR_LINE = re.compile(
    r"^(.*?)\s*(" + "|".join(sorted(AUTHOR_ROLES, key=len, reverse=True)) + r")?$"
)


def parse_authors(text: str) -> list[Contributor]:
    """One author a line, the role word at the end: "曹雪芹 著", "任溶溶译"."""
    result = []
    for line in re.split(r"[\n；;]+", text):
        line = line.strip()
        if not line:
            continue
        match = AUTHOR_LINE.match(line)
        name, role = (match.group(1).strip(), match.group(2) or "著") if match else (line, "著")
        result.append(Contributor(name=name or line, role=role))
    return result


class RecordForm(forms.Form):
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=40,
        required=False,
        help_text=_("Scan or type; several ISBNs separated by spaces."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    other_title = forms.CharField(label=_("Other title"), max_length=300, required=False)
    authors = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, the role at the end: 曹雪芹 著, 任溶溶 译."),
    )
    responsibility = forms.CharField(
        label=_("Statement of responsibility"), max_length=300, required=False
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=120, required=False)
    place = forms.CharField(label=_("Place"), max_length=60, required=False)
    date = forms.CharField(
        label=_("Date"), max_length=10, required=False, help_text=_("e.g. 2016 or 2016-05")
    )
    edition = forms.CharField(label=_("Edition"), max_length=60, required=False)
    price = forms.DecimalField(
        label=_("Price (CNY)"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    pages = forms.CharField(label=_("Pages"), max_length=40, required=False)
    series = forms.CharField(label=_("Series"), max_length=200, required=False)
    class_number = forms.CharField(
        label=_("Class number"), max_length=40, required=False, help_text=_("中图法, e.g. I287.5")
    )
    subjects = forms.CharField(
        label=_("Subjects"),
        max_length=300,
        required=False,
        help_text=_("Separated by spaces or semicolons."),
    )
    material_type = forms.ChoiceField(label=_("Material type"), choices=MaterialType.choices)
    grade_band = forms.ChoiceField(
        label=_("Grade band"), required=False, choices=[("", "—")] + GradeBand.choices
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def bib(self) -> BibData:
        data = self.cleaned_data
        return BibData(
            title=data["title"],
            other_title=data["other_title"],
            responsibility=data["responsibility"],
            contributors=parse_authors(data["authors"]),
            publisher=data["publisher"],
            place=data["place"],
            date=data["date"],
            edition=data["edition"],
            isbns=data["isbn"].split(),
            price=data["price"],
            pages=data["pages"],
            series=data["series"],
            class_number=data["class_number"],
            subjects=[s for s in re.split(r"[\s;；]+", data["subjects"]) if s],
            summary=data["summary"],
        )

    @staticmethod
    def initial_for(record) -> dict:
        return {
            "isbn": " ".join(i.isbn13 for i in record.isbns.all()),
            "title": record.title,
            "other_title": record.other_title,
            "authors": "\n".join(
                f"{a['name']} {a.get('role', '')}".strip() for a in record.authors
            ),
            "responsibility": record.responsibility,
            "publisher": record.publisher,
            "place": record.place,
            "date": record.date,
            "edition": record.edition,
            "price": record.price,
            "pages": record.pages,
            "series": record.series,
            "class_number": record.class_number,
            "subjects": "；".join(record.subjects),
            "material_type": record.material_type,
            "grade_band": record.grade_band,
            "summary": record.summary,
        }


class SchoolLocationsForm(forms.Form):
    """A form whose `location` field offers the locations of the given school only."""

    def __init__(self, *args, school=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(school=school)


class CopiesForm(SchoolLocationsForm):
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=500, initial=1)
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    price = forms.DecimalField(
        label=_("Price (CNY)"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        help_text=_("Empty: the record's price."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=ItemSource.choices)
    barcodes = forms.CharField(
        label=_("Barcodes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Scan the pre-printed barcodes, one per copy; empty: numbered for you."),
    )

    def barcode_list(self) -> list[str] | None:
        codes = self.cleaned_data["barcodes"].split()
        return codes or None


class ItemSelectionForm(SchoolLocationsForm):
    """Copies ticked on a list, and what to do with them."""

    items = forms.CharField(widget=forms.MultipleHiddenInput, required=False)
    location = forms.ModelChoiceField(
        label=_("Move to"), queryset=Location.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—")] + ItemStatus.choices
    )
    price = forms.DecimalField(
        label=_("Price (CNY)"),
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CatalogueFilterForm(SchoolLocationsForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(
            attrs={
                "autofocus": True,
                "placeholder": _("Title, author, pinyin, ISBN or call number"),
            }
        ),
    )
    class_number = forms.CharField(label=_("Class number"), required=False, max_length=20)
    material_type = forms.ChoiceField(
        label=_("Material type"), required=False, choices=[("", _("All"))] + MaterialType.choices
    )
    location = forms.ModelChoiceField(
        label=_("Location"), required=False, queryset=Location.objects.none(), empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + ItemStatus.choices
    )
