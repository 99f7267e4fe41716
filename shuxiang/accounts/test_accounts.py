"""Signing in and out, user administration, roles and the audit trail they leave."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import PASSWORD
from shuxiang.accounts import services
from shuxiang.accounts.models import Role, User
from shuxiang.audit.models import AuditEvent


def test_sign_in_records_who_and_from_where(client, people):
    response = client.post(
        reverse("accounts:login"),
        {"username": "librarian", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert (event.actor, event.school, event.ip_address) == (
        people.librarian,
        people.school,
        "10.1.2.3",
    )


def test_wrong_password_is_refused_and_logged(client, people):
    response = client.post(reverse("accounts:login"), {"username": "librarian", "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="auth.login_failed", details__username="librarian"
    ).exists()


def test_sign_in_follows_next_only_inside_the_site(client, people):
    data = {"username": "librarian", "password": PASSWORD}
    inside = client.post(reverse("accounts:login") + "?next=/readers/classes/", data)
    assert inside["Location"] == "/readers/classes/"
    client.logout()
    outside = client.post(reverse("accounts:login") + "?next=https://evil.example/", data)
    assert outside["Location"] == "/"


def test_sign_out_needs_post(client, people):
    client.force_login(people.librarian)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_admin_creates_a_user_in_their_own_school(client, people):
    client.force_login(people.admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "newhelper",
            "display_name": "新帮手",
            "role": Role.HELPER,
            "password": "Shelf-helper-7",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newhelper")
    assert (user.school, user.role) == (people.school, Role.HELPER)
    assert AuditEvent.objects.filter(
        action="user.create", object_id=str(user.pk), actor=people.admin
    ).exists()


def test_admin_cannot_create_a_district_administrator(client, people):
    client.force_login(people.admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "boss", "role": Role.DISTRICT, "password": "Shelf-helper-7"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="boss").exists()


def test_taken_user_name_is_a_clear_error(client, people):
    client.force_login(people.admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "LIBRARIAN", "role": Role.HELPER, "password": "Shelf-helper-7"},
    )
    assert "用户名 LIBRARIAN 已被使用" in response.content.decode()


def test_admin_cannot_lock_themselves_out(people):
    with pytest.raises(services.AccountError):
        services.update_user(
            people.admin, by=people.admin, role=Role.ADMIN, display_name="x", is_active=False
        )


def test_disabling_a_user_revokes_their_tokens(people, client):
    token = services.issue_token(people.librarian)
    services.update_user(
        people.librarian, by=people.admin, role=Role.LIBRARIAN, display_name="", is_active=False
    )
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401


def test_admin_resets_a_password(client, people):
    client.force_login(people.admin)
    client.post(
        reverse("accounts:user_password", args=[people.student.pk]),
        {"password": "Brand-new-pass-1"},
    )
    people.student.refresh_from_db()
    assert people.student.check_password("Brand-new-pass-1")
    assert AuditEvent.objects.filter(action="user.password").count() == 1


def test_user_changes_own_password_and_stays_signed_in(client, people):
    client.force_login(people.teacher)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Teacher-pass-99",
            "new_password2": "Teacher-pass-99",
        },
    )
    assert response.status_code == 302
    people.teacher.refresh_from_db()
    assert people.teacher.check_password("Teacher-pass-99")
    assert client.get("/").status_code == 200


def test_user_list_shows_only_the_own_school(client, people):
    client.force_login(people.admin)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "librarian_south" not in page
    assert "classteacher" in page


def test_database_refuses_a_school_user_without_school(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create(username="lost", role=Role.LIBRARIAN, school=None)


def test_createsuperuser_makes_a_district_administrator(db, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "First-admin-pass-1")
    call_command("createsuperuser", "--no-input", "--username", "root", "--email", "")
    user = User.objects.get(username="root")
    assert (user.role, user.school) == (Role.DISTRICT, None)
