import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from shuxiang.schools.models import DayKind, SchoolType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SchoolForm(forms.Form):
    name = forms.CharField(label=_("School name"), max_length=100)
    type = forms.ChoiceField(label=_("Type"), choices=SchoolType.choices)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class NewSchoolForm(SchoolForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("Short latin letters and digits, e.g. xinhua-xx."),
    )
    field_order = ["code", "name", "type", "address"]


class TermForm(forms.Form):
    year_name = forms.CharField(
        label=_("School year"), max_length=40, help_text=_("e.g. 2026-2027")
    )
    number = forms.TypedChoiceField(
        label=_("Term"), coerce=int, choices=[(1, _("First term")), (2, _("Second term"))]
    )
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)


class DaysForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(
        label=_("To"), widget=DATE, required=False, help_text=_("Leave empty for a single day.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(
        label=_("Note"),
        max_length=60,
        required=False,
        help_text=_("e.g. National Day, winter vacation"),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and not data.get("end"):
            data["end"] = data["start"]
        return data


class MonthForm(forms.Form):
    month = forms.RegexField(regex=r"^\d{4}-\d{2}$", required=False)

    def month_start(self, today: datetime.date) -> datetime.date:
        if self.is_valid() and self.cleaned_data["month"]:
            year, month = map(int, self.cleaned_data["month"].split("-"))
            if 1 <= month <= 12 and 2000 <= year <= 2100:
                return datetime.date(year, month, 1)
        return today.replace(day=1)
