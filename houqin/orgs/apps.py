from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

CLASSES_WITHOUT_HEAD_TEACHER = _("Classes without a head teacher")


class OrgsConfig(AppConfig):
    name = "houqin.orgs"
    label = "orgs"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from houqin.core.registry import NavItem, NavSection, register_nav, register_search, register_today

        register_nav(
            NavSection(
                key="orgs",
                label=_("Organisation"),
                icon="bi-diagram-3",
                order=80,
                items=(
                    NavItem(_("Departments"), "orgs:department_list", "orgs.view_department"),
                    NavItem(_("Places"), "orgs:place_list", "orgs.view_place"),
                    NavItem(_("People"), "orgs:person_list", "orgs.view_person"),
                    NavItem(_("Classes"), "orgs:class_list", "orgs.view_schoolclass"),
                    NavItem(_("Students"), "orgs:student_list", "orgs.view_student"),
                    NavItem(_("Tenants"), "orgs:tenant_list", "orgs.view_tenant"),
                    NavItem(_("Semesters"), "orgs:semester_list", "orgs.view_semester"),
                ),
            )
        )
        for source in search_sources():
            register_search(source)
        register_today(classes_without_head_teacher)


def search_sources() -> list[Any]:
    """Global search over the organisation, each source limited to what the user may see."""
    from houqin.core.registry import SearchSource
    from houqin.core.search import search
    from houqin.orgs.models import Department, Person, Place, SchoolClass, Student, Tenant

    def finder(model: Any) -> Any:
        return lambda user, q: search(model.objects.visible_to(user), q)

    return [
        SearchSource(_("People"), "orgs.view_person", finder(Person)),
        SearchSource(_("Places"), "orgs.view_place", finder(Place)),
        SearchSource(_("Classes"), "orgs.view_schoolclass", finder(SchoolClass)),
        SearchSource(_("Departments"), "orgs.view_department", finder(Department)),
        SearchSource(_("Tenants"), "orgs.view_tenant", finder(Tenant)),
        SearchSource(_("Students"), "orgs.view_student", finder(Student)),
    ]


def classes_without_head_teacher(user: Any) -> list[Any]:
    """今日待办: active classes that nobody is head teacher of, for those who can set one."""
    from django.urls import reverse

    from houqin.core.registry import TodayItem
    from houqin.orgs.models import SchoolClass

    if not user.has_perm("orgs.change_schoolclass"):
        return []
    count = SchoolClass.objects.visible_to(user).filter(is_active=True, head_teacher__isnull=True).count()
    if not count:
        return []
    url = reverse("orgs:class_list") + "?no_head_teacher=true&is_active=true"
    return [
        TodayItem(
            title=str(CLASSES_WITHOUT_HEAD_TEACHER),
            url=url,
            count=count,
            level="warning",
            module=str(_("Organisation")),
        )
    ]
