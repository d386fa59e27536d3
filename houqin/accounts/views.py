"""Login, logout, my account (password, API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from houqin.accounts import services
from houqin.accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from houqin.accounts.models import ApiToken
from houqin.core.mixins import apply_validation_error


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        except services.LoginLocked as exc:
            form.add_error(None, exc.message)
        except services.LoginFailed:
            form.add_error(None, _(services.INVALID_CREDENTIALS))
        else:
            login(request, user, backend="houqin.accounts.backends.RoleBackend")
            return redirect(next_url or "core:home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """My account: roles, password change, API tokens."""
    password_form = PasswordChangeForm(user=request.user)
    token_form = TokenForm()
    new_token = None
    if request.method == "POST" and request.POST.get("form") == "password":
        password_form = PasswordChangeForm(request.POST, user=request.user)
        if password_form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user, user=request.user, password=password_form.cleaned_data["new_password"]
                )
            except ValidationError as error:
                for message in error.messages:
                    password_form.add_error("new_password", message)
            else:
                request.user.refresh_from_db()
                login(request, request.user, backend="houqin.accounts.backends.RoleBackend")
                messages.success(request, _("Your password has been changed."))
                return redirect("accounts:profile")
    elif request.method == "POST" and request.POST.get("form") == "token":
        token_form = TokenForm(request.POST)
        if token_form.is_valid():
            try:
                _token, new_token = services.api_token_create(
                    user=request.user, name=token_form.cleaned_data["name"], days=token_form.cleaned_data["days"]
                )
            except ValidationError as error:
                apply_validation_error(token_form, error)
            token_form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/profile.html",
        {"password_form": password_form, "token_form": token_form, "tokens": tokens, "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:profile")
