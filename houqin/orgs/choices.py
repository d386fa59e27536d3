from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolKind(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    SENIOR = "senior", _("Senior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    COMPLETE = "complete", _("Complete secondary school")
    KINDERGARTEN = "kindergarten", _("Kindergarten")


class PlaceKind(models.TextChoices):
    CAMPUS = "campus", _("Campus")
    BUILDING = "building", _("Building")
    FLOOR = "floor", _("Floor")
    ROOM = "room", _("Room")
    AREA = "area", _("Area")


# Which kinds may hang under which (None: at the top of the tree).
PLACE_PARENTS: dict[str, set[str | None]] = {
    PlaceKind.CAMPUS: {None},
    PlaceKind.BUILDING: {None, PlaceKind.CAMPUS},
    PlaceKind.FLOOR: {PlaceKind.BUILDING},
    PlaceKind.ROOM: {None, PlaceKind.CAMPUS, PlaceKind.BUILDING, PlaceKind.FLOOR},
    PlaceKind.AREA: {None, PlaceKind.CAMPUS, PlaceKind.BUILDING, PlaceKind.FLOOR},
}


class PlaceUse(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    FUNCTION_ROOM = "function_room", _("Function room")
    LAB = "lab", _("Laboratory")
    OFFICE = "office", _("Office")
    CANTEEN = "canteen", _("Canteen")
    STOREROOM = "storeroom", _("Storeroom")
    DORMITORY = "dormitory", _("Dormitory")
    GATE = "gate", _("Gate")
    SPORTS = "sports", _("Sports ground")
    TOILET = "toilet", _("Toilet")
    OTHER = "other", _("Other")


class PersonKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    TEMPORARY = "temporary", _("Temporary worker")
    CONTRACTOR = "contractor", _("Contractor")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class TenantKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    TRAINING = "training", _("Training school")
    CANTEEN = "canteen", _("Canteen contractor")
    SHOP = "shop", _("Tuck shop or supermarket (selling food)")
    OTHER = "other", _("Other")
