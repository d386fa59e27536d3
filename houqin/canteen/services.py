"""Every write of the canteen: samples (C1–C4), 陪餐 (C5), staff health (C6–C7), purchase inspection (C8–C9),
banned items (C10), disinfection (C11), menus and parent feedback (C12), accounts (C14) and incidents (C15)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.accounts.roles import Role
from houqin.canteen.choices import (
    NOT_CANTEEN_INCOME,
    Direction,
    DisinfectionMethod,
    FeedbackStatus,
    IncidentStatus,
    MenuStatus,
    PurchaseKind,
)
from houqin.canteen.models import (
    AccompaniedMeal,
    CanteenProfile,
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
    add_months,
)
from houqin.core import audit
from houqin.core.crud import create_audited, lock, require_perm, require_same_school, update_audited
from houqin.core.policies import policy

if TYPE_CHECKING:
    from houqin.accounts.models import User
    from houqin.orgs.models import Person, School, SchoolClass, Semester, Tenant
    from houqin.procurement.models import Supplier

SAMPLE_TOO_LIGHT = gettext_noop("A food sample must weigh at least %(min)s g (this one: %(weight)s g).")
IN_FUTURE = gettext_noop("The time cannot be in the future.")
TOO_OLD = gettext_noop("The time is too far in the past.")
REQUIRED = gettext_noop("This field is required.")
ALREADY_DISCARDED = gettext_noop("This sample was already discarded.")
TOO_EARLY_TO_DISCARD = gettext_noop(
    "Samples are kept at least %(hours)s hours: this one may be discarded from %(time)s."
)
INCIDENT_OPEN = gettext_noop("A food incident is open for this meal: its samples are kept until it is closed.")
NOT_A_LEADER = gettext_noop(
    "%(person)s is not a school leader: 陪餐 is recorded by the principal, the logistics "
    "director or a leader named in the canteen settings."
)
BANNED_DISH = gettext_noop("“%(dish)s” may not be served in a school canteen (banned: %(item)s).")
NITRITE = gettext_noop("Nitrite (亚硝酸盐) may not be bought, stored or used by a school canteen.")
BANNED_PURCHASE = gettext_noop("“%(name)s” may not be bought for a school canteen (banned: %(item)s).")
LICENCE_MISSING = gettext_noop("The supplier has no licence on record: enter its licence number and expiry first.")
LICENCE_EXPIRED = gettext_noop("The supplier's licence expired on %(date)s, before the purchase date.")
TWO_INSPECTORS = gettext_noop("Bulk ingredients are inspected by two different people.")
NO_LINES = gettext_noop("A delivery has at least one line.")
KEEP_UNTIL = gettext_noop("Purchase records are kept until %(date)s; they cannot be deleted before.")
NOT_CERTIFIED = gettext_noop("%(person)s has no valid health certificate on %(day)s: no food-contact shift.")
SUSPENDED = gettext_noop("%(person)s failed the pre-shift check on %(day)s and is suspended from food contact.")
DISINFECTION_TOO_WEAK = gettext_noop("%(method)s needs at least %(minimum)s.")
NOT_CANTEEN_MONEY = gettext_noop("Rent and shop income belong to the school, not to the canteen's accounts.")
NOT_POSITIVE = gettext_noop("Must be greater than 0.")
TENANT_NEEDED = gettext_noop("Only a tenant's meals can be offset against its rent.")
PUBLISH_BEFORE = gettext_noop("The new price is published before it applies.")
NOT_REPORTED = gettext_noop("Report the incident to the authorities (report time) before it leaves “open”.")
MENU_PUBLISHED = gettext_noop("This menu is already published.")
MENU_EMPTY = gettext_noop("A menu needs at least one dish before it is published.")
DAY_OUTSIDE_MENU = gettext_noop("The day is outside the menu's week.")
TOO_MANY_FEEDBACK = gettext_noop("Too many messages from this network: please try again in an hour.")
FEEDBACK_CLOSED = gettext_noop("This feedback is closed.")
NOT_PUBLISHED = gettext_noop("This menu is not published.")

OUTSIDE_SEMESTER = gettext_noop("The day is outside the semester (%(start)s – %(end)s).")
NOT_DISTRICT_SEMESTER = gettext_noop("This semester is not one of the school's district.")
MORE_SATISFIED = gettext_noop("There cannot be more satisfied people than respondents.")
ALREADY_MEMBER = gettext_noop("%(name)s is already on this semester's dining committee.")
DECLARATION_NEEDED = gettext_noop(
    "Every member signs a conflict-of-interest declaration: enter the date it was signed."
)

NITRITE_WORDS = ("亚硝酸", "nitrite")
LEADER_ROLES = frozenset({Role.PRINCIPAL, Role.LOGISTICS_HEAD})
FEEDBACK_PER_HOUR = 5


def _required(**values: str) -> None:
    missing = {field: _(REQUIRED) for field, value in values.items() if not (value or "").strip()}
    if missing:
        raise ValidationError(missing)


def _not_future(moment: dt.datetime | None, field: str) -> dt.datetime:
    now = timezone.now()
    if moment is None:
        return now
    if moment > now + dt.timedelta(minutes=5):
        raise ValidationError({field: _(IN_FUTURE)})
    if moment.year < 2000:
        raise ValidationError({field: _(TOO_OLD)})
    return moment


def profile_for(school: School) -> CanteenProfile:
    profile, _created = CanteenProfile.objects.get_or_create(school=school)
    return profile


#
# Samples (C1–C4)
#


def sample_min_grams(school: School, day: dt.date) -> int:
    return policy("canteen.sample_min_grams", school=school, on=day)


@transaction.atomic
def sample_record(
    *,
    actor: User,
    school: School,
    meal_date: dt.date,
    meal: str,
    dish: str,
    weight_g: int,
    taken_at: dt.datetime | None = None,
    taken_by: str = "",
    fridge: str = "",
) -> Sample:
    """Record the sample of one dish (C1): below the minimum weight in force it is refused, naming weight_g."""
    require_perm(actor, "canteen.add_sample")
    _required(dish=dish)
    minimum = sample_min_grams(school, meal_date)
    if weight_g < minimum:
        raise ValidationError({"weight_g": _(SAMPLE_TOO_LIGHT) % {"min": minimum, "weight": weight_g}})
    values = {
        "school": school,
        "meal_date": meal_date,
        "meal": meal,
        "dish": dish.strip(),
        "weight_g": weight_g,
        "taken_at": _not_future(taken_at, "taken_at"),
        "taken_by": (taken_by or actor.name or actor.username).strip(),
        "fridge": fridge.strip(),
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=Sample, values=values)


def discard_from(sample: Sample) -> dt.datetime:
    hours = policy("canteen.sample_retention_hours", school=sample.school, on=sample.meal_date)
    return sample.taken_at + dt.timedelta(hours=hours)


def open_incident_for(school: Any, meal_date: dt.date, meal: str) -> bool:
    return (
        FoodIncident.objects.filter(school=school, meal_date=meal_date, meal=meal)
        .exclude(status=IncidentStatus.CLOSED)
        .exists()
    )


@transaction.atomic
def sample_discard(*, actor: User, sample: Sample, now: dt.datetime | None = None) -> Sample:
    """Discard a sample (C2): not before taken_at + the retention hours, not while an incident is open (C15)."""
    require_perm(actor, "canteen.change_sample")
    sample = lock(Sample, sample.pk)
    now = now or timezone.now()
    if sample.discarded_at is not None:
        raise ValidationError(_(ALREADY_DISCARDED))
    allowed_from = discard_from(sample)
    if now < allowed_from:
        hours = policy("canteen.sample_retention_hours", school=sample.school, on=sample.meal_date)
        when = f"{timezone.localtime(allowed_from):%Y-%m-%d %H:%M}"
        raise ValidationError(_(TOO_EARLY_TO_DISCARD) % {"hours": hours, "time": when})
    if open_incident_for(sample.school_id, sample.meal_date, sample.meal):
        raise ValidationError(_(INCIDENT_OPEN))
    sample.discarded_at, sample.discarded_by = now, actor
    sample.save(update_fields=["discarded_at", "discarded_by", "updated_at"])
    audit.record(actor=actor, action="canteen.sample.discarded", target=sample, changes={"discarded_at": [None, now]})
    return sample


@transaction.atomic
def fridge_reading_record(
    *, actor: User, school: School, fridge: str, celsius: Decimal, read_at: dt.datetime | None = None
) -> FridgeReading:
    """A fridge temperature (C4); outside the policy range it is saved as an alert."""
    require_perm(actor, "canteen.add_fridgereading")
    _required(fridge=fridge)
    read_at = _not_future(read_at, "read_at")
    day = timezone.localtime(read_at).date()
    low = policy("canteen.fridge_min_celsius", school=school, on=day)
    high = policy("canteen.fridge_max_celsius", school=school, on=day)
    values = {
        "school": school,
        "fridge": fridge.strip(),
        "celsius": celsius,
        "read_at": read_at,
        "out_of_range": not (low <= celsius <= high),
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=FridgeReading, values=values)


#
# 陪餐 (C5)
#


def is_leader(person: Person) -> bool:
    """A school leader for 陪餐: a principal or logistics director by role, or named in the canteen settings."""
    user = getattr(person, "user", None)
    if user is not None and user.is_active and user.role_codes & LEADER_ROLES:
        return True
    return CanteenProfile.objects.filter(school_id=person.school_id, leaders=person).exists()


@transaction.atomic
def accompanied_meal_record(
    *,
    actor: User,
    school: School,
    meal_date: dt.date,
    meal: str,
    leader: Person,
    feedback: str,
    rectification: str = "none",
    follow_up: str = "",
) -> AccompaniedMeal:
    """A leader's 陪餐 with the students (C5)."""
    require_perm(actor, "canteen.add_accompaniedmeal")
    require_same_school(school, leader=leader)
    _required(feedback=feedback)
    if not is_leader(leader):
        raise ValidationError({"leader_id": _(NOT_A_LEADER) % {"person": leader}})
    values = {
        "school": school,
        "meal_date": meal_date,
        "meal": meal,
        "leader": leader,
        "feedback": feedback.strip(),
        "rectification": rectification,
        "follow_up": follow_up.strip(),
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=AccompaniedMeal, values=values)


