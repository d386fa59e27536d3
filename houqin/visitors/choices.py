from django.db import models
from django.utils.translation import gettext_lazy as _


class IdType(models.TextChoices):
    """The document shown at the gate; only its last digits are written down (E6, G1)."""

    RESIDENT_ID = "resident_id", _("Resident identity card")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_TAIWAN = "hmt_permit", _("Hong Kong, Macao or Taiwan permit")
    WORK_ID = "work_id", _("Work ID")
    OTHER = "other", _("Other")
    NONE = "none", _("None shown")


class GatePassStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    OUT = "out", _("Off campus")
    BACK = "back", _("Back")


class VehicleStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    IN = "in", _("On campus")
    OUT = "out", _("Left")
