"""/api/safety, continued: drills and the monthly check (E4), responsibility agreements (E8), notices to parents."""

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.orgs.models import SchoolClass, Student
from houqin.safety import selectors, services
from houqin.safety.choices import AgreementKind, DrillKind
from houqin.safety.models import Agreement, AgreementSignature, Drill, Notice

router = Router(tags=["safety"])

#
# Drills
#


class DrillIn(Input):
    kind: DrillKind
    held_on: dt.date
    scenario: str = Field(..., min_length=1, max_length=200)
    participants: int = Field(0, ge=0, le=100000)
    evacuation_seconds: int | None = Field(None, ge=0, le=86400)
    floors: int | None = Field(None, ge=1, le=100)
    problems: str = Field("", max_length=2000)


class DrillOut(Schema):
    id: int
    school_id: int
    kind: str
    held_on: dt.date
    scenario: str
    participants: int
    evacuation_seconds: int | None
    floors: int | None
    problems: str
    needs_review: bool


@router.get("/drills", auth=needs("safety.view_drill"), response={200: list[DrillOut], **ERRORS})
@paginate
def drill_list(request: HttpRequest):
    return Drill.objects.visible_to(request.user)


@router.post("/drills", auth=needs("safety.add_drill"), response={201: DrillOut, **ERRORS})
def drill_create(request: HttpRequest, payload: DrillIn):
    school = school_for_write(request, None)
    return Status(201, services.drill_record(actor=request.user, school=school, **payload.dict()))


class MonthsFilter(Input):
    start: dt.date | None = Field(None, alias="from", description="default: the term's start")
    end: dt.date | None = Field(None, alias="to", description="default: today")
    school_id: OptionalId = Field(None, description="bureau users: the school")


class DrillMonthOut(Schema):
    month: str
    held: int
    required: int
    in_progress: bool
    short: bool


@router.get("/drills/months", auth=needs("safety.view_drill"), response={200: list[DrillMonthOut], **ERRORS})
def drill_months(request: HttpRequest, filters: Query[MonthsFilter]):
    school = request.user.school or school_for_write(request, filters.school_id)
    default_start, default_end = selectors.default_window(request.user)
    start, end = filters.start or default_start, filters.end or default_end
    if start > end or (end - start).days > 800:
        raise ValidationError({"from": _("Choose a period of at most two years, start before end.")})
    months = selectors.drill_months(school=school, start=start, end=end)
    return [{**m.__dict__, "month": f"{m.month:%Y-%m}", "short": m.short} for m in months]


#
# Responsibility agreements
#


class AgreementIn(Input):
    kind: AgreementKind
    year: int = Field(..., ge=2000, le=2100)
    title: str = Field(..., min_length=1, max_length=100)
    text: str = Field(..., min_length=1, max_length=20000)
    version: int = Field(1, ge=1, le=1000)


class AgreementOut(Schema):
    id: int
    school_id: int
    kind: str
    year: int
    title: str
    version: int
    to_sign: int
    signed: int
    coverage: float | None

    @staticmethod
    def resolve_coverage(obj: Agreement) -> float | None:
        return selectors.rate(obj.signed, obj.to_sign)  # type: ignore[attr-defined]


class SignatureOut(Schema):
    id: int
    person_id: int | None
    tenant_id: int | None
    signatory: str
    signed_at: dt.datetime | None
    signed_version: int | None
    method: str

    @staticmethod
    def resolve_signatory(obj: AgreementSignature) -> str:
        return str(obj.signatory)


class AgreementDetailOut(AgreementOut):
    text: str
    signatures: list[SignatureOut]


def _agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    agreements = selectors.agreements_with_coverage(user=request.user)
    return in_scope(agreements.prefetch_related("signatures__person", "signatures__tenant"), request, agreement_id)


@router.get("/agreements", auth=needs("safety.view_agreement"), response={200: list[AgreementOut], **ERRORS})
@paginate
def agreement_list(request: HttpRequest):
    return selectors.agreements_with_coverage(user=request.user)


