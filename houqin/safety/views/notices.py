"""Notices to parents: issue to classes, head teachers tick the returned slips, return rates and missing lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from houqin.core.mixins import ActionView, ScopedDetailView, ScopedListView, ServiceFormView
from houqin.orgs.models import SchoolClass, Student
from houqin.safety import selectors, services
from houqin.safety.forms import NoticeForm
from houqin.safety.models import Notice


class NoticeListView(ScopedListView):
    model = Notice
    permission_required = "safety.view_notice"
    search_fields = ("title",)

    def scoped_queryset(self) -> QuerySet:
        return selectors.notices_with_returns(user=self.request.user)


class NoticeDetailView(ScopedDetailView):
    """Return rates per class; the chosen class's missing slips to tick (the head teacher's own class first)."""

    model = Notice
    permission_required = "safety.view_notice"

    def chosen_class(self, classes: list[dict[str, Any]]) -> SchoolClass | None:
        ids = [row["school_class_id"] for row in classes]
        wanted = self.request.GET.get("class", "")
        if not wanted.isdigit():
            return selectors.classes_headed_by(self.request.user).filter(pk__in=ids).first()
        return SchoolClass.objects.visible_to(self.request.user).filter(pk__in=ids, pk=wanted).first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        classes = selectors.notice_classes(self.object)
        chosen = self.chosen_class(classes)
        sent = sum(row["sent"] for row in classes)
        returned = sum(row["returned"] for row in classes)
        context.update(
            classes=classes,
            sent=sent,
            returned=returned,
            rate=selectors.rate(returned, sent),
            chosen=chosen,
            may_tick=chosen is not None and services.may_record_receipts(self.request.user, chosen),
            missing=self.object.receipts.filter(school_class=chosen, returned_at__isnull=True).select_related("student")
            if chosen
            else [],
        )
        return context


class NoticeCreateView(ServiceFormView):
    model = Notice
    permission_required = "safety.add_notice"
    form_class = NoticeForm
    template_name = "safety/form.html"
    success_message = _("Notice issued.")
    extra_context = {"title": _("New notice to parents"), "multipart": True}

    def perform(self, form: NoticeForm) -> Notice:
        data = {k: v for k, v in form.cleaned_data.items() if v is not None}
        data["classes"] = list(data["classes"])
        return services.notice_issue(actor=self.request.user, school=self.request.user.school, **data)


class ReceiptsView(ActionView):
    """POST: the ticked pupils of one class returned their slips."""

    model = Notice
    permission_required = "safety.view_notice"
    success_message = _("Receipts recorded.")

    def perform(self, notice: Notice) -> Any:
        post = self.request.POST
        class_id = post.get("class", "")
        school_class = get_object_or_404(
            SchoolClass.objects.visible_to(self.request.user), pk=class_id if class_id.isdigit() else 0
        )
        ids = [int(i) for i in post.getlist("student") if i.isdigit()]
        students = Student.objects.visible_to(self.request.user).filter(pk__in=ids)
        services.receipts_record(actor=self.request.user, notice=notice, school_class=school_class, students=students)
