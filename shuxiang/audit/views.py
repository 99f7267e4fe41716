from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.audit import queries

DATE = forms.DateInput(attrs={"type": "date"})


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False)
    action = forms.CharField(
        label=_("Action"), required=False, widget=forms.TextInput(attrs={"list": "actions"})
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("To"), required=False, widget=DATE)


@require_roles(Role.ADMIN, Role.DISTRICT)
def event_list(request: HttpRequest) -> HttpResponse:
    school = school_of(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = queries.events_for(school, **filters).select_related("actor")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "form": form,
            "actions": queries.action_names(school),
            "query": query.urlencode(),
        },
    )
