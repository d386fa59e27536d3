"""What modules contribute to the shell: navigation sections, 今日待办 items, global search sources, and the checks
that hold a member of staff back from leaving (assets still kept, loans still out).

Each app registers its entries in its AppConfig.ready(); core never imports a domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse

if TYPE_CHECKING:
    from houqin.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    permission: str | None = None
    icon: str = ""


@dataclass(frozen=True)
class NavSection:
    key: str
    label: Any
    icon: str
    items: tuple[NavItem, ...]
    order: int = 50


@dataclass(frozen=True)
class TodayItem:
    """One line of the home page: '3 inspections due today' with a link."""

    title: str
    url: str
    count: int | None = None
    level: str = "info"  # info | warning | danger
    module: str = ""


@dataclass(frozen=True)
class SearchSource:
    label: Any
    permission: str
    find: Callable[[User, str], Iterable[Any]]  # returns model instances with get_absolute_url()


@dataclass
class Registry:
    sections: list[NavSection] = field(default_factory=list)
    today_providers: list[Callable[[User], Iterable[TodayItem]]] = field(default_factory=list)
    search_sources: list[SearchSource] = field(default_factory=list)
    leaving_checks: list[Callable[[Any], list[str]]] = field(default_factory=list)


registry = Registry()


def register_nav(section: NavSection) -> None:
    if all(s.key != section.key for s in registry.sections):
        registry.sections.append(section)
        registry.sections.sort(key=lambda s: s.order)


def register_today(provider: Callable[[User], Iterable[TodayItem]]) -> None:
    if provider not in registry.today_providers:
        registry.today_providers.append(provider)


def register_search(source: SearchSource) -> None:
    if all(s.label != source.label for s in registry.search_sources):
        registry.search_sources.append(source)


def register_leaving_check(check: Callable[[Any], list[str]]) -> None:
    """`check(person)` returns what the person must settle before they leave, one sentence each (empty: nothing)."""
    if check not in registry.leaving_checks:
        registry.leaving_checks.append(check)


def before_leaving(person: Any) -> list[str]:
    return [reason for check in registry.leaving_checks for reason in check(person)]


def menu_for(user: User, path: str) -> list[dict[str, Any]]:
    """The navigation sections and items this user's roles allow, with the active one marked."""
    perms = user.get_all_permissions()
    menu = []
    for section in registry.sections:
        items = []
        for item in section.items:
            if item.permission is None or item.permission in perms:
                url = reverse(item.url_name)
                items.append(
                    {
                        "label": item.label,
                        "url": url,
                        "icon": item.icon,
                        "active": path == url or (url != "/" and path.startswith(url)),
                    }
                )
        if items:
            menu.append(
                {
                    "key": section.key,
                    "label": section.label,
                    "icon": section.icon,
                    "items": items,
                    "active": any(i["active"] for i in items),
                }
            )
    return menu


def today_for(user: User) -> list[TodayItem]:
    items: list[TodayItem] = []
    for provider in registry.today_providers:
        items.extend(provider(user))
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: order.get(i.level, 3))


def search_for(user: User, q: str, limit: int = 8) -> list[dict[str, Any]]:
    groups = []
    for source in registry.search_sources:
        if user.has_perm(source.permission):
            hits = list(source.find(user, q))[:limit]
            if hits:
                groups.append({"label": source.label, "hits": hits})
    return groups
