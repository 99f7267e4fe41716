"""The API's foundation: tokens, /me, the error format and the schema."""

from __future__ import annotations

import re

from conftest import PASSWORD
from shuxiang import api_v1
from shuxiang.accounts.models import ApiToken


def get_token(client, username: str, password: str = PASSWORD):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_token_then_me(client, people):
    response = get_token(client, "classteacher")
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me == {
        "username": "classteacher",
        "role": "class_teacher",
        "school": {"code": "north", "name": "北街小学"},
    }


def test_only_a_digest_of_the_token_is_stored(client, people):
    token = get_token(client, "librarian").json()["token"]
    assert not ApiToken.objects.filter(digest=token).exists()
    assert ApiToken.objects.count() == 1


def test_wrong_password_gives_401_in_the_error_format(client, people):
    response = get_token(client, "librarian", "nope")
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "bad_credentials", "message": "用户名或密码错误。"}
    }


def test_bad_json_is_400(client, people):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_json"


def test_unknown_token_is_401(client, people):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer made-up")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_token"


def test_district_admin_names_the_school(client, people):
    token = get_token(client, "district").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/me", **auth).json()["school"] is None
    me = client.get("/api/v1/me?school=south", **auth).json()
    assert me["school"]["code"] == "south"
    assert client.get("/api/v1/me?school=nowhere", **auth).status_code == 404


def test_wrong_method_is_405_in_the_error_format(client, people):
    response = client.get("/api/v1/auth/token")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_schema_lists_every_api_url(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    expected = {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in api_v1.urlpatterns
    }
    assert set(schema["paths"]) == expected
    me = schema["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"bearer": []}]
    assert set(me["responses"]["200"]["content"]["application/json"]["schema"]["properties"]) == {
        "username",
        "role",
        "school",
    }
