"""The catalogue API: /search, /records/{id} and /items/{barcode} (../shared/API.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import PASSWORD
from shuxiang.catalog import services
from shuxiang.catalog.bibdata import BibData, Contributor
from shuxiang.catalog.models import ItemStatus, Record

SEARCH_FIELDS = {
    "record_id",
    "title",
    "authors",
    "publisher",
    "year",
    "isbn",
    "class_number",
    "call_number",
    "available",
    "total",
}
ITEM_FIELDS = {
    "barcode",
    "accession_number",
    "call_number",
    "location",
    "status",
    "record_id",
    "title",
}


def token_for(client, username: str) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def auth(client, people) -> dict:
    return token_for(client, "student")


@pytest.fixture
def hongloumeng(people) -> Record:
    """Three copies here (one on loan), two in the other school."""
    data = BibData(
        title="红楼梦",
        contributors=[Contributor("曹雪芹", "著"), Contributor("高鹗", "著")],
        publisher="人民文学出版社",
        date="2008-07",
        isbns=["7-02-000220-X"],
        class_number="I242.47",
        price=Decimal("59.70"),
    )
    record = services.catalogue_record(by=None, data=data)
    for location, n in ((people.location, 3), (people.other_location, 2)):
        items = services.add_copies(
            by=None,
            school=location.school,
            record=record,
            copies=n,
            details=services.CopyDetails(location=location),
        )
    here = record.items.filter(school=people.school).order_by("accession_number").first()
    services.set_item_status(here, by=None, status=ItemStatus.ON_LOAN)
    assert len(items) == 2
    return record


def test_search_by_title_gives_the_documented_fields_with_this_schools_counts(
    client, auth, hongloumeng
):
    response = client.get("/api/v1/search?q=红楼梦", **auth)

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [result] = data["results"]
    assert set(result) == SEARCH_FIELDS
    assert result == {
        "record_id": hongloumeng.pk,
        "title": "红楼梦",
        "authors": ["曹雪芹", "高鹗"],
        "publisher": "人民文学出版社",
        "year": 2008,
        "isbn": "9787020002207",
        "class_number": "I242.47",
        "call_number": "I242.47/1",
        "available": 2,
        "total": 3,
    }


@pytest.mark.parametrize("q", ["9787020002207", "978-7-02-000220-7", "702000220X"])
def test_search_by_isbn_in_any_form(client, auth, hongloumeng, q):
    data = client.get(f"/api/v1/search?q={q}", **auth).json()
    assert [r["record_id"] for r in data["results"]] == [hongloumeng.pk]


def test_search_leaves_out_titles_the_school_does_not_hold(client, people, auth):
    services.add_copies(
        by=None,
        school=people.other_school,
        record=services.catalogue_record(by=None, data=BibData(title="南校的书")),
        copies=1,
        details=services.CopyDetails(location=people.other_location),
    )
    assert client.get("/api/v1/search?q=南校", **auth).json() == {"count": 0, "results": []}


def test_search_pages(client, people, auth):
    for n in range(5):
        record = services.catalogue_record(
            by=None, data=BibData(title=f"童话 {n}", class_number=f"I287.{n + 1}")
        )
        services.add_copies(
            by=None,
            school=people.school,
            record=record,
            copies=1,
            details=services.CopyDetails(location=people.location),
        )

    first = client.get("/api/v1/search?page_size=2", **auth).json()
    third = client.get("/api/v1/search?page_size=2&page=3", **auth).json()
    beyond = client.get("/api/v1/search?page_size=2&page=9", **auth).json()

    assert first["count"] == third["count"] == 6  # five fairy tales and 西游记
    assert len(first["results"]) == 2 and len(third["results"]) == 2
    ids = [r["record_id"] for r in first["results"] + third["results"]]
    assert len(set(ids)) == 4
    assert beyond == {"count": 6, "results": []}


@pytest.mark.parametrize("query", ["page_size=201", "page_size=0", "page=0", "page=x"])
def test_bad_paging_is_a_400_with_its_code(client, auth, query):
    response = client.get(f"/api/v1/search?{query}", **auth)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_page"
    assert response.json()["error"]["message"]


def test_page_size_of_200_is_allowed(client, auth):
    assert client.get("/api/v1/search?page_size=200", **auth).status_code == 200


def test_record_lists_the_copies_of_the_callers_school_only(client, people, auth, hongloumeng):
    response = client.get(f"/api/v1/records/{hongloumeng.pk}", **auth)

    data = response.json()
    assert response.status_code == 200
    assert (data["record_id"], data["title"], data["price"]) == (hongloumeng.pk, "红楼梦", "59.70")
    assert data["isbns"] == ["9787020002207"]
    assert len(data["items"]) == 3
    assert {i["location"] for i in data["items"]} == {"藏书室"}
    barcodes = {i["barcode"] for i in data["items"]}
    here = set(hongloumeng.items.filter(school=people.school).values_list("barcode", flat=True))
    assert barcodes == here
    assert sorted(i["status"] for i in data["items"]) == ["available", "available", "on_loan"]


def test_unknown_record_is_404(client, auth):
    response = client.get("/api/v1/records/999999", **auth)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_item_by_barcode_gives_the_documented_fields(client, people, auth):
    response = client.get("/api/v1/items/n0001", **auth)

    assert response.status_code == 200
    assert response.json() == {
        "barcode": "N0001",
        "accession_number": "0000001",
        "call_number": "I242.4/1",
        "location": "藏书室",
        "status": "available",
        "record_id": people.record.pk,
        "title": "西游记",
    }
    assert set(response.json()) == ITEM_FIELDS


def test_another_schools_barcode_is_not_found(client, people, auth):
    response = client.get("/api/v1/items/S0001", **auth)

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found" and error["message"]
    assert "西游记" not in response.content.decode()


def test_the_other_school_sees_its_own_copy(client, people):
    auth = token_for(client, "librarian_south")
    assert client.get("/api/v1/items/S0001", **auth).json()["call_number"] == "I242.4/7"
    assert client.get("/api/v1/items/N0001", **auth).status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/v1/search?q=西游记", "/api/v1/records/1", "/api/v1/items/N0001"]
)
def test_no_token_is_401(client, people, url):
    response = client.get(url)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_wrong_token_is_401(client, people):
    response = client.get("/api/v1/items/N0001", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_token"
