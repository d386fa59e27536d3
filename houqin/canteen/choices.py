"""Choices of the canteen module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", _("Breakfast")
    LUNCH = "lunch", _("Lunch")
    DINNER = "dinner", _("Dinner")


class MenuStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("New")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")


class Rectification(models.TextChoices):
    NONE = "none", _("No problem found")
    OPEN = "open", _("To be fixed")
    DONE = "done", _("Fixed")


class PurchaseKind(models.TextChoices):
    PREPACKAGED = "prepackaged", _("Prepackaged food")
    BULK = "bulk", _("Bulk ingredient")
    FARM = "farm", _("Edible farm produce")


class DisinfectionMethod(models.TextChoices):
    BOILING = "boiling", _("Boiling")
    STEAM = "steam", _("Steam")
    INFRARED = "infrared", _("Infrared cabinet")
    DISHWASHER = "dishwasher", _("Dishwasher")
    CHLORINE = "chlorine", _("Chlorine soak")


class Direction(models.TextChoices):
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


class LedgerCategory(models.TextChoices):
    MEAL_SALES = "meal_sales", _("Meal sales")
    SUBSIDY = "subsidy", _("Meal subsidy")
    RENT_OFFSET = "rent_offset", _("Meals offset against rent")
    FOOD = "food", _("Food purchase")
    WAGES = "wages", _("Wages")
    UTILITIES = "utilities", _("Fuel and utilities")
    RENT = "rent", _("Rent")
    SHOP = "shop", _("Shop income")
    OTHER = "other", _("Other")


# 2.3.3: rent or shop income belongs to the school, never to the canteen's accounts.
NOT_CANTEEN_INCOME = frozenset({LedgerCategory.RENT, LedgerCategory.SHOP})


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED = "reported", _("Reported")
    CLOSED = "closed", _("Closed")
