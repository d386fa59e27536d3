from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransportConfig(AppConfig):
    name = "houqin.transport"
    label = "transport"
    verbose_name = _("School bus")

    def ready(self) -> None:
        from houqin.core.registry import NavItem, NavSection, register_nav, register_today
        from houqin.transport import today

        register_nav(
            NavSection(
                key="transport",
                label=_("School bus"),
                icon="bi-bus-front",
                order=60,
                items=(
                    NavItem(_("Trips"), "transport:trip_list", "transport.attend_trip"),
                    NavItem(_("Routes"), "transport:route_list", "transport.view_route"),
                    NavItem(_("Bus riders"), "transport:rider_list", "transport.view_rider"),
                    NavItem(_("Buses"), "transport:vehicle_list", "transport.view_vehicle"),
                    NavItem(_("Drivers"), "transport:driver_list", "transport.view_driver"),
                    NavItem(_("Waiting room"), "transport:waiting_list", "transport.view_waitingsession"),
                    NavItem(_("School-bus drills"), "transport:drill_list", "transport.view_busdrill"),
                ),
            )
        )
        register_today(today.items_for)