@transaction.atomic
def accompanied_meal_follow_up(
    *, actor: User, record: AccompaniedMeal, rectification: str, follow_up: str
) -> AccompaniedMeal:
    require_perm(actor, "canteen.change_accompaniedmeal")
    values = {"rectification": rectification, "follow_up": follow_up.strip()}
    return update_audited(actor=actor, instance=lock(AccompaniedMeal, record.pk), values=values)


@transaction.atomic
def parent_meal_record(
    *,
    actor: User,
    school: School,
    parent_name: str,
    school_class: SchoolClass,
    meal_date: dt.date,
    price_paid: Decimal,
    meal: str = "lunch",
    feedback: str = "",
    school_response: str = "",
) -> ParentMeal:
    """A parent's 陪餐 (same dish, same price) and the school's response."""
    require_perm(actor, "canteen.add_parentmeal")
    require_same_school(school, school_class=school_class)
    _required(parent_name=parent_name)
    values = {
        "school": school,
        "parent_name": parent_name.strip(),
        "school_class": school_class,
        "meal_date": meal_date,
        "meal": meal,
        "price_paid": price_paid,
        "feedback": feedback.strip(),
        "school_response": school_response.strip(),
    }
    return create_audited(actor=actor, model=ParentMeal, values=values)


#
# Menus (C10, C12) and parent feedback
#


