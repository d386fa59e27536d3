"""Every API operation × every role, generated from the OpenAPI schema, and every web page × an anonymous visitor.

A new endpoint fails `test_every_operation_declares_its_permission` until its author adds it to PERMISSIONS below:
that table is the readable statement of who may call what, and the matrix checks the code agrees with it.
"""

from __future__ import annotations

import re
import uuid
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import module_has_submodule

from houqin.api import api
from houqin.core.testing import HouqinTestCase
from houqin.orgs.choices import PlaceKind
from houqin.orgs.models import Person, Place, SchoolClass, Student, Tenant

PUBLIC = "public"  # no login at all
LOGGED_IN = None  # any logged-in user

PERMISSIONS: dict[tuple[str, str], str | None] = {
    ("POST", "/api/auth/token"): PUBLIC,
    ("GET", "/api/me"): LOGGED_IN,
    ("GET", "/api/audit"): "core.view_auditevent",
    ("GET", "/api/orgs/departments"): "orgs.view_department",
    ("POST", "/api/orgs/departments"): "orgs.add_department",
    ("GET", "/api/orgs/departments/{department_id}"): "orgs.view_department",
    ("GET", "/api/orgs/places"): "orgs.view_place",
    ("POST", "/api/orgs/places"): "orgs.add_place",
    ("GET", "/api/orgs/places/{place_id}"): "orgs.view_place",
    ("GET", "/api/orgs/people"): "orgs.view_person",
    ("POST", "/api/orgs/people"): "orgs.add_person",
    ("GET", "/api/orgs/people/{person_id}"): "orgs.view_person",
    ("GET", "/api/orgs/classes"): "orgs.view_schoolclass",
    ("POST", "/api/orgs/classes"): "orgs.add_schoolclass",
    ("GET", "/api/orgs/classes/{class_id}"): "orgs.view_schoolclass",
    ("GET", "/api/orgs/students"): "orgs.view_student",
    ("GET", "/api/orgs/students/{student_id}"): "orgs.view_student",
    ("GET", "/api/orgs/semesters"): "orgs.view_semester",
    ("GET", "/api/orgs/tenants"): "orgs.view_tenant",
    ("POST", "/api/orgs/tenants"): "orgs.add_tenant",
    ("GET", "/api/orgs/tenants/{tenant_id}"): "orgs.view_tenant",
}


