"""/api/canteen: samples and fridge readings, 陪餐, menus and parent feedback, staff health, purchase inspection,
tableware disinfection, meal counts, the canteen ledger, price changes and food incidents."""

import datetime as dt
from decimal import Decimal

from ninja import Field, ModelSchema, Query, Router, Schema, Status

from django.utils import timezone

from houqin.canteen import selectors, services
from houqin.canteen.choices import (
    Direction,
    DisinfectionMethod,
    IncidentStatus,
    LedgerCategory,
    Meal,
    PurchaseKind,
    Rectification,
)
from houqin.canteen.models import (
    AccompaniedMeal,
    CommitteeMember,
    Delivery,
    DeliveryLine,
    Disinfection,
    Feedback,
    FoodIncident,
    FridgeReading,
    HealthCertificate,
    LedgerEntry,
    MealCount,
    Menu,
    MenuDish,
    ParentMeal,
    PreShiftCheck,
    PriceChange,
    Sample,
    SatisfactionSurvey,
    Shift,
)
from houqin.core.api import ERRORS, Id, Input, OptionalId, in_scope, needs, paginate, school_for_write
from houqin.core.mixins import AuthenticatedHttpRequest
from houqin.orgs.models import Person, SchoolClass, Semester, Tenant
from houqin.procurement.models import Supplier

router = Router(tags=["canteen"])

Text50 = Field(..., min_length=1, max_length=50)


class DayFilter(Input):
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def _days(queryset, filters: DayFilter, field: str):
    if filters.date_from:
        queryset = queryset.filter(**{f"{field}__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{field}__lte": filters.date_to})
    return queryset


#
# Samples (C1–C4)
#


class SampleIn(Input):
    school_id: OptionalId = None
    meal_date: dt.date
    meal: Meal
    dish: str = Text50
    weight_g: int = Field(..., ge=0, le=100000, description="grams; at least the minimum in force (default 125)")
    taken_at: dt.datetime
    taken_by: str = Field("", max_length=50, description="default: the user recording it")
    fridge: str = Field("", max_length=30)


class SampleOut(ModelSchema):
    class Meta:
        model = Sample
        fields = [
            "id", "school", "meal_date", "meal", "dish", "weight_g", "taken_at", "taken_by", "fridge", "discarded_at",
            "discarded_by",
        ]  # fmt: skip


class SampleFilter(DayFilter):
    meal: Meal | None = None
    kept: bool = Field(False, description="only samples not yet discarded")


@router.post("/samples", auth=needs("canteen.add_sample"), response={201: SampleOut, **ERRORS})
def sample_create(request: AuthenticatedHttpRequest, payload: SampleIn):
    school = school_for_write(request, payload.school_id)
    sample = services.sample_record(actor=request.user, school=school, **payload.dict(exclude={"school_id"}))
    return Status(201, sample)


@router.get("/samples", auth=needs("canteen.view_sample"), response={200: list[SampleOut], **ERRORS})
@paginate
def sample_list(request: AuthenticatedHttpRequest, filters: Query[SampleFilter]):
    samples = _days(Sample.objects.visible_to(request.user), filters, "meal_date")
    if filters.meal:
        samples = samples.filter(meal=filters.meal)
    return samples.filter(discarded_at__isnull=True) if filters.kept else samples


@router.post("/samples/{sample_id}/discard", auth=needs("canteen.change_sample"), response={200: SampleOut, **ERRORS})
def sample_discard(request: AuthenticatedHttpRequest, sample_id: Id):
    sample = in_scope(Sample.objects.all(), request, sample_id)
    return services.sample_discard(actor=request.user, sample=sample)


class MealStatusOut(Schema):
    meal_date: dt.date = Field(..., alias="day")
    meal: str
    dishes: list[str]
    missing_samples: list[str]
    samples_complete: bool
    leaders: list[str]


class DashboardOut(Schema):
    date: dt.date
    meals: list[MealStatusOut]
    samples_to_discard: int
    meals_without_leader: list[MealStatusOut]


class DashboardFilter(Input):
    school_id: OptionalId = None
    date: dt.date | None = None


