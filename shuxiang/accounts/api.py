"""API: tokens and the caller."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _

from shuxiang.accounts import services
from shuxiang.accounts.access import ALL_ROLES, PUBLIC
from shuxiang.lib.api import ApiError, endpoint, json_body, ok

SCHOOL_SCHEMA = {
    "type": ["object", "null"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}


@endpoint(
    ["POST"],
    roles=PUBLIC,
    summary="Get a bearer token for a user",
    request_body={
        "type": "object",
        "required": ["username", "password"],
        "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
    },
    response={"type": "object", "properties": {"token": {"type": "string"}}},
)
def token(request: HttpRequest) -> JsonResponse:
    data = json_body(request)
    username, password = data.get("username"), data.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(400, "bad_input", _("Send username and password as strings."))
    user = authenticate(request, username=username, password=password)
    if user is None:
        services.record_failed_login(username)
        raise ApiError(401, "bad_credentials", _("Wrong user name or password."))
    return ok({"token": services.issue_token(user)})


@endpoint(
    ["GET"],
    roles=ALL_ROLES,
    needs_school=False,
    summary="The calling user",
    response={
        "type": "object",
        "properties": {
            "username": {"type": "string"},
            "role": {"type": "string"},
            "school": SCHOOL_SCHEMA,
        },
    },
)
def me(request: HttpRequest) -> JsonResponse:
    user = request.user
    school = request.school
    return ok(
        {
            "username": user.get_username(),
            "role": user.role,
            "school": {"code": school.code, "name": school.name} if school else None,
        }
    )