def banned_item(school: School, name: str, on: dt.date | None = None) -> str | None:
    """The banned word the dish name contains (C10), if any."""
    banned = policy("canteen.banned_dishes", school=school, on=on)
    words = [word.strip() for word in str(banned).replace("，", ",").split(",") if word.strip()]
    return next((word for word in words if word in name), None)


@transaction.atomic
def menu_create(*, actor: User, school: School, title: str, week_start: dt.date, event: str = "") -> Menu:
    require_perm(actor, "canteen.add_menu")
    _required(title=title)
    values = {"school": school, "title": title.strip(), "week_start": week_start, "event": event.strip()}
    return create_audited(actor=actor, model=Menu, values=values)


@transaction.atomic
def menu_add_dish(
    *,
    actor: User,
    menu: Menu,
    day: dt.date,
    meal: str,
    name: str,
    portion_g: int | None = None,
    allergens: str = "",
    vegetarian: bool = False,
) -> MenuDish:
    """Add a dish to a menu; a banned dish is refused (C10)."""
    require_perm(actor, "canteen.change_menu")
    menu = lock(Menu, menu.pk)
    _required(name=name)
    if menu.status == MenuStatus.PUBLISHED:
        raise ValidationError(_(MENU_PUBLISHED))
    if not menu.week_start <= day < menu.week_start + dt.timedelta(days=7):
        raise ValidationError({"day": _(DAY_OUTSIDE_MENU)})
    item = banned_item(menu.school, name, day)
    if item:
        raise ValidationError({"name": _(BANNED_DISH) % {"dish": name.strip(), "item": item}})
    dish = MenuDish(
        menu=menu,
        day=day,
        meal=meal,
        name=name.strip(),
        portion_g=portion_g,
        allergens=allergens,
        vegetarian=vegetarian,
    )
    dish.full_clean()
    dish.save()
    audit.record(actor=actor, action="canteen.menu.dish_added", target=menu, changes={"dish": [None, dish.name]})
    return dish


