from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardLevel(models.TextChoices):
    """一般 / 较大 / 重大 (安监总局令第16号 art. 3 names 一般 and 重大; schools also grade 较大)."""

    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("Routine inspection")
    PATROL = "patrol", _("Patrol")
    CAMPAIGN = "campaign", _("Special campaign")
    SUPERIOR = "superior", _("Superior inspection")
    REPORT = "report", _("Report")


class HazardCategory(models.TextChoices):
    BUILDING = "building", _("Buildings and grounds")
    FIRE = "fire", _("Fire safety")
    ELECTRICAL = "electrical", _("Electricity and gas")
    FACILITIES = "facilities", _("Facilities and equipment")
    FOOD = "food", _("Food safety")
    TRAFFIC = "traffic", _("Traffic")
    SECURITY = "security", _("Security")
    SURROUNDINGS = "surroundings", _("Surroundings")
    OTHER = "other", _("Other")


class HazardStatus(models.TextChoices):
    OPEN = "open", _("To be rectified")
    RECTIFIED = "rectified", _("Rectified, awaiting verification")
    CLOSED = "closed", _("Closed off")


S = HazardStatus
HAZARD_TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.RECTIFIED},
    S.RECTIFIED: {S.CLOSED, S.OPEN},
}


class HazardActionKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    RECTIFIED = "rectified", _("Rectified")
    VERIFIED = "verified", _("Verified and closed")
    REJECTED = "rejected", _("Verification failed, reopened")
    SUPERVISED = "supervised", _("Placed under supervision")
    BUREAU_REPORTED = "bureau_reported", _("Reported to the education bureau")


class AreaType(models.TextChoices):
    CANTEEN = "canteen", _("Canteen")
    CLASSROOM = "classroom", _("Classrooms")
    OFFICE = "office", _("Offices")
    SPECIAL_ROOMS = "special_rooms", _("Laboratory, computer room and library")
    FIRE = "fire", _("Fire safety")
    SCHOOL_BUS = "school_bus", _("School bus")
    PERIMETER = "perimeter", _("Walls and gate")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Every school day")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    TERMLY = "termly", _("Once a term")


class DrillKind(models.TextChoices):
    FIRE = "fire", _("Fire evacuation")
    EARTHQUAKE = "earthquake", _("Earthquake evacuation")
    FLOOD = "flood", _("Flood evacuation")
    INTRUDER = "intruder", _("Intruder and lockdown")
    SCHOOL_BUS = "school_bus", _("School bus evacuation")
    OTHER = "other", _("Other")


# The drills that count towards the monthly evacuation drill (教基一厅〔2014〕2号).
EVACUATION_KINDS = frozenset({DrillKind.FIRE, DrillKind.EARTHQUAKE, DrillKind.FLOOD})


class AgreementKind(models.TextChoices):
    SAFETY_WORK = "safety_work", _("Safety work responsibility agreement")
    FIRE_SAFETY = "fire_safety", _("Fire safety responsibility agreement")
    TENANT = "tenant", _("Tenant safety management agreement")
    BUS_PROVIDER = "bus_provider", _("School bus service safety agreement")


class SignMethod(models.TextChoices):
    ONLINE = "online", _("Signed on the phone")
    PAPER = "paper", _("Signed on paper")
