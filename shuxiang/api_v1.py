"""URLs of the JSON API, version 1 (../shared/API.md); the schema is read off them."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from shuxiang.accounts import api as accounts_api
from shuxiang.accounts.access import PUBLIC
from shuxiang.catalog import api as catalog_api
from shuxiang.lib.api import endpoint, ok, openapi_schema
from shuxiang.patrons import api as patrons_api


@endpoint(["GET"], roles=PUBLIC, summary="This schema")
def openapi(request: HttpRequest) -> JsonResponse:
    return ok(openapi_schema(urlpatterns))


app_name = "api"
urlpatterns = [
    path("auth/token", accounts_api.token, name="token"),
    path("me", accounts_api.me, name="me"),
    path("openapi.json", openapi, name="openapi"),
    path("search", catalog_api.search, name="search"),
    path("records/<int:record_id>", catalog_api.record, name="record"),
    path("items/<str:barcode>", catalog_api.item, name="item"),
    path("patrons", patrons_api.patrons, name="patrons"),
    path("patrons/<str:card>", patrons_api.patron, name="patron"),
]
