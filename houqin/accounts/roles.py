"""Roles are code: each role maps to the Django permissions it grants (ARCHITECTURE rule 6).

A user may hold several roles. Permissions are granted for the user's own school (or, for bureau roles, every
school of the district); scoping is done by `visible_to`, never by the permission itself.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau administrator")
    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    PRINCIPAL = "principal", _("Principal")
    LOGISTICS_HEAD = "logistics_head", _("Logistics director")
    ACCOUNTANT = "accountant", _("Accountant")
    ASSET_KEEPER = "asset_keeper", _("Asset keeper")
    SAFETY_OFFICER = "safety_officer", _("Safety officer")
    CANTEEN_MANAGER = "canteen_manager", _("Canteen manager")
    DOCTOR = "doctor", _("School doctor")
    GUARD = "guard", _("Gate guard")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    STAFF = "staff", _("Staff member")


BUREAU_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
SCHOOL_ROLES = frozenset(set(Role) - BUREAU_ROLES)


def _crud(app: str, *models_: str, view_only: bool = False) -> set[str]:
    verbs = ("view",) if view_only else ("view", "add", "change")
    return {f"{app}.{verb}_{model}" for model in models_ for verb in verbs}


ORG_MODELS = ("department", "place", "person", "schoolclass", "tenant", "semester")
VIEW_ORGS = _crud("orgs", *ORG_MODELS, view_only=True)
MANAGE_ORGS = _crud("orgs", "department", "place", "person", "schoolclass", "tenant")
VIEW_STUDENTS = {"orgs.view_student"}
MANAGE_STUDENTS = _crud("orgs", "student")
VIEW_AUDIT = {"core.view_auditevent"}
MANAGE_USERS = {"accounts.view_user", "accounts.add_user", "accounts.change_user"}
MANAGE_POLICIES = {"core.view_policyvalue", "core.change_policyvalue"}
MANAGE_SEMESTERS = _crud("orgs", "semester")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BUREAU_ADMIN: frozenset(
        VIEW_ORGS
        | VIEW_STUDENTS
        | VIEW_AUDIT
        | MANAGE_USERS
        | MANAGE_POLICIES
        | MANAGE_SEMESTERS
        | {"orgs.view_school", "orgs.add_school", "orgs.change_school"}
    ),
    Role.BUREAU_STAFF: frozenset(VIEW_ORGS | VIEW_AUDIT | {"orgs.view_school"}),
    Role.SCHOOL_ADMIN: frozenset(
        VIEW_ORGS | MANAGE_ORGS | MANAGE_STUDENTS | VIEW_AUDIT | MANAGE_USERS | {"core.view_policyvalue"}
    ),
    Role.PRINCIPAL: frozenset(VIEW_ORGS | VIEW_STUDENTS | VIEW_AUDIT | {"core.view_policyvalue"}),
    Role.LOGISTICS_HEAD: frozenset(VIEW_ORGS | MANAGE_ORGS | VIEW_STUDENTS | VIEW_AUDIT | {"core.view_policyvalue"}),
    Role.ACCOUNTANT: frozenset(VIEW_ORGS),
    Role.ASSET_KEEPER: frozenset(VIEW_ORGS | _crud("orgs", "place")),
    Role.SAFETY_OFFICER: frozenset(VIEW_ORGS | _crud("orgs", "place", "tenant")),
    Role.CANTEEN_MANAGER: frozenset(VIEW_ORGS),
    Role.DOCTOR: frozenset(VIEW_ORGS | VIEW_STUDENTS),
    Role.GUARD: frozenset({"orgs.view_person"}),
    Role.HEAD_TEACHER: frozenset(VIEW_ORGS | VIEW_STUDENTS),
    Role.STAFF: frozenset(
        {"orgs.view_department", "orgs.view_place", "orgs.view_person", "orgs.view_schoolclass", "orgs.view_semester"}
    ),
}


def _extend(grants: dict[str, set[str]]) -> None:
    """Add one module's grants to the roles (each module's block below keeps its permissions together)."""
    for role, perms in grants.items():
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS[role] | frozenset(perms)


# Consumables (stock): every school member may ask for supplies; the storekeeper keeps the ledger and issues;
# the logistics director and principal approve.
STOCK_REQUEST = {"stock.view_stockitem", "stock.add_requisition", "stock.view_requisition"}
STOCK_OVERSIGHT = STOCK_REQUEST | {"stock.view_stockmovement", "stock.approve_requisition", "stock.view_stockcount"}
STOCK_KEEPING = (
    STOCK_OVERSIGHT
    | _crud("stock", "stockitem")
    | {"stock.add_stockmovement", "stock.issue_requisition", "stock.add_stockcount", "stock.change_stockcount"}
)
_extend(dict.fromkeys(SCHOOL_ROLES, STOCK_REQUEST))
_extend(
    {
        Role.ASSET_KEEPER: STOCK_KEEPING,
        Role.LOGISTICS_HEAD: STOCK_OVERSIGHT,
        Role.PRINCIPAL: STOCK_OVERSIGHT,
        Role.ACCOUNTANT: STOCK_REQUEST | {"stock.view_stockmovement", "stock.view_stockcount"},
        Role.BUREAU_STAFF: {"stock.view_stockitem", "stock.view_stockmovement"},
        Role.BUREAU_ADMIN: {"stock.view_stockitem", "stock.view_stockmovement"},
    }
)


def permissions_for(roles: list[str] | set[str] | frozenset[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


# Assets (assets): grants are added below by the assets module.
# --- assets ---
# The asset keeper keeps the register (cards, transfers asked for, loans, stocktakes, disposal requests); the
# logistics director and the principal approve transfers, stocktake differences and disposals (the principal
# also at the higher tiers); the accountant and the bureau view. Every member of staff sees "my assets" (their
# own cards as custodian) without a permission.
ASSETS_VIEW = _crud("assets", "asset", "transfer", "loan", "stocktake", "disposal", "lease", view_only=True)
ASSETS_KEEPING = (
    ASSETS_VIEW
    | _crud("assets", "asset", "loan", "stocktake", "lease")
    | {"assets.add_transfer", "assets.add_disposal"}
)
ASSETS_APPROVAL = ASSETS_VIEW | {
    "assets.add_transfer",
    "assets.approve_transfer",
    "assets.approve_stocktake",
    "assets.approve_disposal",
}
_extend(
    {
        Role.ASSET_KEEPER: ASSETS_KEEPING,
        Role.LOGISTICS_HEAD: ASSETS_APPROVAL,
        Role.PRINCIPAL: ASSETS_APPROVAL | {"assets.approve_major_disposal"},
        Role.ACCOUNTANT: ASSETS_VIEW,
        Role.SCHOOL_ADMIN: {"assets.view_asset"},
        Role.BUREAU_STAFF: ASSETS_VIEW,
        Role.BUREAU_ADMIN: ASSETS_VIEW,
    }
)

# Procurement (procurement): grants are added below by the procurement module.
# --- procurement ---
# Any staff member may draft a purchase request; the logistics director approves first, the principal above the
# principal's limit, the bureau above its own; the logistics office and the storekeeper gather quotes and order;
# the storekeeper does acceptance with a second inspector; the accountant sees everything and keeps donations.
PROCUREMENT_REQUEST = {
    "procurement.view_purchaserequest",
    "procurement.add_purchaserequest",
    "procurement.view_supplier",
}
PROCUREMENT_OVERSIGHT = {"procurement.view_acceptance", "procurement.view_donation", "procurement.view_spending"}
PROCUREMENT_BUYING = _crud("procurement", "supplier") | {
    "procurement.add_quote",
    "procurement.change_quote",
    "procurement.order_purchaserequest",
    "procurement.view_acceptance",
}
PROCUREMENT_DONATIONS = _crud("procurement", "donation")
PROCUREMENT_BUREAU = PROCUREMENT_OVERSIGHT | {
    "procurement.view_purchaserequest",
    "procurement.view_supplier",
    "procurement.approve_bureau_purchaserequest",
}
_extend(dict.fromkeys(SCHOOL_ROLES, PROCUREMENT_REQUEST))
_extend(
    {
        Role.LOGISTICS_HEAD: PROCUREMENT_BUYING
        | PROCUREMENT_OVERSIGHT
        | PROCUREMENT_DONATIONS
        # Deleting a procurement file is possible only 15 years after it completed (B8).
        | {"procurement.approve_purchaserequest", "procurement.delete_purchaserequest"},
        Role.PRINCIPAL: PROCUREMENT_OVERSIGHT
        | {"procurement.approve_purchaserequest", "procurement.approve_large_purchaserequest"},
        Role.ACCOUNTANT: PROCUREMENT_OVERSIGHT | PROCUREMENT_DONATIONS,
        Role.ASSET_KEEPER: PROCUREMENT_BUYING | {"procurement.add_acceptance"},
        Role.BUREAU_STAFF: PROCUREMENT_BUREAU,
        Role.BUREAU_ADMIN: PROCUREMENT_BUREAU,
    }
)

# Campus safety (safety): grants are added below by the safety module.
# --- safety ---
# Anyone at school may report a hazard, follow the register and sign the agreements meant for them; the responsible
# person rectifies (a rule on the hazard, not a permission). The safety officer runs checklists, inspections,
# campaigns, drills, agreements and notices and verifies; head teachers tick their class's notice receipts; the
# principal and the logistics director oversee and may verify; the bureau reads the register, statistics and drills.
SAFETY_REPORT = {"safety.view_hazard", "safety.add_hazard", "safety.view_agreement"}
SAFETY_INSPECT = {"safety.view_checklisttemplate", "safety.view_inspection", "safety.add_inspection"}
SAFETY_OVERSIGHT = (
    SAFETY_REPORT
    | _crud("safety", "hazardcampaign", "checklisttemplate", "inspection", "drill", "notice", view_only=True)
    | {"safety.change_hazard", "safety.verify_hazard"}
)
SAFETY_RUN = (
    SAFETY_OVERSIGHT
    | SAFETY_INSPECT
    | _crud("safety", "hazard", "hazardcampaign", "checklisttemplate", "drill", "agreement", "notice")
)
SAFETY_BUREAU = {"safety.view_hazard", "safety.view_hazardcampaign", "safety.view_drill"}
_extend(dict.fromkeys(SCHOOL_ROLES, SAFETY_REPORT))
_extend(
    {
        Role.SAFETY_OFFICER: SAFETY_RUN,
        Role.PRINCIPAL: SAFETY_OVERSIGHT,
        Role.LOGISTICS_HEAD: SAFETY_OVERSIGHT | SAFETY_INSPECT,
        Role.CANTEEN_MANAGER: SAFETY_INSPECT,
        Role.HEAD_TEACHER: {"safety.view_notice"},
        Role.BUREAU_STAFF: SAFETY_BUREAU,
        Role.BUREAU_ADMIN: SAFETY_BUREAU,
    }
)

# The gate (visitors): grants are added below by the visitors module.
# --- visitors ---
# The guard registers visitors and staff going out and sees the blacklist; the safety officer also keeps the
# blacklist and flags visits linked to an incident (kept past the retention period); school leaders read the logs.
GATE_VIEW = _crud("visitors", "visit", "staffouting", "blacklistentry", view_only=True)
GATE_KEEPING = GATE_VIEW | _crud("visitors", "visit", "staffouting")
GATE_MANAGE = GATE_KEEPING | _crud("visitors", "blacklistentry") | {"visitors.flag_visit"}
_extend(
    {
        Role.GUARD: GATE_KEEPING,
        Role.SAFETY_OFFICER: GATE_MANAGE,
        Role.PRINCIPAL: GATE_VIEW | {"visitors.flag_visit"},
        Role.LOGISTICS_HEAD: GATE_VIEW,
    }
)
# Asset gate passes and outside vehicles: the asset keeper and the safety officer ask, the principal and the logistics
# director approve, the guard checks passes out and back and lets approved vehicles in.
GATE_PASS_VIEW = _crud("visitors", "gatepass", "vehicleentry", view_only=True)
GATE_PASS_ASK = GATE_PASS_VIEW | {"visitors.add_gatepass", "visitors.add_vehicleentry"}
GATE_PASS_APPROVE = GATE_PASS_ASK | {"visitors.approve_gatepass", "visitors.approve_vehicleentry"}
_extend(
    {
        Role.GUARD: GATE_PASS_VIEW | {"visitors.change_gatepass", "visitors.change_vehicleentry"},
        Role.ASSET_KEEPER: GATE_PASS_ASK,
        Role.SAFETY_OFFICER: GATE_PASS_ASK,
        Role.PRINCIPAL: GATE_PASS_APPROVE,
        Role.LOGISTICS_HEAD: GATE_PASS_APPROVE,
    }
)

# Security (security): grants are added below by the security module.
# --- security ---
# The safety officer runs patrol routes, the roster and vetting, cameras, fire records and the gate equipment; guards
# walk patrols, record fire patrols and equipment checks; the principal and the logistics director read everything
# and approve footage requests; the bureau sees guard staffing and cameras.
SECURITY_MODELS = (
    "patrolroute",
    "patrollog",
    "vettingcheck",
    "guardshift",
    "camera",
    "footagerequest",
    "firepatrol",
    "fireinspection",
    "firesystemtest",
    "gateequipment",
    "equipmentcheck",
)
SECURITY_VIEW = _crud("security", *SECURITY_MODELS, view_only=True)
SECURITY_GUARD = _crud("security", "patrolroute", "camera", "gateequipment", "guardshift", view_only=True)
SECURITY_GUARD |= _crud("security", "patrollog", "firepatrol", "equipmentcheck")
SECURITY_RUN = _crud("security", *SECURITY_MODELS) | {"security.delete_guardshift"}
SECURITY_LEADER = SECURITY_VIEW | {"security.approve_footagerequest", "security.add_footagerequest"}
SECURITY_BUREAU = {"security.view_guardshift", "security.view_camera"}
_extend(
    {
        Role.SAFETY_OFFICER: SECURITY_RUN,
        Role.GUARD: SECURITY_GUARD,
        Role.PRINCIPAL: SECURITY_LEADER,
        Role.LOGISTICS_HEAD: SECURITY_LEADER,
        Role.BUREAU_STAFF: SECURITY_BUREAU,
        Role.BUREAU_ADMIN: SECURITY_BUREAU,
    }
)

# Health (health): grants are added below by the health module.
# --- health ---
# Head teachers record their own class's checks and follow up its absences (an object rule in the services, not a
# permission); the school doctor sees and runs everything of the school: alerts, observation room, disinfection,
# the daily report; the principal and the logistics director read and count (names masked); logistics also records
# disinfection; the bureau reads the daily report and the alerts of every school of the district.
HEALTH_VIEW = _crud("health", "classcheck", "healthalert", "disinfectionschedule", "disinfectionrecord", view_only=True)
HEALTH_OVERSIGHT = HEALTH_VIEW | {"health.view_school_health", "health.view_daily_report"}
HEALTH_OVERSIGHT |= _crud("health", "reportertraining", "healthstaffing", view_only=True)
HEALTH_CLASS = {"health.view_classcheck", "health.add_classcheck", "health.view_studentcase"}
HEALTH_CLASS |= {"health.change_studentcase", "health.see_student_names"}
HEALTH_DOCTOR = (
    HEALTH_OVERSIGHT
    | HEALTH_CLASS
    | _crud("health", "classcheck", "observationvisit", "disinfectionschedule", "disinfectionrecord")
    | _crud("health", "reportertraining", "healthstaffing")
    | {"health.check_any_class", "health.report_healthalert"}
)
HEALTH_BUREAU = {"health.view_healthalert", "health.view_daily_report", "health.view_school_health"}
_extend(
    {
        Role.HEAD_TEACHER: HEALTH_CLASS,
        Role.DOCTOR: HEALTH_DOCTOR,
        Role.PRINCIPAL: HEALTH_OVERSIGHT,
        Role.LOGISTICS_HEAD: HEALTH_OVERSIGHT | {"health.add_disinfectionrecord"},
        Role.BUREAU_STAFF: HEALTH_BUREAU,
        Role.BUREAU_ADMIN: HEALTH_BUREAU,
    }
)

# Canteen (canteen): grants are added below by the canteen module.
# --- canteen ---
# The canteen manager runs everything; the principal and the logistics director record 陪餐 and see every record;
# the accountant sees the canteen ledger and meal counts; the doctor sees staff health; the bureau checks samples
# and 陪餐 compliance. The canteen manager also keeps the satisfaction surveys and the parents' dining committee.
CANTEEN_MODELS = (
    "sample", "fridgereading", "accompaniedmeal", "parentmeal", "menu", "feedback", "healthcertificate",
    "preshiftcheck", "shift", "delivery", "disinfection", "mealcount", "ledgerentry", "pricechange", "foodincident",
    "satisfactionsurvey", "committeemember",
)  # fmt: skip
CANTEEN_VIEW = _crud("canteen", *CANTEEN_MODELS, view_only=True)
CANTEEN_RUN = _crud("canteen", *CANTEEN_MODELS) | {
    "canteen.delete_delivery", "canteen.change_canteenprofile", "canteen.delete_committeemember",
}  # fmt: skip
CANTEEN_LEADER = CANTEEN_VIEW | _crud("canteen", "accompaniedmeal", "parentmeal", "foodincident")
CANTEEN_BUREAU = _crud("canteen", "sample", "accompaniedmeal", "menu", view_only=True)
_extend(
    {
        Role.CANTEEN_MANAGER: CANTEEN_RUN,
        Role.PRINCIPAL: CANTEEN_LEADER,
        Role.LOGISTICS_HEAD: CANTEEN_LEADER,
        Role.ACCOUNTANT: _crud("canteen", "ledgerentry", "mealcount", "pricechange", view_only=True),
        Role.DOCTOR: _crud("canteen", "healthcertificate", "preshiftcheck", "shift", view_only=True),
        Role.BUREAU_STAFF: CANTEEN_BUREAU,
        Role.BUREAU_ADMIN: CANTEEN_BUREAU,
    }
)

# School bus (transport): grants are added below by the transport module.
# --- transport ---
# Any member of staff may be a trip's attendant and records boarding, alighting, hand-over and the close of their
# own trips (a rule on the trip), and signs off the students in the waiting room they supervise. The safety officer
# and the logistics director keep buses, drivers, routes, riders, trips, waiting rooms and drills; head teachers see
# their class's riders; the principal views everything; the bureau views buses, drivers and drills. The safety
# officer and the logistics director import a trip's driving record; the safety officer reviews its speeding (D5).
TRANSPORT_VIEW = _crud(
    "transport", "vehicle", "driver", "route", "rider", "trip", "waitingsession", "busdrill", view_only=True
) | {"transport.view_speedrecord", "transport.view_speedingreview"}
TRANSPORT_MANAGE = (
    TRANSPORT_VIEW
    | _crud("transport", "vehicle", "driver", "route", "trip", "waitingsession", "busdrill")
    | {"transport.add_speedrecord"}
)
TRANSPORT_BUREAU = _crud("transport", "vehicle", "driver", "busdrill", view_only=True)
_extend(dict.fromkeys(SCHOOL_ROLES, {"transport.attend_trip", "transport.view_waitingsession"}))
_extend(
    {
        Role.SAFETY_OFFICER: TRANSPORT_MANAGE | {"transport.add_speedingreview"},
        Role.LOGISTICS_HEAD: TRANSPORT_MANAGE,
        Role.PRINCIPAL: TRANSPORT_VIEW,
        Role.HEAD_TEACHER: {"transport.view_rider"},
        Role.BUREAU_STAFF: TRANSPORT_BUREAU,
        Role.BUREAU_ADMIN: TRANSPORT_BUREAU,
    }
)
