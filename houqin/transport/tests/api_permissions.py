"""The school-bus API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("GET", "/api/transport/vehicles"): "transport.view_vehicle",
    ("POST", "/api/transport/vehicles"): "transport.add_vehicle",
    ("GET", "/api/transport/vehicles/{vehicle_id}"): "transport.view_vehicle",
    ("GET", "/api/transport/drivers"): "transport.view_driver",
    ("POST", "/api/transport/drivers"): "transport.add_driver",
    ("GET", "/api/transport/drivers/{driver_id}"): "transport.view_driver",
    ("GET", "/api/transport/routes"): "transport.view_route",
    ("POST", "/api/transport/routes"): "transport.add_route",
    ("GET", "/api/transport/routes/{route_id}"): "transport.view_route",
    ("POST", "/api/transport/routes/{route_id}/stops"): "transport.change_route",
    ("POST", "/api/transport/routes/{route_id}/riders"): "transport.change_route",
    ("GET", "/api/transport/riders"): "transport.view_rider",
    ("GET", "/api/transport/trips"): "transport.attend_trip",
    ("POST", "/api/transport/trips"): "transport.add_trip",
    ("GET", "/api/transport/trips/{trip_id}"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/depart"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/board"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/alight"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/hand-over"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/return"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/close"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/conditions"): "transport.attend_trip",
    ("POST", "/api/transport/trips/{trip_id}/telemetry"): "transport.add_speedrecord",
    ("GET", "/api/transport/trips/{trip_id}/speeding"): "transport.view_speedrecord",
    ("POST", "/api/transport/trips/{trip_id}/speeding/review"): "transport.add_speedingreview",
    ("GET", "/api/transport/waiting"): "transport.view_waitingsession",
    ("POST", "/api/transport/waiting"): "transport.add_waitingsession",
    ("POST", "/api/transport/waiting/{session_id}/sign-off"): "transport.view_waitingsession",
    ("GET", "/api/transport/drills"): "transport.view_busdrill",
    ("POST", "/api/transport/drills"): "transport.add_busdrill",
}

# A trip is seen and recorded by its own attendant (or a holder of transport.view_trip / change_trip); a waiting
# room is signed off by its supervising teacher (or a holder of transport.change_waitingsession).
OBJECT_RULES = {
    ("GET", "/api/transport/trips/{trip_id}"),
    ("POST", "/api/transport/trips/{trip_id}/depart"),
    ("POST", "/api/transport/trips/{trip_id}/board"),
    ("POST", "/api/transport/trips/{trip_id}/alight"),
    ("POST", "/api/transport/trips/{trip_id}/hand-over"),
    ("POST", "/api/transport/trips/{trip_id}/return"),
    ("POST", "/api/transport/trips/{trip_id}/close"),
    ("POST", "/api/transport/trips/{trip_id}/conditions"),
    ("POST", "/api/transport/waiting/{session_id}/sign-off"),
}


def path_objects(cast: Any) -> dict[str, Any]:
    from houqin.orgs.choices import PlaceKind
    from houqin.orgs.models import Person, Place
    from houqin.transport.models import WaitingSession
    from houqin.transport.tests.factories import make_route, make_trip

    route = make_route(cast.school_a, name="矩阵线")
    attendant = Person.objects.create(school=cast.school_a, name="随车员")
    room = Place.objects.create(school=cast.school_a, name="候车室", kind=PlaceKind.ROOM, full_name="候车室")
    return {
        "vehicle_id": route.vehicle,
        "driver_id": route.driver,
        "route_id": route,
        "trip_id": make_trip(route, attendant),
        "session_id": WaitingSession.objects.create(
            school=cast.school_a, date=route.created_at.date(), room=room, teacher=attendant
        ),
    }
