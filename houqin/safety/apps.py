from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    name = "houqin.safety"
    label = "safety"
    verbose_name = _("Campus safety")

    def ready(self) -> None:
        from houqin.core.registry import (
            NavItem,
            NavSection,
            SearchSource,
            register_nav,
            register_search,
            register_today,
        )
        from houqin.safety import today
        from houqin.safety.selectors import hazard_list

        register_nav(
            NavSection(
                key="safety",
                label=_("Campus safety"),
                icon="bi-shield-check",
                order=40,
                items=(
                    NavItem(_("Inspection round"), "safety:round", "safety.add_inspection"),
                    NavItem(_("Hazard register"), "safety:hazard_list", "safety.view_hazard"),
                    NavItem(_("Report a hazard"), "safety:hazard_create", "safety.add_hazard"),
                    NavItem(_("Hazard statistics"), "safety:hazard_stats", "safety.view_hazard"),
                    NavItem(_("Special campaigns"), "safety:campaign_list", "safety.view_hazardcampaign"),
                    NavItem(_("Inspection records"), "safety:inspection_list", "safety.view_inspection"),
                    NavItem(_("Checklists"), "safety:template_list", "safety.view_checklisttemplate"),
                    NavItem(_("Drills"), "safety:drill_list", "safety.view_drill"),
                    NavItem(_("Responsibility agreements"), "safety:agreement_list", "safety.add_agreement"),
                    NavItem(_("My agreements"), "safety:my_agreements", "safety.view_agreement"),
                    NavItem(_("Notices to parents"), "safety:notice_list", "safety.view_notice"),
                ),
            )
        )
        register_search(SearchSource(_("Hazards"), "safety.view_hazard", lambda user, q: hazard_list(user=user, q=q)))
        register_today(today.items_for)
