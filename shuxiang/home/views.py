"""The home page: one per role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shuxiang.accounts.access import ALL_ROLES, require_roles
from shuxiang.accounts.models import Role
from shuxiang.home.queries import today_figures
from shuxiang.patrons import queries as patron_queries

TEMPLATES = {
    Role.ADMIN: "home/librarian.html",
    Role.LIBRARIAN: "home/librarian.html",
    Role.DISTRICT: "home/librarian.html",
    Role.LEADER: "home/leader.html",
    Role.HELPER: "home/helper.html",
    Role.CLASS_TEACHER: "home/class_teacher.html",
    Role.TEACHER: "home/reader.html",
    Role.STUDENT: "home/reader.html",
}


@require_roles(ALL_ROLES, needs_school=False)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.school is None:
        return redirect("schools:choose")
    context = {"figures": today_figures(request.school), "patron": getattr(user, "patron", None)}
    if user.role == Role.CLASS_TEACHER:
        context["classes"] = [
            (c, patron_queries.students_of(c)) for c in patron_queries.classes_taught_by(user)
        ]
    return render(request, TEMPLATES[user.role], context)