@router.get("/dashboard", auth=needs("canteen.view_sample"), response={200: DashboardOut, **ERRORS})
def dashboard(request: AuthenticatedHttpRequest, filters: Query[DashboardFilter]):
    """The day's served meals: do the samples cover every dish (C3), which past meals lack 陪餐 (C5)."""
    school = school_for_write(request, filters.school_id)
    day = filters.date or timezone.localdate()
    return {
        "date": day,
        "meals": selectors.meal_statuses(school, day),
        "samples_to_discard": selectors.samples_to_discard(school).count(),
        "meals_without_leader": selectors.meals_without_leader(school, day),
    }


class FridgeIn(Input):
    fridge: str = Field(..., min_length=1, max_length=30)
    celsius: Decimal = Field(..., ge=-40, le=60, max_digits=4, decimal_places=1)
    read_at: dt.datetime | None = None


class FridgeOut(ModelSchema):
    class Meta:
        model = FridgeReading
        fields = ["id", "fridge", "celsius", "read_at", "out_of_range"]


@router.post("/fridge-readings", auth=needs("canteen.add_fridgereading"), response={201: FridgeOut, **ERRORS})
def fridge_create(request: AuthenticatedHttpRequest, payload: FridgeIn):
    school = school_for_write(request, None)
    return Status(201, services.fridge_reading_record(actor=request.user, school=school, **payload.dict()))


@router.get("/fridge-readings", auth=needs("canteen.view_fridgereading"), response={200: list[FridgeOut], **ERRORS})
@paginate
def fridge_list(request: AuthenticatedHttpRequest):
    return FridgeReading.objects.visible_to(request.user)


#
# 陪餐 (C5)
#


class AccompaniedIn(Input):
    school_id: OptionalId = None
    meal_date: dt.date
    meal: Meal
    leader_id: Id = Field(
        ...,
        description="a Person (orgs) of the school whose user is a principal or logistics director, or who is "
        "named as a leader in the canteen settings",
    )
    feedback: str = Field(..., min_length=1, max_length=2000)
    rectification: Rectification = Rectification.NONE
    follow_up: str = Field("", max_length=2000)


class AccompaniedOut(ModelSchema):
    leader_name: str = Field(..., alias="leader.name")

    class Meta:
        model = AccompaniedMeal
        fields = ["id", "meal_date", "meal", "leader", "feedback", "rectification", "follow_up"]


class CanteenFollowUpIn(Input):
    rectification: Rectification
    follow_up: str = Field(..., max_length=2000)


@router.post("/accompanied-meals", auth=needs("canteen.add_accompaniedmeal"), response={201: AccompaniedOut, **ERRORS})
def accompanied_create(request: AuthenticatedHttpRequest, payload: AccompaniedIn):
    school = school_for_write(request, payload.school_id)
    leader = in_scope(Person.objects.select_related("user"), request, payload.leader_id)
    values = payload.dict(exclude={"school_id", "leader_id"})
    record = services.accompanied_meal_record(actor=request.user, school=school, leader=leader, **values)
    return Status(201, record)


@router.get(
    "/accompanied-meals", auth=needs("canteen.view_accompaniedmeal"), response={200: list[AccompaniedOut], **ERRORS}
)
@paginate
def accompanied_list(request: AuthenticatedHttpRequest, filters: Query[DayFilter]):
    return _days(AccompaniedMeal.objects.visible_to(request.user).select_related("leader"), filters, "meal_date")


@router.post(
    "/accompanied-meals/{record_id}/follow-up",
    auth=needs("canteen.change_accompaniedmeal"),
    response={200: AccompaniedOut, **ERRORS},
)
def accompanied_follow_up(request: AuthenticatedHttpRequest, record_id: Id, payload: CanteenFollowUpIn):
    record = in_scope(AccompaniedMeal.objects.select_related("leader"), request, record_id)
    return services.accompanied_meal_follow_up(actor=request.user, record=record, **payload.dict())


class ParentMealIn(Input):
    parent_name: str = Text50
    class_id: Id
    meal_date: dt.date
    meal: Meal = Meal.LUNCH
    price_paid: Decimal = Field(..., ge=0, le=1000, max_digits=8, decimal_places=2)
    feedback: str = Field("", max_length=2000)
    school_response: str = Field("", max_length=2000)


class ParentMealOut(ModelSchema):
    class_id: int = Field(..., alias="school_class_id")

    class Meta:
        model = ParentMeal
        fields = ["id", "parent_name", "meal_date", "meal", "price_paid", "feedback", "school_response"]


