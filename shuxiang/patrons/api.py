"""API: readers by name, pinyin, card or student number; a reader by card."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse

from shuxiang.accounts.models import Role
from shuxiang.lib.api import ApiError, endpoint, ok, page_of
from shuxiang.patrons import queries
from shuxiang.patrons.models import Patron

DESK = {Role.ADMIN, Role.LIBRARIAN, Role.DISTRICT, Role.HELPER}
STR = {"type": "string"}
PATRON = {
    "type": "object",
    "properties": {
        "card": STR,
        "name": STR,
        "kind": {"enum": ["student", "teacher"]},
        "class": {"type": ["string", "null"]},
        "status": STR,
        "loans": {"type": "array", "items": {"type": "object"}},
    },
}


def patron_json(patron: Patron) -> dict:
    return {
        "card": patron.card_number,
        "name": patron.name,
        "kind": patron.kind,
        "class": str(patron.school_class) if patron.school_class else None,
        "status": patron.status,
        # Current loans only (the desk's view); reading history is never in the API.
        "loans": [],
    }


@endpoint(
    ["GET"],
    roles=DESK,
    summary="Readers by name, pinyin, card or student number",
    parameters=[{"name": "q", "in": "query", "schema": STR}],
    response={
        "type": "object",
        "properties": {"count": {"type": "integer"}, "results": {"type": "array", "items": PATRON}},
    },
)
def patrons(request: HttpRequest) -> JsonResponse:
    q = request.GET.get("q", "").strip()
    if not q:
        raise ApiError(400, "bad_input", "请用 q 参数给出姓名、拼音、借书证号或学号")
    found = queries.search_patrons(request.school, q, limit=200)
    return ok(page_of(request, found, patron_json))


@endpoint(
    ["GET"], roles=DESK, summary="A reader by card number, with current loans", response=PATRON
)
def patron(request: HttpRequest, card: str) -> JsonResponse:
    found = queries.patron_by_card(request.school, card)
    if found is None:
        if queries.lost_card(request.school, card) is not None:
            raise ApiError(404, "unknown_card", "这张借书证已挂失")
        raise Http404
    return ok(patron_json(found))