@transaction.atomic
def menu_publish(*, actor: User, menu: Menu) -> Menu:
    """Publish a menu to the parents' page with its publication time (C12)."""
    require_perm(actor, "canteen.change_menu")
    menu = lock(Menu, menu.pk)
    if menu.status == MenuStatus.PUBLISHED:
        raise ValidationError(_(MENU_PUBLISHED))
    if not menu.dishes.exists():
        raise ValidationError(_(MENU_EMPTY))
    return update_audited(
        actor=actor, instance=menu, values={"status": MenuStatus.PUBLISHED, "published_at": timezone.now()}
    )


def _rate_limited(ip: str) -> bool:
    key = f"canteen-feedback:{ip}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > FEEDBACK_PER_HOUR


@transaction.atomic
def feedback_submit(
    *, menu: Menu, text: str, ip: str, dish: MenuDish | None = None, name: str = "", contact: str = ""
) -> Feedback:
    """A parent's comment from the public page (no login): at most a few per network per hour."""
    _required(text=text)
    if menu.status != MenuStatus.PUBLISHED:
        raise ValidationError(_(NOT_PUBLISHED))
    if dish is not None and dish.menu_id != menu.pk:
        raise ValidationError({"dish": _(DAY_OUTSIDE_MENU)})
    if _rate_limited(ip):
        raise ValidationError(_(TOO_MANY_FEEDBACK))
    feedback = Feedback(
        school_id=menu.school_id, menu=menu, dish=dish, text=text.strip(), name=name.strip(), contact=contact.strip()
    )
    feedback.full_clean()
    feedback.save()
    audit.record(actor=None, action="canteen.feedback.created", target=feedback, school=menu.school)
    return feedback


@transaction.atomic
def feedback_reply(*, actor: User, feedback: Feedback, reply: str, close: bool = False) -> Feedback:
    require_perm(actor, "canteen.change_feedback")
    feedback = lock(Feedback, feedback.pk)
    _required(reply=reply)
    if feedback.status == FeedbackStatus.CLOSED:
        raise ValidationError(_(FEEDBACK_CLOSED))
    values = {
        "reply": reply.strip(),
        "status": FeedbackStatus.CLOSED if close else FeedbackStatus.REPLIED,
        "replied_at": timezone.now(),
        "replied_by": actor,
    }
    return update_audited(actor=actor, instance=feedback, values=values)


#
# Staff health (C6–C7)
#