@router.post("/parent-meals", auth=needs("canteen.add_parentmeal"), response={201: ParentMealOut, **ERRORS})
def parent_meal_create(request: AuthenticatedHttpRequest, payload: ParentMealIn):
    school_class = in_scope(SchoolClass.objects.all(), request, payload.class_id)
    values = payload.dict(exclude={"class_id"})
    record = services.parent_meal_record(
        actor=request.user, school=school_for_write(request, None), school_class=school_class, **values
    )
    return Status(201, record)


@router.get("/parent-meals", auth=needs("canteen.view_parentmeal"), response={200: list[ParentMealOut], **ERRORS})
@paginate
def parent_meal_list(request: AuthenticatedHttpRequest, filters: Query[DayFilter]):
    return _days(ParentMeal.objects.visible_to(request.user), filters, "meal_date")


#
# Menus (C10, C12) and feedback
#


class MenuIn(Input):
    title: str = Field(..., min_length=1, max_length=100)
    week_start: dt.date
    event: str = Field("", max_length=100, description="a special event menu, e.g. 运动会")


class DishIn(Input):
    day: dt.date
    meal: Meal
    name: str = Text50
    portion_g: int | None = Field(None, ge=1, le=5000)
    allergens: str = Field("", max_length=100)
    vegetarian: bool = False


class DishOut(ModelSchema):
    class Meta:
        model = MenuDish
        fields = ["id", "day", "meal", "name", "portion_g", "allergens", "vegetarian"]


class MenuOut(ModelSchema):
    dishes: list[DishOut]

    class Meta:
        model = Menu
        fields = ["id", "title", "week_start", "event", "status", "published_at"]


def _menu(request: AuthenticatedHttpRequest, menu_id: int) -> Menu:
    return in_scope(Menu.objects.prefetch_related("dishes"), request, menu_id)


@router.post("/menus", auth=needs("canteen.add_menu"), response={201: MenuOut, **ERRORS})
def menu_create(request: AuthenticatedHttpRequest, payload: MenuIn):
    menu = services.menu_create(actor=request.user, school=school_for_write(request, None), **payload.dict())
    return Status(201, _menu(request, menu.pk))


@router.get("/menus", auth=needs("canteen.view_menu"), response={200: list[MenuOut], **ERRORS})
@paginate
def menu_list(request: AuthenticatedHttpRequest):
    return Menu.objects.visible_to(request.user).prefetch_related("dishes")


@router.get("/menus/{menu_id}", auth=needs("canteen.view_menu"), response={200: MenuOut, **ERRORS})
def menu_get(request: AuthenticatedHttpRequest, menu_id: Id):
    return _menu(request, menu_id)


@router.post("/menus/{menu_id}/dishes", auth=needs("canteen.change_menu"), response={201: DishOut, **ERRORS})
def menu_dish_add(request: AuthenticatedHttpRequest, menu_id: Id, payload: DishIn):
    dish = services.menu_add_dish(actor=request.user, menu=_menu(request, menu_id), **payload.dict())
    return Status(201, dish)


@router.post("/menus/{menu_id}/publish", auth=needs("canteen.change_menu"), response={200: MenuOut, **ERRORS})
def menu_publish(request: AuthenticatedHttpRequest, menu_id: Id):
    services.menu_publish(actor=request.user, menu=_menu(request, menu_id))
    return _menu(request, menu_id)


class FeedbackOut(ModelSchema):
    contact: str = Field(..., description="masked")
    dish_name: str | None = Field(None, alias="dish.name")

    class Meta:
        model = Feedback
        fields = ["id", "menu", "dish", "text", "name", "status", "reply", "replied_at", "created_at"]

    @staticmethod
    def resolve_contact(obj: Feedback) -> str:
        return obj.contact_masked


class ReplyIn(Input):
    reply: str = Field(..., min_length=1, max_length=2000)
    close: bool = False


@router.get("/feedback", auth=needs("canteen.view_feedback"), response={200: list[FeedbackOut], **ERRORS})
@paginate
def feedback_list(request: AuthenticatedHttpRequest):
    return Feedback.objects.visible_to(request.user).select_related("dish")


@router.post(
    "/feedback/{feedback_id}/reply", auth=needs("canteen.change_feedback"), response={200: FeedbackOut, **ERRORS}
)
def feedback_reply(request: AuthenticatedHttpRequest, feedback_id: Id, payload: ReplyIn):
    feedback = in_scope(Feedback.objects.select_related("dish"), request, feedback_id)
    return services.feedback_reply(actor=request.user, feedback=feedback, **payload.dict())


