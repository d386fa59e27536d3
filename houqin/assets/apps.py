from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "houqin.assets"
    label = "assets"
    verbose_name = _("Assets")

    def ready(self) -> None:
        from houqin.assets import today
        from houqin.assets.selectors import asset_list, open_before_leaving
        from houqin.core.registry import (
            NavItem,
            NavSection,
            SearchSource,
            register_leaving_check,
            register_nav,
            register_search,
            register_today,
        )

        register_nav(
            NavSection(
                key="assets",
                label=_("Assets"),
                icon="bi-pc-display",
                order=25,
                items=(
                    NavItem(_("Asset register"), "assets:asset_list", "assets.view_asset"),
                    NavItem(_("My assets"), "assets:my_assets"),
                    NavItem(_("Transfers"), "assets:transfer_list", "assets.view_transfer"),
                    NavItem(_("Loans"), "assets:loan_list", "assets.view_loan"),
                    NavItem(_("Leases"), "assets:lease_list", "assets.view_lease"),
                    NavItem(_("Stocktakes"), "assets:stocktake_list", "assets.view_stocktake"),
                    NavItem(_("Disposals"), "assets:disposal_list", "assets.view_disposal"),
                    NavItem(_("Depreciation"), "assets:depreciation", "assets.view_asset"),
                    NavItem(_("Import ledger"), "assets:asset_import", "assets.add_asset"),
                ),
            )
        )
        register_search(SearchSource(_("Assets"), "assets.view_asset", lambda user, q: asset_list(user=user, q=q)))
        register_today(today.items_for)
        register_leaving_check(open_before_leaving)
