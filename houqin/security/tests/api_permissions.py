"""The security API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("GET", "/api/security/routes"): "security.view_patrolroute",
    ("POST", "/api/security/routes"): "security.add_patrolroute",
    ("GET", "/api/security/routes/{route_id}"): "security.view_patrolroute",
    ("GET", "/api/security/patrols"): "security.view_patrollog",
    ("POST", "/api/security/patrols"): "security.add_patrollog",
    ("GET", "/api/security/patrols/{patrol_id}"): "security.view_patrollog",
    ("POST", "/api/security/patrols/{patrol_id}/checks"): "security.change_patrollog",
    ("POST", "/api/security/patrols/{patrol_id}/finish"): "security.change_patrollog",
    ("GET", "/api/security/patrol-days"): "security.view_patrollog",
    ("GET", "/api/security/roster"): "security.view_guardshift",
    ("POST", "/api/security/roster"): "security.add_guardshift",
    ("GET", "/api/security/staffing"): "security.view_guardshift",
    ("GET", "/api/security/vetting"): "security.view_vettingcheck",
    ("POST", "/api/security/vetting"): "security.add_vettingcheck",
    ("GET", "/api/security/cameras"): "security.view_camera",
    ("POST", "/api/security/cameras"): "security.add_camera",
    ("POST", "/api/security/cameras/{camera_id}/fault"): "security.change_camera",
    ("GET", "/api/security/footage-requests"): "security.view_footagerequest",
    ("POST", "/api/security/footage-requests"): "security.add_footagerequest",
    ("POST", "/api/security/footage-requests/{request_id}/decide"): "security.approve_footagerequest",
    ("GET", "/api/security/fire-patrols"): "security.view_firepatrol",
    ("POST", "/api/security/fire-patrols"): "security.add_firepatrol",
    ("GET", "/api/security/fire-inspections"): "security.view_fireinspection",
    ("POST", "/api/security/fire-inspections"): "security.add_fireinspection",
    ("POST", "/api/security/fire-inspections/{inspection_id}/countersign"): "security.view_fireinspection",
    ("GET", "/api/security/fire-gaps"): "security.view_firepatrol",
    ("GET", "/api/security/equipment"): "security.view_gateequipment",
    ("POST", "/api/security/equipment"): "security.add_gateequipment",
    ("POST", "/api/security/equipment/{equipment_id}/checks"): "security.add_equipmentcheck",
}

# Only the department head named on a fire inspection countersigns it.
OBJECT_RULES = {("POST", "/api/security/fire-inspections/{inspection_id}/countersign")}


def path_objects(cast: Any) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from houqin.assets.tests.factories import make_asset
    from houqin.orgs.models import Person
    from houqin.security import services
    from houqin.security.tests.factories import make_route

    route = make_route(cast.safety)
    camera = services.camera_create(actor=cast.safety, school=cast.school_a, name="校门口1号", covers="校门")
    inspector = Person.objects.create(school=cast.school_a, name="孙安全")
    head = Person.objects.create(school=cast.school_a, name="李后勤")
    now = timezone.now()
    return {
        "route_id": route,
        "patrol_id": services.patrol_start(actor=cast.guard, route=route),
        "camera_id": camera,
        "request_id": services.footage_request(
            actor=cast.safety,
            camera=camera,
            purpose="查看",
            period_from=now - dt.timedelta(hours=2),
            period_to=now - dt.timedelta(hours=1),
        ),
        "inspection_id": services.fire_inspection_record(
            actor=cast.safety,
            school=cast.school_a,
            inspected_on=timezone.localdate(),
            inspector=inspector,
            department_head=head,
        ),
        "equipment_id": services.equipment_add(
            actor=cast.safety, school=cast.school_a, asset=make_asset(cast.assetkeeper, "钢叉", "120.00"), kind="fork"
        ),
    }