#
# Staff health (C6–C7)
#


class CertificateIn(Input):
    person_id: Id
    number: str = Text50
    issued_on: dt.date


class CertificateOut(ModelSchema):
    person_name: str = Field(..., alias="person.name")

    class Meta:
        model = HealthCertificate
        fields = ["id", "person", "number", "issued_on", "expires_on"]


@router.post("/certificates", auth=needs("canteen.add_healthcertificate"), response={201: CertificateOut, **ERRORS})
def certificate_create(request: AuthenticatedHttpRequest, payload: CertificateIn):
    person = in_scope(Person.objects.all(), request, payload.person_id)
    cert = services.certificate_record(
        actor=request.user, school=school_for_write(request, None), person=person, **payload.dict(exclude={"person_id"})
    )
    return Status(201, cert)


@router.get(
    "/certificates", auth=needs("canteen.view_healthcertificate"), response={200: list[CertificateOut], **ERRORS}
)
@paginate
def certificate_list(request: AuthenticatedHttpRequest):
    return HealthCertificate.objects.visible_to(request.user).select_related("person")


class CanteenCheckIn(Input):
    person_id: Id
    day: dt.date | None = None
    fever: bool = False
    diarrhoea: bool = False
    skin_wound: bool = False
    sore_throat: bool = False
    other: str = Field("", max_length=100)


class CanteenCheckOut(ModelSchema):
    person_name: str = Field(..., alias="person.name")
    suspended: bool

    class Meta:
        model = PreShiftCheck
        fields = ["id", "person", "day", "fever", "diarrhoea", "skin_wound", "sore_throat", "other"]


@router.post("/preshift-checks", auth=needs("canteen.add_preshiftcheck"), response={201: CanteenCheckOut, **ERRORS})
def check_create(request: AuthenticatedHttpRequest, payload: CanteenCheckIn):
    person = in_scope(Person.objects.all(), request, payload.person_id)
    check = services.preshift_check_record(
        actor=request.user, school=school_for_write(request, None), person=person, **payload.dict(exclude={"person_id"})
    )
    return Status(201, check)


@router.get(
    "/preshift-checks", auth=needs("canteen.view_preshiftcheck"), response={200: list[CanteenCheckOut], **ERRORS}
)
@paginate
def check_list(request: AuthenticatedHttpRequest, filters: Query[DayFilter]):
    return _days(PreShiftCheck.objects.visible_to(request.user).select_related("person"), filters, "day")


class CanteenShiftIn(Input):
    person_id: Id
    day: dt.date
    post: str = Text50
    food_contact: bool = True


class CanteenShiftOut(ModelSchema):
    person_name: str = Field(..., alias="person.name")

    class Meta:
        model = Shift
        fields = ["id", "person", "day", "post", "food_contact"]


@router.post("/shifts", auth=needs("canteen.add_shift"), response={201: CanteenShiftOut, **ERRORS})
def shift_create(request: AuthenticatedHttpRequest, payload: CanteenShiftIn):
    person = in_scope(Person.objects.all(), request, payload.person_id)
    shift = services.shift_assign(
        actor=request.user, school=school_for_write(request, None), person=person, **payload.dict(exclude={"person_id"})
    )
    return Status(201, shift)


@router.get("/shifts", auth=needs("canteen.view_shift"), response={200: list[CanteenShiftOut], **ERRORS})
@paginate
def shift_list(request: AuthenticatedHttpRequest, filters: Query[DayFilter]):
    return _days(Shift.objects.visible_to(request.user).select_related("person"), filters, "day")


#
# Purchase inspection (C8–C9)
#


class CanteenLineIn(Input):
    name: str = Field(..., min_length=1, max_length=100)
    spec: str = Field("", max_length=50)
    quantity: Decimal = Field(..., gt=0, max_digits=12, decimal_places=3)
    unit: str = Field(..., min_length=1, max_length=10)
    production_date: dt.date | None = None
    batch: str = Field("", max_length=50)
    shelf_life_days: int | None = Field(None, ge=1, le=36500)
    certificate: str = Field("", max_length=100)
    kind: PurchaseKind


class DeliveryIn(Input):
    supplier_id: Id
    purchased_on: dt.date
    inspector_id: Id
    second_inspector_id: OptionalId = None
    lines: list[CanteenLineIn] = Field(..., min_length=1, max_length=200)