def module_declarations() -> list[Any]:
    """Each module declares its own operations in `houqin/<app>/tests/api_permissions.py`: PERMISSIONS (the same
    table as above), optionally OBJECT_RULES (operations where a holder of the permission may still get 403 from a
    rule about the object itself) and path_objects(cast) -> {"<path parameter>": an object of school A}."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("houqin.") and module_has_submodule(config.module, "tests"):
            tests_package = import_module(f"{config.name}.tests")
            if module_has_submodule(tests_package, "api_permissions"):
                modules.append(import_module(f"{config.name}.tests.api_permissions"))
    return modules


MODULES = module_declarations()
PERMISSIONS.update({operation: perm for module in MODULES for operation, perm in module.PERMISSIONS.items()})
OBJECT_RULES: set[tuple[str, str]] = set().union(*(getattr(module, "OBJECT_RULES", set()) for module in MODULES))

MISSING_ID = 999999

# Web pages anyone may open; everything else must send an anonymous visitor to the login page.
PUBLIC_PAGES = re.compile(r"^(healthz$|accounts/login/$|i18n/setlang/$|api/|admin/|canteen/public/)")


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


class PermissionMatrixTests(HouqinTestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        building = Place.objects.create(school=cls.school_a, name="教学楼", kind=PlaceKind.BUILDING, full_name="教学楼")
        person = Person.objects.create(school=cls.school_a, name="张三", department=cls.department_a)
        school_class = SchoolClass.objects.create(school=cls.school_a, name="五年级二班", grade=5)
        cls.path_objects = {
            "department_id": cls.department_a,
            "place_id": building,
            "person_id": person,
            "class_id": school_class,
            "student_id": Student.objects.create(school=cls.school_a, name="王小明", school_class=school_class),
            "tenant_id": Tenant.objects.create(school=cls.school_a, name="小卖部"),
        }
        for module in MODULES:
            cls.path_objects.update(module.path_objects(cls))
        cls.cast = {**cls.users, "bureau": cls.bureau, "bureau_admin": cls.bureau_admin}

    def url(self, path: str) -> str:
        def object_id(match: re.Match) -> str:
            obj = self.path_objects.get(match.group(1))
            return str(obj.pk if obj is not None else MISSING_ID)

        return re.sub(r"\{(\w+)\}", object_id, path)

    def call(self, client: Client, method: str, path: str) -> Any:
        if method == "GET":
            return client.get(self.url(path))
        return client.generic(method, self.url(path), "{}", content_type="application/json")

    def test_every_operation_declares_its_permission(self):
        declared = set(PERMISSIONS)
        actual = set(operations())
        self.assertEqual(sorted(actual - declared), [], "add these operations to PERMISSIONS")
        self.assertEqual(sorted(declared - actual), [], "these PERMISSIONS entries name no operation")

    def test_every_declared_permission_exists_in_some_role(self):
        from houqin.accounts.roles import ROLE_PERMISSIONS

        granted = set().union(*ROLE_PERMISSIONS.values())
        for operation, perm in PERMISSIONS.items():
            if perm not in (PUBLIC, LOGGED_IN):
                self.assertIn(perm, granted, operation)

    def test_without_login_every_operation_but_the_token_exchange_is_401(self):
        client = Client()
        wrong = []
        for method, path in operations():
            status = self.call(client, method, path).status_code
            expected_401 = PERMISSIONS.get((method, path)) != PUBLIC
            if (status == 401) != expected_401 or status >= 500:
                wrong.append(f"{method} {path}: {status}")
        self.assertEqual(wrong, [])

    def test_each_role_gets_403_exactly_for_the_operations_it_lacks(self):
        wrong = []
        for name, user in self.cast.items():
            client = self.api(user)
            for method, path in operations():
                perm = PERMISSIONS.get((method, path))
                status = self.call(client, method, path).status_code
                forbidden = perm not in (PUBLIC, LOGGED_IN) and not user.has_perm(perm)
                object_rule = status == 403 and (method, path) in OBJECT_RULES
                if status >= 500 or status == 401 or ((status == 403) != forbidden and not object_rule):
                    wrong.append(f"{name}: {method} {path} -> {status} (permission {perm}, held: {not forbidden})")
        self.assertEqual(wrong, [])


def web_routes(patterns: list[Any] | None = None, prefix: str = "") -> list[str]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            routes += web_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def sample_url(route: str) -> str:
    def value(match: re.Match) -> str:
        return SAMPLE_VALUES.get(match.group(1) or "str", "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


class AnonymousWebTests(HouqinTestCase):
    maxDiff = None

    def test_every_page_but_the_public_ones_sends_an_anonymous_visitor_to_login(self):
        login_url = resolve_url(settings.LOGIN_URL)
        client = Client()
        wrong = []
        for route in web_routes():
            if PUBLIC_PAGES.match(route):
                continue
            url = sample_url(route)
            response = client.get(url)
            if response.status_code == 405:  # POST-only actions
                response = client.post(url)
            if response.status_code != 302 or not response["Location"].startswith(login_url):
                wrong.append(f"{url}: {response.status_code} {response.get('Location', '')}")
        self.assertEqual(wrong, [])

    def test_the_public_pages_do_not_redirect_to_login(self):
        client = Client()
        for url in ("/healthz", "/accounts/login/"):
            with self.subTest(url=url):
                self.assertEqual(client.get(url).status_code, 200)