@transaction.atomic
def certificate_record(
    *, actor: User, school: School, person: Person, number: str, issued_on: dt.date
) -> HealthCertificate:
    """A health certificate, valid one year from issue (C6)."""
    require_perm(actor, "canteen.add_healthcertificate")
    require_same_school(school, person=person)
    _required(number=number)
    values = {
        "school": school,
        "person": person,
        "number": number.strip(),
        "issued_on": issued_on,
        "expires_on": add_months(issued_on, 12),
    }
    return create_audited(actor=actor, model=HealthCertificate, values=values)


def has_valid_certificate(person: Person, day: dt.date) -> bool:
    return HealthCertificate.objects.filter(person=person, issued_on__lte=day, expires_on__gt=day).exists()


@transaction.atomic
def preshift_check_record(
    *,
    actor: User,
    school: School,
    person: Person,
    day: dt.date | None = None,
    fever: bool = False,
    diarrhoea: bool = False,
    skin_wound: bool = False,
    sore_throat: bool = False,
    other: str = "",
) -> PreShiftCheck:
    """The daily pre-shift check (C7): any symptom suspends the person from food contact that day."""
    require_perm(actor, "canteen.add_preshiftcheck")
    require_same_school(school, person=person)
    values = {
        "school": school,
        "person": person,
        "day": day or timezone.localdate(),
        "fever": fever,
        "diarrhoea": diarrhoea,
        "skin_wound": skin_wound,
        "sore_throat": sore_throat,
        "other": other.strip(),
        "checked_by": actor,
    }
    return create_audited(actor=actor, model=PreShiftCheck, values=values)


def is_suspended(person: Person, day: dt.date) -> bool:
    check = PreShiftCheck.objects.filter(person=person, day=day).first()
    return check is not None and check.suspended


@transaction.atomic
def shift_assign(
    *, actor: User, school: School, person: Person, day: dt.date, post: str, food_contact: bool = True
) -> Shift:
    """Put someone on a shift; a food-contact post needs a valid certificate and no suspension that day."""
    require_perm(actor, "canteen.add_shift")
    require_same_school(school, person=person)
    _required(post=post)
    if food_contact:
        names = {"person": person, "day": day}
        if not has_valid_certificate(person, day):
            raise ValidationError({"person_id": _(NOT_CERTIFIED) % names})
        if is_suspended(person, day):
            raise ValidationError({"person_id": _(SUSPENDED) % names})
    values = {"school": school, "person": person, "day": day, "post": post.strip(), "food_contact": food_contact}
    return create_audited(actor=actor, model=Shift, values=values)


#
# Purchase inspection (C8–C9)
#


def earliest_deletion(
    *, kind: str, purchased_on: dt.date, production_date: dt.date | None, shelf_life_days: int | None
) -> dt.date:
    """C9: farm produce purchase + 6 months; with a shelf life its end + 6 months; without one purchase + 2 years."""
    if kind == PurchaseKind.FARM:
        return add_months(purchased_on, 6)
    if shelf_life_days:
        shelf_end = (production_date or purchased_on) + dt.timedelta(days=shelf_life_days)
        return add_months(shelf_end, 6)
    return add_months(purchased_on, 24)


def _check_supplier(supplier: Supplier, purchased_on: dt.date) -> None:
    if not supplier.licence_number or supplier.licence_expires_on is None:
        raise ValidationError({"supplier_id": _(LICENCE_MISSING)})
    if supplier.licence_expires_on < purchased_on:
        raise ValidationError({"supplier_id": _(LICENCE_EXPIRED) % {"date": supplier.licence_expires_on}})


def _check_line(school: School, purchased_on: dt.date, index: int, line: dict[str, Any]) -> None:
    _required(**{f"lines.{index}.name": line.get("name", ""), f"lines.{index}.unit": line.get("unit", "")})
    if any(word in line["name"].lower() for word in NITRITE_WORDS):
        raise ValidationError({f"lines.{index}.name": _(NITRITE)})
    item = banned_item(school, line["name"], purchased_on)
    if item:
        raise ValidationError(
            {f"lines.{index}.name": _(BANNED_PURCHASE) % {"name": line["name"].strip(), "item": item}}
        )
    if line.get("quantity") is not None and line["quantity"] <= 0:
        raise ValidationError({f"lines.{index}.quantity": _(NOT_POSITIVE)})


