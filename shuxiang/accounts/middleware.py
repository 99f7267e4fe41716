"""Language and current-school middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from shuxiang.schools.models import School

SESSION_SCHOOL_KEY = "shuxiang_school_id"
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def language_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Chinese unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language and
    show English on an English-language Windows; schools want Chinese.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in LANGUAGE_CODES:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = get_response(request)
        response.headers.setdefault("Content-Language", code)
        translation.deactivate()
        return response

    return middleware


def school_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    """Set `request.school`: the user's school, or the one a district admin chose."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.school = current_school(request)
        return get_response(request)

    return middleware


def current_school(request: HttpRequest) -> School | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if not user.is_district:
        return user.school
    school_id = request.session.get(SESSION_SCHOOL_KEY)
    if school_id is None:
        return None
    return School.objects.filter(pk=school_id).first()
