from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "houqin.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self) -> None:
        from houqin.core.registry import NavItem, NavSection, register_nav, register_today
        from houqin.health import today

        register_nav(
            NavSection(
                key="health",
                label=_("Health"),
                icon="bi-heart-pulse",
                order=50,
                items=(
                    NavItem(_("Health today"), "health:dashboard", "health.view_school_health"),
                    NavItem(_("Morning and noon check"), "health:check_form", "health.add_classcheck"),
                    NavItem(_("Open absences"), "health:absence_list", "health.view_studentcase"),
                    NavItem(_("Class checks"), "health:check_list", "health.view_classcheck"),
                    NavItem(_("Health alerts"), "health:alert_list", "health.view_healthalert"),
                    NavItem(_("Observation room"), "health:observation_list", "health.view_observationvisit"),
                    NavItem(_("Daily health report"), "health:daily_report", "health.view_daily_report"),
                    NavItem(_("Health statistics"), "health:stats", "health.view_school_health"),
                    NavItem(_("Disinfection"), "health:disinfection", "health.view_disinfectionschedule"),
                    NavItem(_("Reporter training"), "health:training", "health.view_reportertraining"),
                ),
            )
        )
        register_today(today.items_for)