class CanteenLineOut(ModelSchema):
    class Meta:
        model = DeliveryLine
        fields = [
            "id", "name", "spec", "quantity", "unit", "production_date", "batch", "shelf_life_days", "certificate",
            "kind", "keep_until",
        ]  # fmt: skip


class DeliveryOut(ModelSchema):
    supplier_name: str = Field(..., alias="supplier.name")
    lines: list[CanteenLineOut]

    class Meta:
        model = Delivery
        fields = ["id", "supplier", "purchased_on", "inspector", "second_inspector", "keep_until"]


def _delivery(request: AuthenticatedHttpRequest, delivery_id: int) -> Delivery:
    return in_scope(Delivery.objects.select_related("supplier").prefetch_related("lines"), request, delivery_id)


@router.post("/deliveries", auth=needs("canteen.add_delivery"), response={201: DeliveryOut, **ERRORS})
def delivery_create(request: AuthenticatedHttpRequest, payload: DeliveryIn):
    second = payload.second_inspector_id
    delivery = services.delivery_record(
        actor=request.user,
        school=school_for_write(request, None),
        supplier=in_scope(Supplier.objects.all(), request, payload.supplier_id),
        purchased_on=payload.purchased_on,
        inspector=in_scope(Person.objects.all(), request, payload.inspector_id),
        second_inspector=in_scope(Person.objects.all(), request, second) if second else None,
        lines=[line.dict() for line in payload.lines],
    )
    return Status(201, _delivery(request, delivery.pk))


@router.get("/deliveries", auth=needs("canteen.view_delivery"), response={200: list[DeliveryOut], **ERRORS})
@paginate
def delivery_list(request: AuthenticatedHttpRequest, filters: Query[DayFilter]):
    deliveries = Delivery.objects.visible_to(request.user).select_related("supplier").prefetch_related("lines")
    return _days(deliveries, filters, "purchased_on")


@router.delete("/deliveries/{delivery_id}", auth=needs("canteen.delete_delivery"), response={204: None, **ERRORS})
def delivery_delete(request: AuthenticatedHttpRequest, delivery_id: Id):
    services.delivery_delete(actor=request.user, delivery=_delivery(request, delivery_id))
    return Status(204, None)


#
# Tableware disinfection (C11)
#


class DisinfectionIn(Input):
    method: DisinfectionMethod
    temperature_c: int | None = Field(None, ge=0, le=300)
    chlorine_mg_l: int | None = Field(None, ge=0, le=100000)
    duration_s: int = Field(..., ge=0, le=86400, description="contact time in seconds")
    items: str = Field(..., min_length=1, max_length=100)
    operator: str = Text50
    done_at: dt.datetime | None = None


class DisinfectionOut(ModelSchema):
    class Meta:
        model = Disinfection
        fields = ["id", "done_at", "method", "temperature_c", "chlorine_mg_l", "duration_s", "items", "operator"]


@router.post("/disinfections", auth=needs("canteen.add_disinfection"), response={201: DisinfectionOut, **ERRORS})
def disinfection_create(request: AuthenticatedHttpRequest, payload: DisinfectionIn):
    entry = services.disinfection_record(actor=request.user, school=school_for_write(request, None), **payload.dict())
    return Status(201, entry)


@router.get("/disinfections", auth=needs("canteen.view_disinfection"), response={200: list[DisinfectionOut], **ERRORS})
@paginate
def disinfection_list(request: AuthenticatedHttpRequest):
    return Disinfection.objects.visible_to(request.user)


#
# Meal counts, ledger, prices (C14)
#


class MealCountIn(Input):
    month: dt.date
    tenant_id: OptionalId = None
    diners: int = Field(..., ge=0, le=100000)
    meals: int = Field(..., ge=0, le=10000000)
    unit_price: Decimal = Field(..., ge=0, le=1000, max_digits=8, decimal_places=2)
    offset_against_rent: bool = False


class MealCountOut(ModelSchema):
    amount: Decimal

    class Meta:
        model = MealCount
        fields = ["id", "month", "tenant", "diners", "meals", "unit_price", "offset_against_rent"]


@router.post("/meal-counts", auth=needs("canteen.add_mealcount"), response={201: MealCountOut, **ERRORS})
def meal_count_create(request: AuthenticatedHttpRequest, payload: MealCountIn):
    tenant = in_scope(Tenant.objects.all(), request, payload.tenant_id) if payload.tenant_id else None
    count = services.meal_count_record(
        actor=request.user, school=school_for_write(request, None), tenant=tenant, **payload.dict(exclude={"tenant_id"})
    )
    return Status(201, count)


