from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "houqin.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from houqin.core.registry import NavItem, NavSection, register_nav, register_today
        from houqin.security import today

        register_nav(
            NavSection(
                key="security",
                label=_("Security"),
                icon="bi-shield-check",
                order=42,
                items=(
                    NavItem(_("Overview"), "security:dashboard", "security.view_guardshift"),
                    NavItem(_("Patrols"), "security:patrols", "security.view_patrollog"),
                    NavItem(_("Patrol routes"), "security:route_list", "security.change_patrolroute"),
                    NavItem(_("Guard roster"), "security:roster", "security.view_guardshift"),
                    NavItem(_("Criminal-record checks"), "security:vetting_list", "security.view_vettingcheck"),
                    NavItem(_("Cameras"), "security:camera_list", "security.view_camera"),
                    NavItem(_("Fire records"), "security:fire", "security.view_firepatrol"),
                    NavItem(_("Gate equipment"), "security:equipment", "security.view_gateequipment"),
                ),
            )
        )
        register_today(today.items_for)
