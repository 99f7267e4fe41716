"""State changes of users and tokens. Views, API and commands all come here."""

from __future__ import annotations

import secrets

from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shuxiang.accounts.models import ApiToken, Role, User, hash_token
from shuxiang.audit.services import record
from shuxiang.schools.models import School


class AccountError(Exception):
    """A user change that the rules refuse; the message is for the person."""


def _check_role_school(role: str, school: School | None) -> None:
    if role == Role.DISTRICT and school is not None:
        raise AccountError(_("A district administrator belongs to no single school."))
    if role != Role.DISTRICT and school is None:
        raise AccountError(_("Choose the school this user belongs to."))


@transaction.atomic
def create_user(
    *,
    by: User | None,
    username: str,
    password: str,
    role: str,
    school: School | None,
    display_name: str = "",
) -> User:
    """Create a login; `by` is recorded in the audit log."""
    _check_role_school(role, school)
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(_("The user name %(name)s is taken.") % {"name": username})
    user = User(username=username, role=role, school=school, display_name=display_name)
    user.set_password(password)
    user.save()
    record("user.create", actor=by, obj=user, school=school, details={"role": role})
    return user


@transaction.atomic
def update_user(
    user: User,
    *,
    by: User,
    role: str,
    display_name: str,
    is_active: bool,
) -> User:
    _check_role_school(role, user.school)
    if user.pk == by.pk and (not is_active or role != user.role):
        raise AccountError(_("You cannot change your own role or disable yourself."))
    before = {"role": user.role, "display_name": user.display_name, "is_active": user.is_active}
    user.role, user.display_name, user.is_active = role, display_name, is_active
    user.save(update_fields=["role", "display_name", "is_active"])
    after = {"role": role, "display_name": display_name, "is_active": is_active}
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    record("user.update", actor=by, obj=user, details=changed)
    if not is_active:
        ApiToken.objects.filter(user=user).delete()
    return user


@transaction.atomic
def set_password(user: User, *, by: User, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()
    record("user.password", actor=by, obj=user)


def log_in(request: HttpRequest, user: User) -> None:
    login(request, user)
    record("auth.login", actor=user, obj=user)


def log_out(request: HttpRequest) -> None:
    if request.user.is_authenticated:
        record("auth.logout", actor=request.user, obj=request.user)
    logout(request)


def record_failed_login(username: str) -> None:
    record("auth.login_failed", actor=None, details={"username": username[:150]})


@transaction.atomic
def issue_token(user: User) -> str:
    """A new bearer token for `user`; the raw value is returned once and not stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, digest=hash_token(raw))
    record("api.token", actor=user, obj=user, details={"token_id": token.pk})
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__school")
        .filter(digest=hash_token(raw))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # One write per minute at most: a kiosk polls often.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
