"""The canteen API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("POST", "/api/canteen/samples"): "canteen.add_sample",
    ("GET", "/api/canteen/samples"): "canteen.view_sample",
    ("POST", "/api/canteen/samples/{sample_id}/discard"): "canteen.change_sample",
    ("GET", "/api/canteen/dashboard"): "canteen.view_sample",
    ("POST", "/api/canteen/fridge-readings"): "canteen.add_fridgereading",
    ("GET", "/api/canteen/fridge-readings"): "canteen.view_fridgereading",
    ("POST", "/api/canteen/accompanied-meals"): "canteen.add_accompaniedmeal",
    ("GET", "/api/canteen/accompanied-meals"): "canteen.view_accompaniedmeal",
    ("POST", "/api/canteen/accompanied-meals/{record_id}/follow-up"): "canteen.change_accompaniedmeal",
    ("POST", "/api/canteen/parent-meals"): "canteen.add_parentmeal",
    ("GET", "/api/canteen/parent-meals"): "canteen.view_parentmeal",
    ("POST", "/api/canteen/menus"): "canteen.add_menu",
    ("GET", "/api/canteen/menus"): "canteen.view_menu",
    ("GET", "/api/canteen/menus/{menu_id}"): "canteen.view_menu",
    ("POST", "/api/canteen/menus/{menu_id}/dishes"): "canteen.change_menu",
    ("POST", "/api/canteen/menus/{menu_id}/publish"): "canteen.change_menu",
    ("GET", "/api/canteen/feedback"): "canteen.view_feedback",
    ("POST", "/api/canteen/feedback/{feedback_id}/reply"): "canteen.change_feedback",
    ("POST", "/api/canteen/certificates"): "canteen.add_healthcertificate",
    ("GET", "/api/canteen/certificates"): "canteen.view_healthcertificate",
    ("POST", "/api/canteen/preshift-checks"): "canteen.add_preshiftcheck",
    ("GET", "/api/canteen/preshift-checks"): "canteen.view_preshiftcheck",
    ("POST", "/api/canteen/shifts"): "canteen.add_shift",
    ("GET", "/api/canteen/shifts"): "canteen.view_shift",
    ("POST", "/api/canteen/deliveries"): "canteen.add_delivery",
    ("GET", "/api/canteen/deliveries"): "canteen.view_delivery",
    ("DELETE", "/api/canteen/deliveries/{delivery_id}"): "canteen.delete_delivery",
    ("POST", "/api/canteen/disinfections"): "canteen.add_disinfection",
    ("GET", "/api/canteen/disinfections"): "canteen.view_disinfection",
    ("POST", "/api/canteen/meal-counts"): "canteen.add_mealcount",
    ("GET", "/api/canteen/meal-counts"): "canteen.view_mealcount",
    ("POST", "/api/canteen/ledger"): "canteen.add_ledgerentry",
    ("GET", "/api/canteen/ledger"): "canteen.view_ledgerentry",
    ("POST", "/api/canteen/price-changes"): "canteen.add_pricechange",
    ("GET", "/api/canteen/price-changes"): "canteen.view_pricechange",
    ("POST", "/api/canteen/incidents"): "canteen.add_foodincident",
    ("GET", "/api/canteen/incidents"): "canteen.view_foodincident",
    ("POST", "/api/canteen/incidents/{incident_id}"): "canteen.change_foodincident",
    ("POST", "/api/canteen/surveys"): "canteen.add_satisfactionsurvey",
    ("GET", "/api/canteen/surveys"): "canteen.view_satisfactionsurvey",
    ("POST", "/api/canteen/committee-members"): "canteen.add_committeemember",
    ("GET", "/api/canteen/committee-members"): "canteen.view_committeemember",
    ("DELETE", "/api/canteen/committee-members/{member_id}"): "canteen.delete_committeemember",
    ("GET", "/api/canteen/committee-status/{semester_id}"): "canteen.view_committeemember",
}


def path_objects(cast: Any) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from houqin.canteen.models import AccompaniedMeal, CommitteeMember, Delivery, Feedback, FoodIncident, Menu, Sample
    from houqin.orgs.models import Person, SchoolClass, Semester
    from houqin.procurement.models import Supplier

    school, now, today = cast.school_a, timezone.now(), timezone.localdate()
    leader = Person.objects.create(school=school, name="陪餐校长")
    menu = Menu.objects.create(school=school, title="第1周菜谱", week_start=today)
    supplier = Supplier.objects.create(school=school, name="惠民农贸")
    semester = Semester.objects.create(
        district=school.district,
        name="膳食学期",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=90),
    )
    return {
        "sample_id": Sample.objects.create(
            school=school,
            meal_date=today,
            meal="lunch",
            dish="番茄炒蛋",
            weight_g=150,
            taken_at=now,
            taken_by="周食堂",
            recorded_by=cast.canteen,
        ),
        "record_id": AccompaniedMeal.objects.create(
            school=school, meal_date=today, meal="lunch", leader=leader, feedback="好", recorded_by=cast.principal
        ),
        "menu_id": menu,
        "feedback_id": Feedback.objects.create(school=school, menu=menu, text="为什么在熘肉段里放胡萝卜"),
        "delivery_id": Delivery.objects.create(
            school=school,
            supplier=supplier,
            purchased_on=today,
            inspector=leader,
            keep_until=today + dt.timedelta(days=730),
            recorded_by=cast.canteen,
        ),
        "incident_id": FoodIncident.objects.create(
            school=school, meal_date=today, meal="lunch", occurred_at=now, description="腹痛"
        ),
        "semester_id": semester,
        "member_id": CommitteeMember.objects.create(
            school=school,
            semester=semester,
            name="王家长",
            school_class=SchoolClass.objects.create(school=school, name="一年级1班", grade=1, number=1),
            declared_on=today,
        ),
    }
