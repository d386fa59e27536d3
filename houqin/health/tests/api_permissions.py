"""The health API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("POST", "/api/health/checks"): "health.add_classcheck",
    ("GET", "/api/health/checks"): "health.view_classcheck",
    ("GET", "/api/health/checks/{health_check_id}"): "health.view_classcheck",
    ("POST", "/api/health/checks/{health_check_id}/correct"): "health.change_classcheck",
    ("GET", "/api/health/missing-checks"): "health.view_school_health",
    ("GET", "/api/health/absences"): "health.view_studentcase",
    ("GET", "/api/health/cases/{health_case_id}"): "health.view_studentcase",
    ("POST", "/api/health/cases/{health_case_id}/follow-up"): "health.change_studentcase",
    ("POST", "/api/health/cases/{health_case_id}/return"): "health.change_studentcase",
    ("GET", "/api/health/alerts"): "health.view_healthalert",
    ("POST", "/api/health/alerts/{health_alert_id}/report"): "health.report_healthalert",
    ("GET", "/api/health/daily-report"): "health.view_daily_report",
    ("GET", "/api/health/stats"): "health.view_school_health",
    ("GET", "/api/health/observation-visits"): "health.view_observationvisit",
    ("POST", "/api/health/observation-visits"): "health.add_observationvisit",
    ("POST", "/api/health/observation-visits/{observation_id}/close"): "health.change_observationvisit",
    ("GET", "/api/health/disinfection/schedules"): "health.view_disinfectionschedule",
    ("POST", "/api/health/disinfection/schedules"): "health.add_disinfectionschedule",
    ("GET", "/api/health/disinfection/records"): "health.view_disinfectionrecord",
    ("POST", "/api/health/disinfection/records"): "health.add_disinfectionrecord",
    ("GET", "/api/health/disinfection/missed"): "health.view_disinfectionschedule",
    ("GET", "/api/health/reporters"): "health.view_reportertraining",
    ("POST", "/api/health/reporters/training"): "health.add_reportertraining",
    ("GET", "/api/health/staffing"): "health.view_healthstaffing",
    ("PUT", "/api/health/staffing"): "health.change_healthstaffing",
    ("GET", "/api/health/disease-thresholds"): "health.view_school_health",
    ("GET", "/api/health/today"): "health.view_school_health",
}

# A head teacher records the checks and reads or follows up the cases of the classes they lead only (G5); a holder
# of health.check_any_class / health.view_school_health (the doctor) may do so for every class of the school.
OBJECT_RULES = {
    ("POST", "/api/health/checks"),
    ("POST", "/api/health/checks/{health_check_id}/correct"),
    ("GET", "/api/health/cases/{health_case_id}"),
    ("POST", "/api/health/cases/{health_case_id}/follow-up"),
    ("POST", "/api/health/cases/{health_case_id}/return"),
}


def path_objects(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    from houqin.health.models import (
        ClassCheck,
        HealthAlert,
        ObservationVisit,
        StudentCase,
    )
    from houqin.orgs.models import SchoolClass, Student

    school, now, today = cast.school_a, timezone.now(), timezone.localdate()
    school_class = SchoolClass.objects.create(school=school, name="三年级一班", grade=3, number=1)
    student = Student.objects.create(school=school, name="李小红", school_class=school_class)
    check = ClassCheck.objects.create(
        school=school,
        school_class=school_class,
        date=today,
        session="morning",
        enrolled=1,
        present=0,
        absent=1,
        checked_by=cast.doctor,
    )
    case = StudentCase.objects.create(
        school=school, check_record=check, student=student, school_class=school_class, date=today, reason="unknown"
    )
    return {
        "health_check_id": check,
        "health_case_id": case,
        "health_alert_id": HealthAlert.objects.create(
            school=school,
            kind="class_day",
            key="x",
            school_class=school_class,
            date=today,
            cases=3,
            raised_at=now,
            report_due_at=now,
        ),
        "observation_id": ObservationVisit.objects.create(
            school=school, student=student, came_at=now, recorded_by=cast.doctor
        ),
    }