@router.get("/meal-counts", auth=needs("canteen.view_mealcount"), response={200: list[MealCountOut], **ERRORS})
@paginate
def meal_count_list(request: AuthenticatedHttpRequest):
    return MealCount.objects.visible_to(request.user)


class LedgerIn(Input):
    occurred_on: dt.date
    direction: Direction
    category: LedgerCategory
    amount: Decimal = Field(..., gt=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=200)


class LedgerOut(ModelSchema):
    class Meta:
        model = LedgerEntry
        fields = ["id", "occurred_on", "direction", "category", "amount", "note"]


@router.post("/ledger", auth=needs("canteen.add_ledgerentry"), response={201: LedgerOut, **ERRORS})
def ledger_create(request: AuthenticatedHttpRequest, payload: LedgerIn):
    entry = services.ledger_post(actor=request.user, school=school_for_write(request, None), **payload.dict())
    return Status(201, entry)


@router.get("/ledger", auth=needs("canteen.view_ledgerentry"), response={200: list[LedgerOut], **ERRORS})
@paginate
def ledger_list(request: AuthenticatedHttpRequest, filters: Query[DayFilter]):
    return _days(LedgerEntry.objects.visible_to(request.user), filters, "occurred_on")


class PriceIn(Input):
    meal: Meal
    new_price: Decimal = Field(..., gt=0, le=1000, max_digits=8, decimal_places=2)
    effective_on: dt.date
    decision_record: str = Field(..., min_length=1, max_length=200, description="the collective decision (会议纪要)")
    published_on: dt.date


class PriceOut(ModelSchema):
    class Meta:
        model = PriceChange
        fields = ["id", "meal", "new_price", "effective_on", "decision_record", "published_on"]


@router.post("/price-changes", auth=needs("canteen.add_pricechange"), response={201: PriceOut, **ERRORS})
def price_create(request: AuthenticatedHttpRequest, payload: PriceIn):
    change = services.price_change_record(actor=request.user, school=school_for_write(request, None), **payload.dict())
    return Status(201, change)


@router.get("/price-changes", auth=needs("canteen.view_pricechange"), response={200: list[PriceOut], **ERRORS})
@paginate
def price_list(request: AuthenticatedHttpRequest):
    return PriceChange.objects.visible_to(request.user)


#
# Food incidents (C15)
#


class IncidentIn(Input):
    meal_date: dt.date
    meal: Meal
    occurred_at: dt.datetime
    description: str = Field(..., min_length=1, max_length=2000)
    affected: int = Field(0, ge=0, le=100000)
    samples_secured: bool = False


class IncidentUpdateIn(Input):
    status: IncidentStatus
    reported_at: dt.datetime | None = None
    samples_secured: bool | None = None


class IncidentOut(ModelSchema):
    class Meta:
        model = FoodIncident
        fields = [
            "id", "meal_date", "meal", "occurred_at", "description", "affected", "reported_at", "samples_secured",
            "status",
        ]  # fmt: skip


@router.post("/incidents", auth=needs("canteen.add_foodincident"), response={201: IncidentOut, **ERRORS})
def incident_create(request: AuthenticatedHttpRequest, payload: IncidentIn):
    incident = services.incident_open(actor=request.user, school=school_for_write(request, None), **payload.dict())
    return Status(201, incident)


@router.get("/incidents", auth=needs("canteen.view_foodincident"), response={200: list[IncidentOut], **ERRORS})
@paginate
def incident_list(request: AuthenticatedHttpRequest):
    return FoodIncident.objects.visible_to(request.user)


@router.post(
    "/incidents/{incident_id}", auth=needs("canteen.change_foodincident"), response={200: IncidentOut, **ERRORS}
)
def incident_update(request: AuthenticatedHttpRequest, incident_id: Id, payload: IncidentUpdateIn):
    incident = in_scope(FoodIncident.objects.all(), request, incident_id)
    values = payload.dict(exclude_none=True)
    return services.incident_update(actor=request.user, incident=incident, **values)


#
# Governance (C13): satisfaction surveys and the parents' dining committee
#


