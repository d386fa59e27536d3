"""The procurement API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

REQUEST = "/api/procurement/requests/{request_id}"

PERMISSIONS = {
    ("GET", "/api/procurement/requests"): "procurement.view_purchaserequest",
    ("POST", "/api/procurement/requests"): "procurement.add_purchaserequest",
    ("GET", REQUEST): "procurement.view_purchaserequest",
    ("POST", f"{REQUEST}/submit"): "procurement.add_purchaserequest",
    ("POST", f"{REQUEST}/approve"): "procurement.view_purchaserequest",
    ("POST", f"{REQUEST}/reject"): "procurement.view_purchaserequest",
    ("POST", f"{REQUEST}/cancel"): "procurement.view_purchaserequest",
    ("POST", f"{REQUEST}/quotes"): "procurement.add_quote",
    ("POST", f"{REQUEST}/order"): "procurement.order_purchaserequest",
    ("POST", f"{REQUEST}/acceptance"): "procurement.add_acceptance",
    ("POST", f"{REQUEST}/procedure"): "procurement.order_purchaserequest",
    ("POST", f"{REQUEST}/award"): "procurement.order_purchaserequest",
    ("POST", f"{REQUEST}/contract"): "procurement.order_purchaserequest",
    ("POST", f"{REQUEST}/supplements"): "procurement.order_purchaserequest",
    ("DELETE", REQUEST): "procurement.delete_purchaserequest",
    ("POST", "/api/procurement/quotes/{quote_id}/choose"): "procurement.change_quote",
    ("GET", "/api/procurement/acceptances/{acceptance_id}"): "procurement.view_acceptance",
    ("GET", "/api/procurement/suppliers"): "procurement.view_supplier",
    ("POST", "/api/procurement/suppliers"): "procurement.add_supplier",
    ("GET", "/api/procurement/suppliers/{supplier_id}"): "procurement.view_supplier",
    ("GET", "/api/procurement/donations"): "procurement.view_donation",
    ("POST", "/api/procurement/donations"): "procurement.add_donation",
    ("GET", "/api/procurement/donations/{donation_id}"): "procurement.view_donation",
    ("POST", "/api/procurement/donations/{donation_id}/use"): "procurement.change_donation",
    ("POST", "/api/procurement/donations/{donation_id}/purpose"): "procurement.change_donation",
    ("GET", "/api/procurement/spending"): "procurement.view_spending",
}

# Only the requester submits; approving and rejecting need the permission of the request's current step; only the
# requester (before approval) or a buyer cancels.
OBJECT_RULES = {
    ("POST", f"{REQUEST}/submit"),
    ("POST", f"{REQUEST}/approve"),
    ("POST", f"{REQUEST}/reject"),
    ("POST", f"{REQUEST}/cancel"),
}


def path_objects(cast: Any) -> dict[str, Any]:
    import datetime as dt
    from decimal import Decimal

    from houqin.orgs.models import Person
    from houqin.procurement.models import Acceptance, Donation, PurchaseRequest, Quote, Supplier

    request = PurchaseRequest.objects.create(
        school=cast.school_a,
        number="CG-2026-00001",
        title="体育课器材",
        requested_by=cast.teacher,
        reason="教学需要",
        funding_source="自筹",
        fiscal_year=2026,
        method="direct",
    )
    acceptance = Acceptance.objects.create(
        school=cast.school_a, request=request, received_on=dt.date(2026, 9, 1), passed=False, recorded_by=cast.admin
    )
    acceptance.inspectors.set([Person.objects.create(school=cast.school_a, name="验收员")])
    return {
        "request_id": request,
        "quote_id": Quote.objects.create(
            school=cast.school_a, request=request, supplier_name="甲", amount=Decimal("100"), recorded_by=cast.admin
        ),
        "acceptance_id": acceptance,
        "supplier_id": Supplier.objects.create(school=cast.school_a, name="城区体育用品店"),
        "donation_id": Donation.objects.create(
            school=cast.school_a,
            number="JZ-2026-00001",
            donor_name="家长",
            kind="works",
            description="修建喷泉",
            received_on=dt.date(2026, 5, 1),
            value=Decimal("30000"),
            value_basis="document",
            receipt_number="0001",
            purpose="校园环境",
            recorded_by=cast.admin,
        ),
    }
