"""Build, rebuild and describe the demo district."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.accounts.models import User
from houqin.accounts.roles import Role
from houqin.core import audit
from houqin.core.models import AuditEvent, SchoolOwnedModel
from houqin.demo.data import DEMO_LOGINS, DISTRICT_NAME, SCHOOLS
from houqin.demo.registry import DemoContext, DemoError, steps
from houqin.orgs.models import School

WIPE_BLOCKED = gettext_noop(
    "The demo schools' records could not be removed: %(models)s are still referenced by other records."
)


def build(*, force: bool = False) -> DemoContext:
    """Run every demo step in one transaction. With `force`, first remove what an earlier demo left."""
    with transaction.atomic():
        if force:
            wipe()
        ctx = DemoContext()
        for step in steps():
            step.function(ctx)
    return ctx


def demo_schools() -> models.QuerySet[School]:
    return School.objects.filter(district__name=DISTRICT_NAME, name__in=[spec.name for spec in SCHOOLS])


def wipe() -> None:
    """Delete every school-owned row of the demo schools, of every module.

    The schools, their district, semesters and users stay, and so does the audit trail (append-only): the
    rebuild reuses them. Models are retried until the ones referencing others are gone first.
    """
    schools = list(demo_schools())
    pending = [m for m in apps.get_models() if _owned_by_a_school(m)]
    while pending:
        blocked = []
        for model in pending:
            try:
                with transaction.atomic():
                    _delete_rows(model, schools)
            except (ProtectedError, RestrictedError):
                blocked.append(model)
        if len(blocked) == len(pending):
            raise DemoError(_(WIPE_BLOCKED) % {"models": ", ".join(m._meta.label for m in blocked)})
        pending = blocked
    for school in schools:
        audit.record(actor=None, action="demo.wiped", target=school, school=school)


def _owned_by_a_school(model: type[models.Model]) -> bool:
    """School-owned models, and ledgers that carry their school without the SchoolOwnedModel base (the audit trail
    excepted: it outlives the demo)."""
    if issubclass(model, SchoolOwnedModel):
        return True
    if model is AuditEvent:
        return False
    field = next((f for f in model._meta.concrete_fields if f.name == "school"), None)
    return field is not None and field.is_relation and field.related_model is School


def _delete_rows(model: type[models.Model], schools: list[School]) -> None:
    rows = model._base_manager.filter(school__in=schools)
    for field in model._meta.concrete_fields:
        # A tree (places inside places) protects its own parents: cut the links first.
        if field.is_relation and field.related_model is model and field.null:
            rows.update(**{field.name: None})
    rows.delete()


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    where: str


def login_rows() -> list[LoginRow]:
    """The demo logins that exist in this database, in the order of the API contract."""
    found = {u.username: u for u in User.objects.filter(username__in=[x.username for x in DEMO_LOGINS]).with_roles()}
    rows = []
    for login in DEMO_LOGINS:
        user = found.get(login.username)
        if user is not None:
            where = user.school.name if user.school is not None else str(user.district or "")
            rows.append(LoginRow(login.username, str(Role(login.role).label), where))
    return rows
