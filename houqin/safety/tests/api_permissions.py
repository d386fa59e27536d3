"""The safety API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("GET", "/api/safety/hazards"): "safety.view_hazard",
    ("POST", "/api/safety/hazards"): "safety.add_hazard",
    ("GET", "/api/safety/hazards/stats"): "safety.view_hazard",
    ("GET", "/api/safety/hazards/{hazard_id}"): "safety.view_hazard",
    ("POST", "/api/safety/hazards/{hazard_id}/assign"): "safety.change_hazard",
    ("POST", "/api/safety/hazards/{hazard_id}/rectify"): "safety.view_hazard",
    ("POST", "/api/safety/hazards/{hazard_id}/verify"): "safety.verify_hazard",
    ("POST", "/api/safety/hazards/{hazard_id}/supervise"): "safety.change_hazard",
    ("POST", "/api/safety/hazards/{hazard_id}/report-to-bureau"): "safety.change_hazard",
    ("GET", "/api/safety/campaigns"): "safety.view_hazardcampaign",
    ("POST", "/api/safety/campaigns"): "safety.add_hazardcampaign",
    ("GET", "/api/safety/campaigns/{campaign_id}"): "safety.view_hazardcampaign",
    ("GET", "/api/safety/templates"): "safety.view_checklisttemplate",
    ("GET", "/api/safety/templates/{template_id}"): "safety.view_checklisttemplate",
    ("POST", "/api/safety/templates/install-defaults"): "safety.add_checklisttemplate",
    ("GET", "/api/safety/inspections/due"): "safety.view_inspection",
    ("GET", "/api/safety/inspections"): "safety.view_inspection",
    ("POST", "/api/safety/inspections"): "safety.add_inspection",
    ("GET", "/api/safety/inspections/{inspection_id}"): "safety.view_inspection",
    ("GET", "/api/safety/drills"): "safety.view_drill",
    ("POST", "/api/safety/drills"): "safety.add_drill",
    ("GET", "/api/safety/drills/months"): "safety.view_drill",
    ("GET", "/api/safety/agreements"): "safety.view_agreement",
    ("POST", "/api/safety/agreements"): "safety.add_agreement",
    ("GET", "/api/safety/agreements/{agreement_id}"): "safety.view_agreement",
    ("POST", "/api/safety/agreement-signatures/{signature_id}/sign"): "safety.view_agreement",
    ("GET", "/api/safety/notices"): "safety.view_notice",
    ("POST", "/api/safety/notices"): "safety.add_notice",
    ("GET", "/api/safety/notices/{notice_id}"): "safety.view_notice",
    ("POST", "/api/safety/notices/{notice_id}/receipts"): "safety.view_notice",
}

# Only the responsible person, or a holder of safety.change_hazard, records a rectification.
# Only the signatory signs an agreement; only a class's head teacher (or safety.change_notice) records its receipts.
OBJECT_RULES = {
    ("POST", "/api/safety/hazards/{hazard_id}/rectify"),
    ("POST", "/api/safety/agreement-signatures/{signature_id}/sign"),
    ("POST", "/api/safety/notices/{notice_id}/receipts"),
}


def path_objects(cast: Any) -> dict[str, Any]:
    import datetime as dt

    from houqin.orgs.models import Person
    from houqin.safety.models import (
        Agreement,
        AgreementSignature,
        ChecklistTemplate,
        Hazard,
        HazardCampaign,
        Inspection,
        Notice,
    )

    template = ChecklistTemplate.objects.create(
        school=cast.school_a, name="消防安全月查", area_type="fire", frequency="monthly"
    )
    now = dt.datetime.now(dt.UTC)
    return {
        "hazard_id": Hazard.objects.create(
            school=cast.school_a,
            number="YH-2026-00001",
            title="楼梯扶手松动",
            found_on=now.date(),
            reported_by=cast.teacher,
        ),
        "campaign_id": HazardCampaign.objects.create(school=cast.school_a, name="拉网式排查", starts_on=now.date()),
        "template_id": template,
        "signature_id": AgreementSignature.objects.create(
            school=cast.school_a,
            agreement=Agreement.objects.create(
                school=cast.school_a, kind="safety_work", year=2026, title="安全工作责任状", text="……"
            ),
            person=Person.objects.create(school=cast.school_a, name="何老师"),
        ),
        "notice_id": Notice.objects.create(
            school=cast.school_a, title="告家长书", text="……", issued_on=now.date(), issued_by=cast.safety
        ),
        "agreement_id": Agreement.objects.create(
            school=cast.school_a, kind="fire_safety", year=2026, title="消防安全责任状", text="……"
        ),
        "inspection_id": Inspection.objects.create(
            school=cast.school_a, template=template, inspector=cast.safety, performed_at=now, performed_on=now.date()
        ),
    }
