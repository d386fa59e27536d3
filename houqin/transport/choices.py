from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    TO_SCHOOL = "to_school", _("To school")
    FROM_SCHOOL = "from_school", _("From school")


class TripStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DEPARTED = "departed", _("On the road")
    CLOSED = "closed", _("Closed")


TRANSITIONS: dict[str, set[str]] = {
    TripStatus.PLANNED: {TripStatus.DEPARTED},
    TripStatus.DEPARTED: {TripStatus.CLOSED},
    TripStatus.CLOSED: set(),
}


class EventKind(models.TextChoices):
    """What happened to one student on a trip (D3–D4): on the bus, then off it in one of three ways."""

    BOARDED = "boarded", _("Boarded")
    ALIGHTED = "alighted", _("Alighted")
    HANDED_OVER = "handed_over", _("Handed to a guardian")
    RETURNED = "returned", _("Returned to school")


OFF_KINDS = (EventKind.ALIGHTED, EventKind.HANDED_OVER, EventKind.RETURNED)

# The driver's pre-trip checklist (D3): every item must be ticked before departure.
CHECKLIST = (
    ("check_brakes", _("Brakes")),
    ("check_steering", _("Steering")),
    ("check_lights", _("Lights")),
    ("check_tyres", _("Tyres")),
    ("check_emergency_door", _("Emergency door")),
    ("check_seats", _("Seats")),
    ("check_belts", _("Seat belts")),
)


class RoadType(models.TextChoices):
    """The road a speed record was taken on (D5): expressways have the higher limit."""

    EXPRESSWAY = "expressway", _("Expressway")
    OTHER = "other", _("Other road")