@router.post("/agreements", auth=needs("safety.add_agreement"), response={201: AgreementDetailOut, **ERRORS})
def agreement_create(request: HttpRequest, payload: AgreementIn):
    school = school_for_write(request, None)
    agreement = services.agreement_create(actor=request.user, school=school, **payload.dict())
    return Status(201, _agreement(request, agreement.pk))


@router.get(
    "/agreements/{agreement_id}", auth=needs("safety.view_agreement"), response={200: AgreementDetailOut, **ERRORS}
)
def agreement_get(request: HttpRequest, agreement_id: Id):
    return _agreement(request, agreement_id)


# Only the signatory signs on the phone: a rule on the signature, not a permission.
@router.post(
    "/agreement-signatures/{signature_id}/sign",
    auth=needs("safety.view_agreement"),
    response={200: SignatureOut, **ERRORS},
)
def agreement_sign(request: HttpRequest, signature_id: Id):
    signature = in_scope(AgreementSignature.objects.select_related("person", "agreement"), request, signature_id)
    return services.agreement_sign(actor=request.user, signature=signature)


#
# Notices to parents
#


class NoticeIn(Input):
    title: str = Field(..., min_length=1, max_length=100)
    text: str = Field(..., min_length=1, max_length=20000)
    class_ids: list[Id] = Field(..., min_length=1, max_length=500)
    issued_on: dt.date | None = None


class NoticeOut(Schema):
    id: int
    school_id: int
    title: str
    issued_on: dt.date
    sent: int
    returned: int
    return_rate: float | None

    @staticmethod
    def resolve_return_rate(obj: Notice) -> float | None:
        return selectors.rate(obj.returned, obj.sent)  # type: ignore[attr-defined]


class NoticeClassOut(Schema):
    class_id: int = Field(..., alias="school_class_id")
    class_name: str = Field(..., alias="school_class__name")
    sent: int
    returned: int
    rate: float | None


class NoticeDetailOut(NoticeOut):
    text: str
    classes: list[NoticeClassOut]

    @staticmethod
    def resolve_classes(obj: Notice) -> list[dict]:
        return selectors.notice_classes(obj)


def _notice(request: HttpRequest, notice_id: int) -> Notice:
    return in_scope(selectors.notices_with_returns(user=request.user), request, notice_id)


@router.get("/notices", auth=needs("safety.view_notice"), response={200: list[NoticeOut], **ERRORS})
@paginate
def notice_list(request: HttpRequest):
    return selectors.notices_with_returns(user=request.user)


@router.post("/notices", auth=needs("safety.add_notice"), response={201: NoticeDetailOut, **ERRORS})
def notice_create(request: HttpRequest, payload: NoticeIn):
    school = school_for_write(request, None)
    classes = [in_scope(SchoolClass.objects, request, pk) for pk in dict.fromkeys(payload.class_ids)]
    notice = services.notice_issue(
        actor=request.user,
        school=school,
        title=payload.title,
        text=payload.text,
        classes=classes,
        issued_on=payload.issued_on,
    )
    return Status(201, _notice(request, notice.pk))


@router.get("/notices/{notice_id}", auth=needs("safety.view_notice"), response={200: NoticeDetailOut, **ERRORS})
def notice_get(request: HttpRequest, notice_id: Id):
    return _notice(request, notice_id)


class ReceiptsIn(Input):
    class_id: Id
    student_ids: list[Id] = Field(..., min_length=1, max_length=200)


class ReceiptsOut(Schema):
    recorded: int


# The head teacher of the class (or a holder of safety.change_notice) records its receipts: a rule on the class.
@router.post("/notices/{notice_id}/receipts", auth=needs("safety.view_notice"), response={200: ReceiptsOut, **ERRORS})
def notice_receipts(request: HttpRequest, notice_id: Id, payload: ReceiptsIn):
    notice = _notice(request, notice_id)
    school_class = in_scope(SchoolClass.objects, request, payload.class_id)
    students = Student.objects.visible_to(request.user).filter(pk__in=payload.student_ids)
    count = services.receipts_record(actor=request.user, notice=notice, school_class=school_class, students=students)
    return {"recorded": count}
