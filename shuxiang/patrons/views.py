"""Classes: the list for the library, the class page for its class teacher."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shuxiang.accounts.access import require_roles, school_of
from shuxiang.accounts.models import Role
from shuxiang.patrons import queries

CLASS_READERS = {Role.ADMIN, Role.LIBRARIAN, Role.LEADER, Role.DISTRICT, Role.CLASS_TEACHER}


@require_roles(Role.ADMIN, Role.LIBRARIAN, Role.LEADER, Role.DISTRICT)
def class_list(request: HttpRequest) -> HttpResponse:
    classes = queries.classes_with_counts(school_of(request))
    return render(request, "patrons/class_list.html", {"classes": classes})


@require_roles(CLASS_READERS)
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = queries.get_class_for(request.user, school_of(request), class_id)
    return render(
        request,
        "patrons/class_detail.html",
        {"school_class": school_class, "students": queries.students_of(school_class)},
    )