class SurveyIn(Input):
    semester_id: Id
    held_on: dt.date
    respondents: int = Field(..., ge=1, le=100000)
    satisfied: int = Field(..., ge=0, le=100000, description="satisfied or very satisfied")
    summary: str = Field("", max_length=2000)


class SurveyOut(ModelSchema):
    rate: float

    class Meta:
        model = SatisfactionSurvey
        fields = ["id", "semester", "held_on", "respondents", "satisfied", "summary"]


class SemesterFilter(Input):
    semester_id: OptionalId = None


@router.post("/surveys", auth=needs("canteen.add_satisfactionsurvey"), response={201: SurveyOut, **ERRORS})
def survey_create(request: AuthenticatedHttpRequest, payload: SurveyIn):
    values = payload.dict()
    semester = in_scope(Semester.objects.all(), request, values.pop("semester_id"))
    survey = services.survey_record(
        actor=request.user, school=school_for_write(request, None), semester=semester, **values
    )
    return Status(201, survey)


@router.get("/surveys", auth=needs("canteen.view_satisfactionsurvey"), response={200: list[SurveyOut], **ERRORS})
@paginate
def survey_list(request: AuthenticatedHttpRequest, filters: Query[SemesterFilter]):
    surveys = SatisfactionSurvey.objects.visible_to(request.user)
    return surveys.filter(semester_id=filters.semester_id) if filters.semester_id else surveys


class CommitteeMemberIn(Input):
    semester_id: Id
    name: str = Text50
    school_class_id: Id
    phone: str = Field("", max_length=20)
    declared_on: dt.date = Field(..., description="the day the conflict-of-interest declaration was signed")
    interests: str = Field("", max_length=200, description="ties to suppliers or the operator; empty if none")


class CommitteeMemberOut(ModelSchema):
    phone: str = Field(..., alias="phone_masked")
    grade: int = Field(..., alias="school_class.grade")

    class Meta:
        model = CommitteeMember
        fields = ["id", "semester", "name", "school_class", "declared_on", "interests"]


class CommitteeStatusOut(Schema):
    semester_id: int
    members: int
    minimum: int
    grades: list[int]
    missing_grades: list[int]
    complete: bool
    survey_count: int


@router.post(
    "/committee-members", auth=needs("canteen.add_committeemember"), response={201: CommitteeMemberOut, **ERRORS}
)
def committee_member_create(request: AuthenticatedHttpRequest, payload: CommitteeMemberIn):
    values = payload.dict()
    semester = in_scope(Semester.objects.all(), request, values.pop("semester_id"))
    school_class = in_scope(SchoolClass.objects.all(), request, values.pop("school_class_id"))
    member = services.committee_member_add(
        actor=request.user, school=school_for_write(request, None), semester=semester, school_class=school_class,
        **values,
    )  # fmt: skip
    return Status(201, CommitteeMember.objects.select_related("school_class").get(pk=member.pk))


@router.get(
    "/committee-members",
    auth=needs("canteen.view_committeemember"),
    response={200: list[CommitteeMemberOut], **ERRORS},
)
@paginate
def committee_member_list(request: AuthenticatedHttpRequest, filters: Query[SemesterFilter]):
    members = CommitteeMember.objects.visible_to(request.user).select_related("school_class")
    return members.filter(semester_id=filters.semester_id) if filters.semester_id else members


@router.delete(
    "/committee-members/{member_id}", auth=needs("canteen.delete_committeemember"), response={204: None, **ERRORS}
)
def committee_member_delete(request: AuthenticatedHttpRequest, member_id: Id):
    services.committee_member_remove(
        actor=request.user, member=in_scope(CommitteeMember.objects.all(), request, member_id)
    )
    return Status(204, None)


@router.get(
    "/committee-status/{semester_id}",
    auth=needs("canteen.view_committeemember"),
    response={200: CommitteeStatusOut, **ERRORS},
)
def committee_status(request: AuthenticatedHttpRequest, semester_id: Id):
    """The committee against C13 (≥ 7 members, every grade) and the semester's surveys, for the user's school."""
    semester = in_scope(Semester.objects.all(), request, semester_id)
    school = school_for_write(request, None)
    status = selectors.committee_status(school, semester)
    return {
        "semester_id": semester.pk,
        "members": len(status.members),
        "minimum": status.minimum,
        "grades": status.grades,
        "missing_grades": status.missing_grades,
        "complete": status.complete,
        "survey_count": SatisfactionSurvey.objects.filter(school=school, semester=semester).count(),
    }
