"""Remembers the request's address for the audit log while a request runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from shuxiang.audit.services import request_address


def audit_context_middleware(get_response: Callable[[HttpRequest], HttpResponse]):
    def middleware(request: HttpRequest) -> HttpResponse:
        token = request_address.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return get_response(request)
        finally:
            request_address.reset(token)

    return middleware
