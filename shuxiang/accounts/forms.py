from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from shuxiang.accounts.models import Role

SCHOOL_ROLES = [(value, label) for value, label in Role.choices if value != Role.DISTRICT]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=SCHOOL_ROLES)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=60, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=SCHOOL_ROLES)
    is_active = forms.BooleanField(label=_("Can sign in"), required=False)


class PasswordForm(forms.Form):
    password = forms.CharField(label=_("New password"), widget=forms.PasswordInput, min_length=8)

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password
