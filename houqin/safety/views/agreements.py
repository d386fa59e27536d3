"""Responsibility agreements: the year's agreements with their coverage and who has not signed, signing on a phone,
and recording a paper agreement (E8)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ScopedMixin, ServiceFormView
from houqin.safety import selectors, services
from houqin.safety.forms import AgreementForm, PaperSignatureForm
from houqin.safety.models import Agreement, AgreementSignature
from houqin.safety.views.common import FormActionView


class AgreementListView(ScopedListView):
    model = Agreement
    permission_required = "safety.view_agreement"

    def scoped_queryset(self) -> QuerySet:
        return selectors.agreements_with_coverage(user=self.request.user)


class AgreementDetailView(ScopedDetailView):
    model = Agreement
    permission_required = "safety.view_agreement"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        signatures = list(self.object.signatures.select_related("person__department", "tenant", "recorded_by"))
        signed = [s for s in signatures if s.signed_at]
        context.update(
            signed=signed,
            unsigned=[s for s in signatures if not s.signed_at],
            total=len(signatures),
            coverage=selectors.rate(len(signed), len(signatures)),
            paper_form=PaperSignatureForm(),
        )
        return context


class AgreementCreateView(ServiceFormView):
    model = Agreement
    permission_required = "safety.add_agreement"
    form_class = AgreementForm
    template_name = "safety/form.html"
    success_message = _("Agreement issued for signing.")
    extra_context = {"title": _("New responsibility agreement")}

    def perform(self, form: AgreementForm) -> Agreement:
        return services.agreement_create(actor=self.request.user, school=self.request.user.school, **form.cleaned_data)


class MyAgreementsView(ScopedMixin, TemplateView):
    """A member of staff reads and signs their agreements on the phone."""

    model = AgreementSignature
    permission_required = "safety.view_agreement"
    template_name = "safety/my_agreements.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["signatures"] = selectors.signatures_for(user=self.request.user).order_by("-agreement__year")
        return context


class SignView(ActionView):
    model = AgreementSignature
    permission_required = "safety.view_agreement"
    success_message = _("Signed.")

    def perform(self, signature: AgreementSignature) -> Any:
        return services.agreement_sign(actor=self.request.user, signature=signature)


class PaperSignView(FormActionView):
    model = AgreementSignature
    permission_required = "safety.change_agreement"
    form_class = PaperSignatureForm
    success_message = _("Paper agreement recorded.")

    def apply(self, signature: AgreementSignature, data: dict[str, Any]) -> Any:
        return services.agreement_record_paper(actor=self.request.user, signature=signature, **data)