@transaction.atomic
def delivery_record(
    *,
    actor: User,
    school: School,
    supplier: Supplier,
    purchased_on: dt.date,
    inspector: Person,
    lines: Iterable[dict[str, Any]],
    second_inspector: Person | None = None,
) -> Delivery:
    """A delivery inspected on receipt (C8): licence valid on the date, no nitrite nor a banned item (C10), two
    inspectors for bulk. Line errors name the line: "lines.<index>.<field>"."""
    require_perm(actor, "canteen.add_delivery")
    require_same_school(school, supplier=supplier, inspector=inspector, second_inspector=second_inspector)
    lines = list(lines)
    if not lines:
        raise ValidationError({"lines": _(NO_LINES)})
    _check_supplier(supplier, purchased_on)
    for index, line in enumerate(lines):
        _check_line(school, purchased_on, index, line)
    bulk = any(line["kind"] == PurchaseKind.BULK for line in lines)
    if bulk and (second_inspector is None or second_inspector.pk == inspector.pk):
        raise ValidationError({"second_inspector_id": _(TWO_INSPECTORS)})
    rows = [
        DeliveryLine(
            keep_until=earliest_deletion(
                kind=line["kind"],
                purchased_on=purchased_on,
                production_date=line.get("production_date"),
                shelf_life_days=line.get("shelf_life_days"),
            ),
            **line,
        )
        for line in lines
    ]
    values = {
        "school": school,
        "supplier": supplier,
        "purchased_on": purchased_on,
        "inspector": inspector,
        "second_inspector": second_inspector,
        "keep_until": max(row.keep_until for row in rows),
        "recorded_by": actor,
    }
    delivery = create_audited(actor=actor, model=Delivery, values=values)
    for row in rows:
        row.delivery = delivery
        row.full_clean()
    DeliveryLine.objects.bulk_create(rows)
    return delivery


@transaction.atomic
def delivery_delete(*, actor: User, delivery: Delivery, today: dt.date | None = None) -> None:
    """Delete a purchase record, never before its earliest deletion date (C9)."""
    require_perm(actor, "canteen.delete_delivery")
    delivery = lock(Delivery, delivery.pk)
    if (today or timezone.localdate()) < delivery.keep_until:
        raise ValidationError(_(KEEP_UNTIL) % {"date": delivery.keep_until})
    audit.record(actor=actor, action="canteen.delivery.deleted", target=delivery, message=str(delivery))
    delivery.delete()


#
# Tableware disinfection (C11)
#

# method -> (minimum °C or mg/L, minimum seconds, which parameter)
DISINFECTION_MINIMUMS: dict[str, tuple[int, int, str]] = {
    DisinfectionMethod.BOILING: (100, 600, "temperature_c"),
    DisinfectionMethod.STEAM: (100, 600, "temperature_c"),
    DisinfectionMethod.INFRARED: (120, 600, "temperature_c"),
    DisinfectionMethod.DISHWASHER: (85, 40, "temperature_c"),
    DisinfectionMethod.CHLORINE: (250, 300, "chlorine_mg_l"),
}


def _minimum_text(method: str) -> str:
    level, seconds, parameter = DISINFECTION_MINIMUMS[method]
    unit = "mg/L" if parameter == "chlorine_mg_l" else "°C"
    duration = f"{seconds // 60} min" if seconds >= 60 else f"{seconds} s"
    return f"{level} {unit} / {duration}"


