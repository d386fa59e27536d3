from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckResult(models.TextChoices):
    NORMAL = "normal", _("Normal")
    FINDING = "finding", _("Finding")


class PatrolStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")


class VettingResult(models.TextChoices):
    CLEAR = "clear", _("No criminal record")
    RECORD = "record", _("Criminal record found")


class CameraStatus(models.TextChoices):
    WORKING = "working", _("Working")
    FAULT = "fault", _("Fault")
    REMOVED = "removed", _("Removed")


class FootageKind(models.TextChoices):
    VIEW = "view", _("Viewing")
    EXPORT = "export", _("Export")


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class EquipmentKind(models.TextChoices):
    FORK = "fork", _("Restraint fork")
    BATON = "baton", _("Baton")
    PEPPER_SPRAY = "pepper_spray", _("Pepper spray")
    STAB_VEST = "stab_vest", _("Stab-resistant vest")
    SHIELD = "shield", _("Shield")
    HELMET = "helmet", _("Helmet")
    OTHER = "other", _("Other")
