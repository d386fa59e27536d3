from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.TextChoices):
    """晨检 before the first lesson, 午检 before the first afternoon lesson, 晚检 for boarders (F1)."""

    MORNING = "morning", _("Morning check")
    NOON = "noon", _("Noon check")
    EVENING = "evening", _("Evening check")


class Reason(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    PERSONAL = "personal", _("Personal")
    UNKNOWN = "unknown", _("Unknown")


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SORE_THROAT = "sore_throat", _("Sore throat")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    VOMITING = "vomiting", _("Vomiting")
    RASH = "rash", _("Rash")
    HEADACHE = "headache", _("Headache")
    FATIGUE = "fatigue", _("Fatigue")
    OTHER = "other", _("Other")


class Disease(models.TextChoices):
    """Notifiable infectious diseases commonly seen at school; a return after any of them needs a certificate (F2)."""

    INFLUENZA = "influenza", _("Influenza")
    CHICKENPOX = "chickenpox", _("Chickenpox")
    HFMD = "hfmd", _("Hand, foot and mouth disease")
    NOROVIRUS = "norovirus", _("Norovirus infection")
    MUMPS = "mumps", _("Mumps")
    SCARLET_FEVER = "scarlet_fever", _("Scarlet fever")
    TUBERCULOSIS = "tuberculosis", _("Tuberculosis")
    COVID = "covid", _("COVID-19")
    MEASLES = "measles", _("Measles")
    OTHER_NOTIFIABLE = "other_notifiable", _("Other notifiable disease")


class AlertKind(models.TextChoices):
    CLASS_DAY = "class_day", _("Similar symptoms in a class in one day")
    CLASS_3_DAYS = "class_3_days", _("Cases in a class over 3 days")
    ILI_7_DAYS = "ili_7_days", _("Influenza-like cases in the school over 7 days")
    FEVER = "fever", _("Fever")
    DISEASE_CLASS_DAY = "disease_day", _("Cases of a disease in a class in one day")
    DISEASE_CLASS_3_DAYS = "disease_3_days", _("Cases of a disease in a class over 3 days")
    DISEASE_SCHOOL = "disease_school", _("Cases of a disease in the school")
    UNKNOWN_CLASS = "unknown_class", _("Unexplained absences in a class not followed up")
    UNKNOWN_SCHOOL = "unknown_school", _("Unexplained absences in the school not followed up")


class Assessment(models.TextChoices):
    """The class reporter's assessment after the semester's training (F8)."""

    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    PENDING = "pending", _("Not assessed yet")


class Outcome(models.TextChoices):
    BACK_TO_CLASS = "back_to_class", _("Back to class")
    SENT_HOME = "sent_home", _("Taken home by the family")
    HOSPITAL = "hospital", _("Taken to hospital")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
