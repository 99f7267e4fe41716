"""Every URL of the project, opened as every role and as another school's user.

Each view declares who may open it (`require_roles`, `public`, or the API's
`endpoint(roles=...)`). This walk checks that the declaration holds: the
roles outside it get 403, anonymous visitors are sent to sign in (401 on the
API), and a user of another school gets 404 for this school's objects.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from shuxiang.accounts.access import PUBLIC
from shuxiang.accounts.middleware import SESSION_SCHOOL_KEY
from shuxiang.accounts.models import Role, User
from shuxiang.accounts.services import issue_token
from shuxiang.catalog.models import ImportJob
from shuxiang.patrons.models import Patron
from shuxiang.schools.models import Term

EXTERNAL = re.compile(r"""(src|href|action)=["']?(https?:)?//""", re.I)


def walk(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


ROUTES = list(walk())
# URL parameters that name something shared by all schools: a school itself, a record of
# the union catalogue.
SHARED = {"code", "record_id"}
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def object_ids(people, school_key: str, user: User | None = None) -> dict[str, object]:
    """A value for each URL parameter, pointing at an object of one school.

    A reader is the user's own reader record where it has one (students see only
    themselves), else a student of the school.
    """
    mine = school_key == "mine"
    school = people.school if mine else people.other_school
    own = getattr(user, "patron", None) if user is not None else None
    student = people.student.patron if mine else people.other_class.students.first()
    reader = own if own is not None and mine else student
    job = ImportJob.objects.create(school=school, file_name="x.mrc", path="/nonexistent")
    return {
        "record_id": people.record.pk,  # records are shared by all schools
        "job_id": job.pk,
        "barcode": (people.item if mine else people.other_item).barcode,
        "user_id": (people.student if mine else people.other_librarian).pk,
        "patron_id": reader.pk,
        "card": reader.card_number,
        "term_id": Term.objects.filter(school=school).first().pk,
        "class_id": (people.class_3_2 if mine else people.other_class).pk,
        "code": school.code,
    }


def url_for(route: str, values: dict[str, object]) -> str:
    return "/" + PARAM.sub(lambda m: str(values[m.group(1)]), route)


def is_api(route: str) -> bool:
    return route.startswith("api/")


def allowed_roles(pattern: URLPattern):
    return getattr(pattern.callback, "allowed_roles", None)


def test_every_view_declares_who_may_open_it():
    undeclared = [route for route, pattern in ROUTES if allowed_roles(pattern) is None]
    assert not undeclared, f"views without require_roles/public: {undeclared}"


def sign_in(client, user: User, school) -> None:
    """Sign in; a district administrator also chooses `school` to work in."""
    client.force_login(user)
    if user.is_district:
        session = client.session
        session[SESSION_SCHOOL_KEY] = school.pk
        session.save()


def request(client, url: str, api_token: str | None = None, *, post_too: bool = False):
    """GET the URL; with `post_too`, POST an empty form where only POST is allowed."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token}"} if api_token else {}
    response = client.get(url, **headers)
    if post_too and response.status_code == 405:
        response = client.post(url, **headers)
    return response


def assert_offline(response) -> None:
    if response.get("Content-Type", "").startswith("text/html"):
        found = EXTERNAL.search(response.content.decode())
        assert not found, f"{response.wsgi_request.path} loads from outside: {found.group(0)}"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_opens_exactly_its_pages(client, people, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = people.by_role(role)
    token = issue_token(user)
    sign_in(client, user, people.school)
    values = object_ids(people, "mine", user)
    reader = Patron.objects.get(pk=values["patron_id"])
    reader.photo.save("face.png", ContentFile(b"\x89PNG\r\n\x1a\n"))  # for the photo URL
    for route, pattern in ROUTES:
        roles = allowed_roles(pattern)
        url = url_for(route, values)
        response = request(client, url, token if is_api(route) else None)
        if roles == PUBLIC or role in roles:
            assert response.status_code in (200, 201, 302, 400, 405), (
                role,
                url,
                response.status_code,
            )
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"], (role, url)
            assert_offline(response)
        else:
            assert response.status_code == 403, (role, url, response.status_code)


def test_anonymous_visitors_are_sent_to_sign_in(client, people):
    values = object_ids(people, "mine")
    for route, pattern in ROUTES:
        url = url_for(route, values)
        response = client.get(url)
        if allowed_roles(pattern) == PUBLIC:
            assert response.status_code in (200, 302, 405), (url, response.status_code)
            assert_offline(response)
        elif is_api(route):
            assert response.status_code == 401, url
            assert response.json()["error"]["code"] == "not_authenticated"
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("role", [r for r in Role if r != Role.DISTRICT])
def test_another_schools_objects_answer_404(client, people, role):
    """A user of the other school, in each role, asks for this school's objects."""
    intruder = User.objects.create_user(
        username=f"south-{role}", password="x", role=role, school=people.other_school
    )
    token = issue_token(intruder)
    client.force_login(intruder)
    values = object_ids(people, "mine")
    checked = 0
    for route, pattern in ROUTES:
        roles = allowed_roles(pattern)
        if roles == PUBLIC or role not in roles or not PARAM.search(route):
            continue
        if SHARED.intersection(PARAM.findall(route)):  # not objects of one school
            continue
        url = url_for(route, values)
        response = request(client, url, token if is_api(route) else None, post_too=True)
        assert response.status_code == 404, (role, url, response.status_code)
        if is_api(route):
            assert response.json()["error"]["code"] == "not_found"
        checked += 1
    if role in (Role.ADMIN, Role.LIBRARIAN):
        assert checked > 0


def test_district_admin_sees_only_the_school_it_works_in(client, people):
    sign_in(client, people.district, people.other_school)
    values = object_ids(people, "mine")
    response = client.get(url_for("readers/classes/<int:class_id>/", values))
    assert response.status_code == 404
    sign_in(client, people.district, people.school)
    assert client.get(url_for("readers/classes/<int:class_id>/", values)).status_code == 200
