"""The assets API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

import datetime as dt
from typing import Any

PERMISSIONS = {
    ("GET", "/api/assets"): "assets.view_asset",
    ("POST", "/api/assets"): "assets.add_asset",
    ("GET", "/api/assets/export.xlsx"): "assets.view_asset",
    ("POST", "/api/assets/import"): "assets.add_asset",
    ("GET", "/api/assets/{asset_id}"): "assets.view_asset",
    ("POST", "/api/assets/{asset_id}/transfer"): "assets.add_transfer",
    ("GET", "/api/assets/transfers"): "assets.view_transfer",
    ("POST", "/api/assets/transfers/{transfer_id}/approve"): "assets.approve_transfer",
    ("POST", "/api/assets/transfers/{transfer_id}/reject"): "assets.approve_transfer",
    ("POST", "/api/assets/{asset_id}/loan"): "assets.add_loan",
    ("POST", "/api/assets/loans/{loan_id}/return"): "assets.change_loan",
    ("GET", "/api/assets/leases"): "assets.view_lease",
    ("POST", "/api/assets/leases"): "assets.add_lease",
    ("GET", "/api/assets/leases/{lease_id}"): "assets.view_lease",
    ("POST", "/api/assets/leases/{lease_id}/activate"): "assets.change_lease",
    ("POST", "/api/assets/stocktakes"): "assets.add_stocktake",
    ("GET", "/api/assets/stocktakes/{stocktake_id}"): "assets.view_stocktake",
    ("POST", "/api/assets/stocktakes/{stocktake_id}/scan"): "assets.change_stocktake",
    ("POST", "/api/assets/stocktakes/{stocktake_id}/close"): "assets.change_stocktake",
    ("POST", "/api/assets/stocktakes/{stocktake_id}/approve"): "assets.approve_stocktake",
    ("POST", "/api/assets/stocktakes/lines/{line_id}/cause"): "assets.change_stocktake",
}


def path_objects(cast: Any) -> dict[str, Any]:
    from houqin.assets.models import Asset, Lease, Loan, Stocktake, StocktakeLine, Transfer
    from houqin.orgs.models import Person, Tenant

    asset = Asset.objects.create(
        school=cast.school_a,
        asset_no="ZC-2026-00001",
        name="台式计算机",
        unit_price="4800.00",
        original_value="4800.00",
        asset_class="fixed",
        acquired_on=dt.date(2026, 3, 1),
        funding_source="财政拨款",
    )
    stocktake = Stocktake.objects.create(
        school=cast.school_a, number="PD-2026-00001", name="年度盘点", created_by=cast.assetkeeper
    )
    return {
        "asset_id": asset,
        "transfer_id": Transfer.objects.create(
            school=cast.school_a, asset=asset, reason="调整", requested_by=cast.assetkeeper
        ),
        "loan_id": Loan.objects.create(
            school=cast.school_a,
            asset=asset,
            borrower=Person.objects.create(school=cast.school_a, name="借用人"),
            lent_on=dt.date(2026, 3, 2),
            due_on=dt.date(2026, 3, 9),
            lent_by=cast.assetkeeper,
            status_before="in_use",
        ),
        "lease_id": Lease.objects.create(
            school=cast.school_a,
            tenant=Tenant.objects.create(school=cast.school_a, name="培训学校"),
            asset=asset,
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2027, 2, 28),
            created_by=cast.assetkeeper,
        ),
        "stocktake_id": stocktake,
        "line_id": StocktakeLine.objects.create(
            school=cast.school_a, stocktake=stocktake, asset=asset, asset_no=asset.asset_no, result="missing"
        ),
    }
