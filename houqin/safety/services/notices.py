"""Every write of the notices to parents (告家长书): one receipt expected per pupil of the chosen classes; head
teachers tick the signed slips that come back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.core import audit
from houqin.core.crud import require_perm, require_same_school
from houqin.orgs.models import SchoolClass, Student
from houqin.safety.choices import SignMethod
from houqin.safety.models import Notice, NoticeReceipt

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import School

CLASSES_REQUIRED = gettext_noop("Choose the classes the notice goes to.")
TITLE_AND_TEXT_REQUIRED = gettext_noop("A notice needs a title and a text.")
NOT_YOUR_CLASS = gettext_noop("Only the head teacher of %(class)s or a safety manager can record its receipts.")
NOTHING_TO_RECORD = gettext_noop("These receipts have already been recorded.")


@transaction.atomic
def notice_issue(
    *,
    actor: User,
    school: School,
    title: str,
    text: str,
    classes: Sequence[SchoolClass],
    issued_on: dt.date | None = None,
    attachment: Any = None,
) -> Notice:
    """Send a notice home with the pupils of the chosen classes: one receipt expected per pupil."""
    require_perm(actor, "safety.add_notice")
    if not title.strip() or not text.strip():
        raise ValidationError(_(TITLE_AND_TEXT_REQUIRED))
    if not classes:
        raise ValidationError({"classes": _(CLASSES_REQUIRED)})
    require_same_school(school, **{f"class {c.pk}": c for c in classes})
    notice = Notice(
        school=school,
        title=title.strip(),
        text=text.strip(),
        issued_on=issued_on or timezone.localdate(),
        issued_by=actor,
        **({"attachment": attachment} if attachment else {}),
    )
    notice.full_clean()
    notice.save()
    notice.classes.set(classes)
    pupils = Student.objects.filter(school_class__in=classes, is_active=True)
    NoticeReceipt.objects.bulk_create(
        [NoticeReceipt(school=school, notice=notice, student=s, school_class_id=s.school_class_id) for s in pupils],
        batch_size=500,
    )
    audit.record(
        actor=actor,
        action="safety.notice.issued",
        target=notice,
        changes={"sent": [None, len(pupils)], "classes": [None, [str(c) for c in classes]]},
    )
    return notice


def may_record_receipts(actor: User, school_class: SchoolClass) -> bool:
    is_head_teacher = actor.person_id is not None and school_class.head_teacher_id == actor.person_id
    return is_head_teacher or actor.has_perm("safety.change_notice")


@transaction.atomic
def receipts_record(
    *,
    actor: User,
    notice: Notice,
    school_class: SchoolClass,
    students: Sequence[Student],
    method: str = SignMethod.PAPER,
    at: dt.datetime | None = None,
) -> int:
    """The head teacher ticks the slips returned by the families of their class; returns how many were recorded."""
    if not may_record_receipts(actor, school_class):
        raise PermissionDenied(_(NOT_YOUR_CLASS) % {"class": school_class})
    receipts = NoticeReceipt.objects.select_for_update().filter(
        notice=notice, school_class=school_class, student__in=students, returned_at__isnull=True
    )
    count = receipts.update(returned_at=at or timezone.now(), method=method, recorded_by=actor)
    if not count:
        raise ValidationError(_(NOTHING_TO_RECORD))
    audit.record(
        actor=actor,
        action="safety.notice.receipts",
        target=notice,
        changes={"returned": [None, count]},
        message=str(school_class),
    )
    return count
