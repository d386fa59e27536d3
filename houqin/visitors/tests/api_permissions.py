"""The gate API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("POST", "/api/visitors/visits"): "visitors.add_visit",
    ("GET", "/api/visitors/visits"): "visitors.view_visit",
    ("GET", "/api/visitors/visits/{visit_id}"): "visitors.view_visit",
    ("POST", "/api/visitors/visits/{visit_id}/leave"): "visitors.change_visit",
    ("GET", "/api/visitors/on-campus"): "visitors.view_visit",
    ("GET", "/api/visitors/blacklist"): "visitors.view_blacklistentry",
    ("POST", "/api/visitors/blacklist"): "visitors.add_blacklistentry",
    ("GET", "/api/visitors/outings"): "visitors.view_staffouting",
    ("POST", "/api/visitors/outings"): "visitors.add_staffouting",
    ("POST", "/api/visitors/outings/{outing_id}/back"): "visitors.change_staffouting",
    ("GET", "/api/visitors/gate-passes"): "visitors.view_gatepass",
    ("POST", "/api/visitors/gate-passes"): "visitors.add_gatepass",
    ("GET", "/api/visitors/gate-passes/{gatepass_id}"): "visitors.view_gatepass",
    ("POST", "/api/visitors/gate-passes/{gatepass_id}/decide"): "visitors.approve_gatepass",
    ("POST", "/api/visitors/gate-passes/{gatepass_id}/out"): "visitors.change_gatepass",
    ("POST", "/api/visitors/gate-passes/{gatepass_id}/back"): "visitors.change_gatepass",
    ("GET", "/api/visitors/vehicles"): "visitors.view_vehicleentry",
    ("POST", "/api/visitors/vehicles"): "visitors.add_vehicleentry",
    ("POST", "/api/visitors/vehicles/{vehicle_id}/decide"): "visitors.approve_vehicleentry",
    ("POST", "/api/visitors/vehicles/{vehicle_id}/in"): "visitors.change_vehicleentry",
    ("POST", "/api/visitors/vehicles/{vehicle_id}/out"): "visitors.change_vehicleentry",
}


def path_objects(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from houqin.assets.tests.factories import make_asset
    from houqin.orgs.models import Person
    from houqin.visitors import services
    from houqin.visitors.models import StaffOuting, Visit

    host = Person.objects.create(school=cast.school_a, name="冯老师")
    now = timezone.now()
    asset = make_asset(cast.assetkeeper, "投影仪", "3200.00")
    return {
        "gatepass_id": services.gatepass_request(
            actor=cast.assetkeeper, school=cast.school_a, asset=asset, reason="送修"
        ),
        "vehicle_id": services.vehicle_request(
            actor=cast.safety, school=cast.school_a, plate="鄂E·3K215", driver="王师傅", purpose="送器材"
        ),
        "visit_id": Visit.objects.create(
            school=cast.school_a,
            name="王先生",
            phone="13812345678",
            purpose="送教材",
            host=host,
            host_confirmed_by="冯老师",
            host_confirmed_at=now,
            entered_at=now,
            registered_by=cast.guard,
        ),
        "outing_id": StaffOuting.objects.create(
            school=cast.school_a,
            person=host,
            reason="去教育局送材料",
            approved_by=host,
            out_at=now,
            registered_by=cast.guard,
        ),
    }
