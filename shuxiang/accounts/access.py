"""Who may open which page, and the school a request works in.

Every view is wrapped in `require_roles(...)` or marked `public`; the URL
walk test reads the marks (`view.allowed_roles`) and checks that every
other role is refused and that another school's objects answer 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from shuxiang.accounts.models import Role
from shuxiang.schools.models import School

ALL_ROLES = frozenset(Role)
PUBLIC = "public"
View = Callable[..., HttpResponse]
M = TypeVar("M", bound=Model)


def public(view: View) -> View:
    """Open to anyone, signed in or not (login, language switch, health)."""
    view.allowed_roles = PUBLIC  # type: ignore[attr-defined]
    return view


def require_roles(*roles: str | Iterable[str], needs_school: bool = True) -> Callable[[View], View]:
    """Allow signed-in users of these roles; refuse others with 403.

    With `needs_school` the view works inside `request.school`; a district
    administrator who has not chosen a school is sent to choose one.
    """
    allowed: set[str] = set()
    for role in roles:
        allowed.update([role] if isinstance(role, str) else role)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in allowed:
                raise PermissionDenied
            if needs_school and request.school is None:
                return redirect("schools:choose")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        wrapped.needs_school = needs_school  # type: ignore[attr-defined]
        return wrapped

    return decorate


def school_of(request: HttpRequest) -> School:
    school = request.school
    if school is None:
        raise Http404
    return school


def scoped(request: HttpRequest, queryset: QuerySet[M]) -> QuerySet[M]:
    """The part of `queryset` that belongs to the request's school."""
    return queryset.filter(school=school_of(request))


def get_for_school(request: HttpRequest, queryset: QuerySet[M], **lookup: Any) -> M:
    """One object of the request's school, or 404 (never reveal another school's)."""
    try:
        return scoped(request, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
