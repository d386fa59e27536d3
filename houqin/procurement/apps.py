from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "houqin.procurement"
    label = "procurement"
    verbose_name = _("Procurement")

    def ready(self) -> None:
        from houqin.core.registry import (
            NavItem,
            NavSection,
            SearchSource,
            register_nav,
            register_search,
            register_today,
        )
        from houqin.procurement import selectors, today

        register_nav(
            NavSection(
                key="procurement",
                label=_("Purchasing"),
                icon="bi-cart3",
                order=35,
                items=(
                    NavItem(_("Purchase requests"), "procurement:request_list", "procurement.view_purchaserequest"),
                    NavItem(_("New purchase request"), "procurement:request_create", "procurement.add_purchaserequest"),
                    NavItem(_("Approvals"), "procurement:approval_queue", "procurement.approve_purchaserequest"),
                    NavItem(_("Suppliers"), "procurement:supplier_list", "procurement.view_supplier"),
                    NavItem(_("Donations register"), "procurement:donation_list", "procurement.view_donation"),
                    NavItem(_("Spending"), "procurement:spending", "procurement.view_spending"),
                    NavItem(_("Off-book risk"), "procurement:offbook", "procurement.view_acceptance"),
                ),
            )
        )
        register_search(
            SearchSource(
                _("Purchase requests"),
                "procurement.view_purchaserequest",
                lambda user, q: selectors.request_list(user=user, q=q),
            )
        )
        register_search(
            SearchSource(
                _("Suppliers"), "procurement.view_supplier", lambda user, q: selectors.supplier_list(user=user, q=q)
            )
        )
        register_today(today.items_for)
