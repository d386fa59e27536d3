from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StockConfig(AppConfig):
    name = "houqin.stock"
    label = "stock"
    verbose_name = _("Consumables")

    def ready(self) -> None:
        from houqin.core.registry import (
            NavItem,
            NavSection,
            SearchSource,
            register_nav,
            register_search,
            register_today,
        )
        from houqin.stock import today
        from houqin.stock.selectors import item_list

        register_nav(
            NavSection(
                key="stock",
                label=_("Consumables"),
                icon="bi-box-seam",
                order=30,
                items=(
                    NavItem(_("Items and balances"), "stock:item_list", "stock.view_stockitem"),
                    NavItem(_("Requisitions"), "stock:requisition_list", "stock.view_requisition"),
                    NavItem(_("New requisition"), "stock:requisition_create", "stock.add_requisition"),
                    NavItem(_("Stock ledger"), "stock:movement_list", "stock.view_stockmovement"),
                    NavItem(_("Stock counts"), "stock:count_list", "stock.view_stockcount"),
                    NavItem(_("Batch issue"), "stock:batch_issue", "stock.issue_requisition"),
                ),
            )
        )
        register_search(
            SearchSource(_("Consumables"), "stock.view_stockitem", lambda user, q: item_list(user=user, q=q))
        )
        register_today(today.items_for)
