"""Sign in and out, the language switch, and the school's user accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from shuxiang.accounts import services
from shuxiang.accounts.access import ALL_ROLES, get_for_school, public, require_roles, scoped
from shuxiang.accounts.forms import PasswordForm, UserCreateForm, UserEditForm
from shuxiang.accounts.models import Role, User

ADMINS = {Role.ADMIN, Role.DISTRICT}


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return None


@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            services.log_in(request, form.get_user())
            return redirect(_safe_next(request) or "home:home")
        services.record_failed_login(request.POST.get("username", ""))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.log_out(request)
    return redirect("accounts:login")


set_language = public(django_set_language)


@require_roles(ALL_ROLES, needs_school=False)
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password(
            request.user, by=request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password was changed."))
        return redirect("home:home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_roles(ADMINS)
def user_list(request: HttpRequest) -> HttpResponse:
    users = scoped(request, User.objects.order_by("role", "username"))
    role = request.GET.get("role", "")
    if role:
        users = users.filter(role=role)
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/user_list.html", {"page": page, "roles": Role.choices, "role": role}
    )


@require_roles(ADMINS)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(by=request.user, school=request.school, **form.cleaned_data)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form})


@require_roles(ADMINS)
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_for_school(request, User.objects.all(), pk=user_id)
    form = UserEditForm(
        request.POST or None,
        initial={"display_name": user.display_name, "role": user.role, "is_active": user.is_active},
    )
    password_form = PasswordForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(user, by=request.user, **form.cleaned_data)
        except services.AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "edited": user, "password_form": password_form},
    )


@require_roles(ADMINS)
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_for_school(request, User.objects.all(), pk=user_id)
    form = PasswordForm(request.POST)
    if form.is_valid():
        services.set_password(user, by=request.user, password=form.cleaned_data["password"])
        messages.success(request, _("Password of %(name)s changed.") % {"name": user.username})
    else:
        messages.error(request, " ".join(form.errors["password"]))
    return redirect("accounts:user_edit", user_id=user.pk)
