from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "houqin.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from houqin.core.registry import NavItem, NavSection, register_nav

        register_nav(
            NavSection(
                key="system",
                label=_("System"),
                icon="bi-gear",
                order=90,
                items=(
                    NavItem(_("Users"), "accounts:user_list", "accounts.view_user"),
                    NavItem(_("Audit log"), "core:audit_list", "core.view_auditevent"),
                    NavItem(_("Rules and thresholds"), "orgs:policy_list", "core.view_policyvalue"),
                ),
            )
        )