@transaction.atomic
def disinfection_record(
    *,
    actor: User,
    school: School,
    method: str,
    duration_s: int,
    items: str,
    operator: str,
    temperature_c: int | None = None,
    chlorine_mg_l: int | None = None,
    done_at: dt.datetime | None = None,
) -> Disinfection:
    """A tableware disinfection entry; below the method's temperature/concentration or time it is refused (C11)."""
    require_perm(actor, "canteen.add_disinfection")
    _required(items=items, operator=operator)
    level, seconds, parameter = DISINFECTION_MINIMUMS[method]
    value = temperature_c if parameter == "temperature_c" else chlorine_mg_l
    message = _(DISINFECTION_TOO_WEAK) % {
        "method": DisinfectionMethod(method).label,
        "minimum": _minimum_text(method),
    }
    if value is None or value < level:
        raise ValidationError({parameter: message})
    if duration_s < seconds:
        raise ValidationError({"duration_s": message})
    values = {
        "school": school,
        "method": method,
        "duration_s": duration_s,
        "temperature_c": temperature_c,
        "chlorine_mg_l": chlorine_mg_l,
        "items": items.strip(),
        "operator": operator.strip(),
        "done_at": _not_future(done_at, "done_at"),
    }
    return create_audited(actor=actor, model=Disinfection, values=values)


#
# Meal counts and the canteen's accounts (C14)
#


@transaction.atomic
def ledger_post(
    *,
    actor: User,
    school: School,
    occurred_on: dt.date,
    direction: str,
    category: str,
    amount: Decimal,
    note: str = "",
) -> LedgerEntry:
    """An entry of the canteen's separate ledger; rent or shop money is never canteen income (C14)."""
    require_perm(actor, "canteen.add_ledgerentry")
    if amount <= 0:
        raise ValidationError({"amount": _(NOT_POSITIVE)})
    if direction == Direction.INCOME and category in NOT_CANTEEN_INCOME:
        raise ValidationError({"category": _(NOT_CANTEEN_MONEY)})
    values = {
        "school": school,
        "occurred_on": occurred_on,
        "direction": direction,
        "category": category,
        "amount": amount,
        "note": note.strip(),
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=LedgerEntry, values=values)


@transaction.atomic
def meal_count_record(
    *,
    actor: User,
    school: School,
    month: dt.date,
    diners: int,
    meals: int,
    unit_price: Decimal,
    tenant: Tenant | None = None,
    offset_against_rent: bool = False,
) -> MealCount:
    """A month's staff or tenant meals; a tenant's meals may be offset against its rent."""
    require_perm(actor, "canteen.add_mealcount")
    require_same_school(school, tenant=tenant)
    if offset_against_rent and tenant is None:
        raise ValidationError({"offset_against_rent": _(TENANT_NEEDED)})
    values = {
        "school": school,
        "month": month.replace(day=1),
        "tenant": tenant,
        "diners": diners,
        "meals": meals,
        "unit_price": unit_price,
        "offset_against_rent": offset_against_rent,
    }
    return create_audited(actor=actor, model=MealCount, values=values)


@transaction.atomic
def price_change_record(
    *,
    actor: User,
    school: School,
    meal: str,
    new_price: Decimal,
    effective_on: dt.date,
    decision_record: str,
    published_on: dt.date,
) -> PriceChange:
    """A meal-price change: a collective-decision record and publication before it applies (C14)."""
    require_perm(actor, "canteen.add_pricechange")
    _required(decision_record=decision_record)
    if new_price <= 0:
        raise ValidationError({"new_price": _(NOT_POSITIVE)})
    if published_on > effective_on:
        raise ValidationError({"published_on": _(PUBLISH_BEFORE)})
    values = {
        "school": school,
        "meal": meal,
        "new_price": new_price,
        "effective_on": effective_on,
        "decision_record": decision_record.strip(),
        "published_on": published_on,
    }
    return create_audited(actor=actor, model=PriceChange, values=values)


#
# Food incidents (C15)
#


@transaction.atomic
def incident_open(
    *,
    actor: User,
    school: School,
    meal_date: dt.date,
    meal: str,
    occurred_at: dt.datetime,
    description: str,
    affected: int = 0,
    samples_secured: bool = False,
) -> FoodIncident:
    require_perm(actor, "canteen.add_foodincident")
    _required(description=description)
    values = {
        "school": school,
        "meal_date": meal_date,
        "meal": meal,
        "occurred_at": _not_future(occurred_at, "occurred_at"),
        "description": description.strip(),
        "affected": affected,
        "samples_secured": samples_secured,
    }
    return create_audited(actor=actor, model=FoodIncident, values=values)


