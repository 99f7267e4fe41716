"""The readers API: /api/v1/patrons?q= and /api/v1/patrons/{card} (../shared/API.md)."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from shuxiang.patrons import services
from shuxiang.patrons.models import Patron

PATRON_FIELDS = {"card", "name", "kind", "class", "status", "loans"}


def token_for(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def desk(client, people) -> dict:
    return token_for(client, "librarian")


def names(response) -> list[str]:
    return [r["name"] for r in response.json()["results"]]


@pytest.mark.parametrize("query", ["张小明", "小明", "zhangxiaoming", "zxm", "20240201"])
def test_search_finds_a_reader_by_name_pinyin_or_card(client, desk, query):
    response = client.get("/api/v1/patrons", {"q": query}, **desk)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "card": "20240201",
            "name": "张小明",
            "kind": "student",
            "class": "三年级(2)班",
            "status": "active",
            "loans": [],
        }
    ]


def test_a_helper_at_the_desk_may_search_readers(client, people):
    helper = token_for(client, "helper")

    response = client.get("/api/v1/patrons", {"q": "liuxiaohong"}, **helper)

    assert response.status_code == 200
    assert names(response) == ["刘小红"]


def test_search_finds_teachers_by_staff_number(client, desk):
    response = client.get("/api/v1/patrons", {"q": "T02"}, **desk)

    assert response.json()["results"][0] == {
        "card": "T02",
        "name": "李老师",
        "kind": "teacher",
        "class": None,
        "status": "active",
        "loans": [],
    }


def test_search_never_lists_another_schools_readers(client, desk, people):
    for query in ("孙南南", "snn", "20249901"):
        response = client.get("/api/v1/patrons", {"q": query}, **desk)
        assert response.json() == {"count": 0, "results": []}
    south = token_for(client, "librarian_south")
    assert names(client.get("/api/v1/patrons", {"q": "snn"}, **south)) == ["孙南南"]


def test_search_pages_the_results(client, desk, people):
    for i in range(3):
        services.register_patron(
            by=None,
            school=people.school,
            data=services.PatronData(
                kind="student", name=f"张同学{i}", student_number=f"2024090{i}"
            ),
        )

    response = client.get("/api/v1/patrons", {"q": "zhang", "page_size": 2}, **desk)

    assert response.json()["count"] == 4
    assert len(response.json()["results"]) == 2


@pytest.mark.parametrize("query", [{}, {"q": "  "}])
def test_search_without_q_is_bad_input(client, desk, query):
    response = client.get("/api/v1/patrons", query, **desk)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_input"


@pytest.mark.parametrize("username", ["student", "teacher", "classteacher", "leader"])
def test_readers_api_is_refused_to_roles_away_from_the_desk(client, people, username):
    auth = token_for(client, username)

    search = client.get("/api/v1/patrons", {"q": "张小明"}, **auth)
    one = client.get("/api/v1/patrons/20240201", **auth)

    assert (search.status_code, one.status_code) == (403, 403)
    assert search.json()["error"]["code"] == "forbidden"


def test_readers_api_needs_a_token(client, people):
    response = client.get("/api/v1/patrons/20240201")

    assert response.status_code == 401
    assert "张小明" not in response.text


def test_a_reader_by_card_has_the_documented_fields(client, desk):
    response = client.get("/api/v1/patrons/20240201", **desk)

    assert response.status_code == 200
    assert response.json() == {
        "card": "20240201",
        "name": "张小明",
        "kind": "student",
        "class": "三年级(2)班",
        "status": "active",
        "loans": [],
    }


def test_a_reader_by_card_accepts_the_card_as_scanned(client, desk, people):
    services.change_card_settings(people.school, by=None, rule="sequence", prefix="D", digits=4)
    reader = services.register_patron(
        by=None,
        school=people.school,
        data=services.PatronData(kind="teacher", name="周老师", staff_number="T09"),
    )

    response = client.get("/api/v1/patrons/d0001", **desk)

    assert response.json()["card"] == reader.card_number == "D0001"


def test_a_graduate_is_shown_with_their_status(client, desk):
    response = client.get("/api/v1/patrons/20200101", **desk)

    assert response.json()["status"] == "graduated"
    assert response.json()["class"] is None


def test_a_lost_card_is_an_unknown_card_and_the_new_one_works(client, desk, people):
    reader = Patron.objects.get(user=people.student)
    services.reissue_card(reader, by=people.librarian)

    old = client.get("/api/v1/patrons/20240201", **desk)
    new = client.get(f"/api/v1/patrons/{reader.card_number}", **desk)

    assert old.status_code == 404
    assert old.json()["error"]["code"] == "unknown_card"
    assert "张小明" not in old.text
    assert new.status_code == 200
    assert new.json()["name"] == "张小明"


@pytest.mark.parametrize("card", ["20249901", "NOSUCHCARD"])
def test_another_schools_or_no_card_is_not_found(client, desk, card):
    response = client.get(f"/api/v1/patrons/{card}", **desk)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "孙南南" not in response.text


def test_the_schema_lists_the_readers_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/patrons" in paths
    schema = paths["/api/v1/patrons/{card}"]["get"]["responses"]["200"]["content"]
    assert set(schema["application/json"]["schema"]["properties"]) == PATRON_FIELDS
