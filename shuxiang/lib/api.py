"""The JSON API's plumbing: bearer tokens, the error format, lists, the schema.

An endpoint is a plain function view wrapped in `endpoint(...)`, which
authenticates the token, checks the role and school exactly as the web pages
do, turns `ApiError` into `{"error": {"code", "message"}}` and records the
OpenAPI description beside the view, so the schema is read off the code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from shuxiang.accounts.access import PUBLIC
from shuxiang.schools.models import School

MAX_PAGE_SIZE = 200
PATH_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def ok(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", _("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", _("The request body must be a JSON object."))
    return data


def page_of(request: HttpRequest, queryset: QuerySet | list, serialize: Callable) -> dict:
    """One page of a list as `{"count", "results"}`, honouring ?page= and ?page_size=."""
    try:
        page = int(request.GET.get("page", 1))
        size = int(request.GET.get("page_size", 50))
    except ValueError:
        raise ApiError(400, "bad_page", _("page and page_size must be whole numbers.")) from None
    if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(
            400,
            "bad_page",
            _("page starts at 1; page_size is 1 to %(max)s.") % {"max": MAX_PAGE_SIZE},
        )
    paginator = Paginator(queryset, size)
    objects = paginator.page(page).object_list if page <= paginator.num_pages else []
    return {"count": paginator.count, "results": [serialize(o) for o in objects]}


def _authenticate(request: HttpRequest):
    from shuxiang.accounts.services import user_for_token

    header = request.headers.get("Authorization", "")
    scheme, _sep, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, "not_authenticated", _("Send Authorization: Bearer <token>."))
    user = user_for_token(raw.strip())
    if user is None:
        raise ApiError(401, "bad_token", _("The token is unknown or revoked."))
    return user


def _school_for(request: HttpRequest, user) -> School | None:
    if not user.is_district:
        return user.school
    code = request.GET.get("school")
    if not code:
        return None
    school = School.objects.filter(code=code).first()
    if school is None:
        raise ApiError(404, "not_found", _("No such school."))
    return school


def endpoint(
    methods: Iterable[str],
    *,
    roles: Iterable[str] | str,
    summary: str,
    response: dict[str, Any] | None = None,
    request_body: dict[str, Any] | None = None,
    parameters: list[dict[str, Any]] | None = None,
    needs_school: bool = True,
) -> Callable:
    """Wrap an API view; `roles` is a set of Role values or PUBLIC."""
    methods = [m.upper() for m in methods]
    allowed = PUBLIC if roles == PUBLIC else frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
            try:
                if request.method not in methods:
                    raise ApiError(405, "method_not_allowed", _("Method not allowed."))
                if allowed != PUBLIC:
                    request.user = user = _authenticate(request)
                    if user.role not in allowed:
                        raise ApiError(403, "forbidden", _("Your role may not do this."))
                    request.school = _school_for(request, user)
                    if needs_school and request.school is None:
                        raise ApiError(
                            400, "school_required", _("Add ?school=<code> to say which school.")
                        )
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return error_response(exc.status, exc.code, exc.message)
            except Http404:
                return error_response(404, "not_found", _("Not found."))

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        wrapped.needs_school = needs_school  # type: ignore[attr-defined]
        wrapped.openapi = {  # type: ignore[attr-defined]
            "methods": methods,
            "summary": summary,
            "response": response or {"type": "object"},
            "request_body": request_body,
            "parameters": parameters or [],
            "secured": allowed != PUBLIC,
        }
        return wrapped

    return decorate


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}


def openapi_schema(patterns: Iterable[Any], prefix: str = "/api/v1/") -> dict[str, Any]:
    """OpenAPI 3.1 built from the `openapi` marks of the URL patterns' views."""
    paths: dict[str, Any] = {}
    for pattern in patterns:
        spec = getattr(pattern.callback, "openapi", None)
        if spec is None:
            continue
        route = prefix + PATH_PARAMETER.sub(r"{\1}", str(pattern.pattern))
        operations = {}
        for method in spec["methods"]:
            operation: dict[str, Any] = {
                "summary": spec["summary"],
                "operationId": f"{method.lower()}_{pattern.name}",
                "parameters": [
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    for name in PATH_PARAMETER.findall(str(pattern.pattern))
                ]
                + spec["parameters"],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": spec["response"]}},
                    },
                    "default": {
                        "description": "Error",
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                    },
                },
            }
            if spec["request_body"]:
                operation["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": spec["request_body"]}},
                }
            if spec["secured"]:
                operation["security"] = [{"bearer": []}]
            operations[method.lower()] = operation
        paths[route] = operations
    return {
        "openapi": "3.1.0",
        "info": {"title": "Shuxiang API", "version": "1"},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": paths,
    }
