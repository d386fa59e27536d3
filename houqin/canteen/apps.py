from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanteenConfig(AppConfig):
    name = "houqin.canteen"
    label = "canteen"
    verbose_name = _("Canteen")

    def ready(self) -> None:
        from houqin.canteen import today
        from houqin.core.registry import NavItem, NavSection, register_nav, register_today

        register_nav(
            NavSection(
                key="canteen",
                label=_("Canteen"),
                icon="bi-egg-fried",
                order=55,
                items=(
                    NavItem(_("Today in the canteen"), "canteen:dashboard", "canteen.view_sample"),
                    NavItem(_("Record a sample"), "canteen:sample_create", "canteen.add_sample"),
                    NavItem(_("Food samples"), "canteen:sample_list", "canteen.view_sample"),
                    NavItem(_("Accompanied meals"), "canteen:accompanied_list", "canteen.view_accompaniedmeal"),
                    NavItem(_("Parent accompanied meals"), "canteen:parent_meal_list", "canteen.view_parentmeal"),
                    NavItem(_("Menus"), "canteen:menu_list", "canteen.view_menu"),
                    NavItem(_("Parent feedback"), "canteen:feedback_list", "canteen.view_feedback"),
                    NavItem(_("Staff health"), "canteen:staff_health", "canteen.view_healthcertificate"),
                    NavItem(_("Purchase inspections"), "canteen:delivery_list", "canteen.view_delivery"),
                    NavItem(_("Fridge temperatures"), "canteen:fridge_list", "canteen.view_fridgereading"),
                    NavItem(_("Tableware disinfection"), "canteen:disinfection_list", "canteen.view_disinfection"),
                    NavItem(_("Meal counts"), "canteen:meal_count_list", "canteen.view_mealcount"),
                    NavItem(_("Meal price changes"), "canteen:price_change_list", "canteen.view_pricechange"),
                    NavItem(_("Canteen ledger"), "canteen:ledger_list", "canteen.view_ledgerentry"),
                    NavItem(_("Food incidents"), "canteen:incident_list", "canteen.view_foodincident"),
                    NavItem(_("Dining committee and surveys"), "canteen:governance", "canteen.view_committeemember"),
                ),
            )
        )
        register_today(today.items_for)
