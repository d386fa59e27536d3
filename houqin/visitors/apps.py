from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitorsConfig(AppConfig):
    name = "houqin.visitors"
    label = "visitors"
    verbose_name = _("Gate")

    def ready(self) -> None:
        from houqin.core.registry import NavItem, NavSection, register_nav, register_today
        from houqin.visitors import today

        register_nav(
            NavSection(
                key="visitors",
                label=_("Gate"),
                icon="bi-door-open",
                order=45,
                items=(
                    NavItem(_("On campus now"), "visitors:gate", "visitors.view_visit"),
                    NavItem(_("Register a visitor"), "visitors:visit_create", "visitors.add_visit"),
                    NavItem(_("Visitor log"), "visitors:visit_list", "visitors.view_visit"),
                    NavItem(_("Staff going out"), "visitors:outing_list", "visitors.view_staffouting"),
                    NavItem(_("Gate passes"), "visitors:gatepass_list", "visitors.view_gatepass"),
                    NavItem(_("Outside vehicles"), "visitors:vehicle_list", "visitors.view_vehicleentry"),
                    NavItem(_("Blacklist"), "visitors:blacklist", "visitors.view_blacklistentry"),
                ),
            )
        )
        register_today(today.items_for)
