"""The stock API's operations and the permission each needs (read by tests/test_permission_matrix.py)."""

from typing import Any

PERMISSIONS = {
    ("GET", "/api/stock/items"): "stock.view_stockitem",
    ("POST", "/api/stock/items"): "stock.add_stockitem",
    ("GET", "/api/stock/items/{item_id}"): "stock.view_stockitem",
    ("POST", "/api/stock/receipts"): "stock.add_stockmovement",
    ("GET", "/api/stock/requisitions"): "stock.view_requisition",
    ("POST", "/api/stock/requisitions"): "stock.add_requisition",
    ("GET", "/api/stock/requisitions/{requisition_id}"): "stock.view_requisition",
    ("POST", "/api/stock/requisitions/{requisition_id}/approve"): "stock.approve_requisition",
    ("POST", "/api/stock/requisitions/{requisition_id}/reject"): "stock.approve_requisition",
    ("POST", "/api/stock/requisitions/{requisition_id}/issue"): "stock.issue_requisition",
    ("POST", "/api/stock/requisitions/{requisition_id}/receive"): "stock.view_requisition",
    ("POST", "/api/stock/counts"): "stock.add_stockcount",
    ("GET", "/api/stock/counts/{count_id}"): "stock.view_stockcount",
    ("POST", "/api/stock/counts/{count_id}/lines"): "stock.change_stockcount",
    ("POST", "/api/stock/counts/{count_id}/close"): "stock.change_stockcount",
}

# Only the requester or the receiver confirms receipt of a requisition.
OBJECT_RULES = {("POST", "/api/stock/requisitions/{requisition_id}/receive")}


def path_objects(cast: Any) -> dict[str, Any]:
    from houqin.stock.models import Requisition, StockCount, StockItem

    return {
        "item_id": StockItem.objects.create(school=cast.school_a, name="A4复印纸", unit="包"),
        "count_id": StockCount.objects.create(school=cast.school_a, name="期末盘点", started_by=cast.assetkeeper),
        "requisition_id": Requisition.objects.create(
            school=cast.school_a, number="LY-2026-00001", requested_by=cast.teacher, purpose="期中考试"
        ),
    }