@transaction.atomic
def incident_update(
    *, actor: User, incident: FoodIncident, status: str, reported_at: dt.datetime | None = None, **values: Any
) -> FoodIncident:
    """Move an incident on; it leaves "open" only with the time it was reported to the authorities (C15)."""
    require_perm(actor, "canteen.change_foodincident")
    incident = lock(FoodIncident, incident.pk)
    reported_at = _not_future(reported_at, "reported_at") if reported_at else incident.reported_at
    if status != IncidentStatus.OPEN and reported_at is None:
        raise ValidationError({"reported_at": _(NOT_REPORTED)})
    return update_audited(
        actor=actor, instance=incident, values={"status": status, "reported_at": reported_at, **values}
    )


#
# Governance (C13): the semester's satisfaction survey and the parents' dining committee
#


def _check_semester(school: School, semester: Semester, day: dt.date | None, field: str) -> None:
    if semester.district_id != school.district_id:
        raise ValidationError({"semester_id": _(NOT_DISTRICT_SEMESTER)})
    if day is not None and not semester.starts_on <= day <= semester.ends_on:
        raise ValidationError({field: _(OUTSIDE_SEMESTER) % {"start": semester.starts_on, "end": semester.ends_on}})


@transaction.atomic
def survey_record(
    *,
    actor: User,
    school: School,
    semester: Semester,
    held_on: dt.date,
    respondents: int,
    satisfied: int,
    summary: str = "",
) -> SatisfactionSurvey:
    """A food-safety satisfaction survey held in the semester (C13: at least one per semester)."""
    require_perm(actor, "canteen.add_satisfactionsurvey")
    _check_semester(school, semester, held_on, "held_on")
    if respondents <= 0:
        raise ValidationError({"respondents": _(NOT_POSITIVE)})
    if satisfied > respondents:
        raise ValidationError({"satisfied": _(MORE_SATISFIED)})
    values = {
        "school": school,
        "semester": semester,
        "held_on": held_on,
        "respondents": respondents,
        "satisfied": satisfied,
        "summary": summary.strip(),
        "recorded_by": actor,
    }
    return create_audited(actor=actor, model=SatisfactionSurvey, values=values)


@transaction.atomic
def committee_member_add(
    *,
    actor: User,
    school: School,
    semester: Semester,
    name: str,
    school_class: SchoolClass,
    declared_on: dt.date | None,
    interests: str = "",
    phone: str = "",
) -> CommitteeMember:
    """Put a parent on the semester's dining committee; each member signs a conflict-of-interest declaration."""
    require_perm(actor, "canteen.add_committeemember")
    require_same_school(school, school_class=school_class)
    _required(name=name)
    _check_semester(school, semester, None, "semester_id")
    if declared_on is None:
        raise ValidationError({"declared_on": _(DECLARATION_NEEDED)})
    if declared_on > timezone.localdate():
        raise ValidationError({"declared_on": _(IN_FUTURE)})
    name = name.strip()
    if CommitteeMember.objects.filter(school=school, semester=semester, name=name, school_class=school_class).exists():
        raise ValidationError({"name": _(ALREADY_MEMBER) % {"name": name}})
    values = {
        "school": school,
        "semester": semester,
        "name": name,
        "school_class": school_class,
        "phone": phone.strip(),
        "declared_on": declared_on,
        "interests": interests.strip(),
    }
    return create_audited(actor=actor, model=CommitteeMember, values=values)


@transaction.atomic
def committee_member_remove(*, actor: User, member: CommitteeMember) -> None:
    """Take a member off the committee (the audit keeps who was on it)."""
    require_perm(actor, "canteen.delete_committeemember")
    member = lock(CommitteeMember, member.pk)
    audit.record(actor=actor, action="canteen.committeemember.deleted", target=member, message=str(member))
    member.delete()
