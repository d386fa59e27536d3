"""Base views every module reuses: scoped list (filters, pagination, Excel export), detail with history,
service-backed create/edit forms, and POST-only actions. Outside the user's scope → 404; without the
permission → 403."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from houqin.core.audit import history_for
from houqin.core.exporting import Column, xlsx_response
from houqin.core.search import search

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from houqin.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """For type checking only: the request of a login_required view, whose user is never anonymous."""

    user: User


class ScopedMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Rows come from model.objects.visible_to(user); missing permission raises 403 (not a login redirect)."""

    model: type[models.Model]
    request: HttpRequest
    raise_exception = True

    def handle_no_permission(self) -> HttpResponseRedirect:
        if not self.request.user.is_authenticated:
            self.raise_exception = False
        return super().handle_no_permission()

    def scoped_queryset(self) -> models.QuerySet:
        # Scoped models share a visible_to() queryset method, not a base class the type could name.
        return self.model.objects.visible_to(self.request.user)  # type: ignore[attr-defined]

    def get_queryset(self) -> models.QuerySet:
        return self.scoped_queryset()


class ScopedListView(ScopedMixin, ListView):
    """A list page: `?q=` pinyin-aware search, a django-filter FilterSet, pagination, `?export=xlsx`."""

    model: type[models.Model]  # required here, though ListView's own declaration allows None
    filterset_class: Any = None
    search_fields: Sequence[str] = ()
    export_columns: Sequence[Column] = ()
    export_name: StrOrPromise = ""
    template_name_suffix = "_list"

    def get_paginate_by(self, queryset: Any) -> int:
        from django.conf import settings

        return settings.HOUQIN_PAGE_SIZE

    def filtered_queryset(self) -> models.QuerySet:
        queryset = super().get_queryset()
        q = self.request.GET.get("q", "").strip()
        if q:
            if any(f.name == "search_text" for f in self.model._meta.get_fields()):
                queryset = search(queryset, q, *self.search_fields)
            elif self.search_fields:
                queryset = queryset.filter(
                    reduce(or_, (Q(**{f"{field}__icontains": q}) for field in self.search_fields))
                )
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
            queryset = self.filterset.qs
        return queryset

    def get_queryset(self) -> models.QuerySet:
        queryset = self.filtered_queryset()
        # Aggregating queries drop Meta.ordering; pages of an unordered list could repeat or skip rows.
        return queryset if queryset.ordered else queryset.order_by("-pk")

    # A streamed file is not an HttpResponse, which the stubs of ListView.get promise.
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:  # type: ignore[override]
        if request.GET.get("export") == "xlsx" and self.export_columns:
            title = str(self.export_name or self.model._meta.verbose_name_plural)
            return xlsx_response(title, title, self.export_columns, self.get_queryset().iterator(chunk_size=2000))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["filterset"] = getattr(self, "filterset", None)
        context["q"] = self.request.GET.get("q", "")
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["can_export"] = bool(self.export_columns)
        return context


class ScopedDetailView(ScopedMixin, DetailView):
    """A record, the actions the user may take, and its history (audit events)."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["history"] = history_for(self.object)[:50]
        return context


def apply_validation_error(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (others at the top of the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages_:
                form.add_error(None if field == NON_FIELD_ERRORS else target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class ServiceFormView(ScopedMixin, FormView):
    """A create or edit form whose save is one service call (`perform`); rule violations return to the form."""

    success_message: Any = _("Saved.")
    object: Any = None
    pk_url_kwarg = "pk"

    def get_object(self) -> Any:
        if self.pk_url_kwarg in self.kwargs:
            return get_object_or_404(self.scoped_queryset(), pk=self.kwargs[self.pk_url_kwarg])
        return None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and self.has_permission():
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = self.object
        return kwargs

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = self.perform(form)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context


class ActionView(ScopedMixin, View):
    """A POST-only state change on one row (GET → 405). `perform(obj)` calls one service."""

    http_method_names = ["post"]
    success_message: Any = _("Done.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)  # 405 before any permission check
        return super().dispatch(request, *args, **kwargs)

    def perform(self, obj: Any) -> Any:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = get_object_or_404(self.scoped_queryset(), pk=pk)
        try:
            result = self.perform(obj)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message)
            obj = result or obj
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = obj.get_absolute_url()
        return HttpResponseRedirect(next_url)
