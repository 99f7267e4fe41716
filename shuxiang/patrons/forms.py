from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shuxiang.patrons.models import CardRule, Gender, PatronKind, PatronStatus, SchoolClass
from shuxiang.patrons.services import PatronData


class PatronForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PatronKind.choices)
    name = forms.CharField(label=_("Name"), max_length=40)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—")] + Gender.choices
    )
    student_number = forms.CharField(label=_("Student number"), max_length=32, required=False)
    registry_number = forms.CharField(
        label=_("National registry number"), max_length=32, required=False
    )
    school_class = forms.ModelChoiceField(
        label=_("Class"), queryset=SchoolClass.objects.none(), required=False
    )
    staff_number = forms.CharField(label=_("Staff number"), max_length=32, required=False)
    subject = forms.CharField(label=_("Subject or department"), max_length=40, required=False)
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=32,
        required=False,
        help_text=_("Empty: numbered by the school's rule."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
        help_text=_("For the card: JPEG or PNG, at most 2 MB."),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        head = photo.read(8)
        photo.seek(0)
        if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n")):
            raise forms.ValidationError(_("The photo must be a JPEG or PNG picture."))
        if photo.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The photo is larger than 2 MB."))
        return photo

    def __init__(self, *args, school=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school_class"].queryset = SchoolClass.objects.current().filter(school=school)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("student_number", "registry_number", "staff_number", "card_number"):
            data[name] = (data.get(name) or "").strip().upper()
        return data

    def patron_data(self) -> PatronData:
        data = self.cleaned_data
        return PatronData(
            kind=data["kind"],
            name=data["name"],
            gender=data["gender"],
            student_number=data["student_number"],
            registry_number=data["registry_number"],
            staff_number=data["staff_number"],
            subject=data["subject"],
            school_class=data["school_class"],
            card_number=data["card_number"],
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=PatronStatus.choices)


class CardSettingsForm(forms.Form):
    rule = forms.ChoiceField(label=_("Card number rule"), choices=CardRule.choices)
    prefix = forms.CharField(label=_("Prefix"), max_length=8, required=False)
    digits = forms.IntegerField(label=_("Digits"), min_value=3, max_value=12)
