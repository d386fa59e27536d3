"""django-ninja files every schema of the OpenAPI document under its class name, and a second class of the same
name in another module silently replaces the first (responses are then checked against the wrong schema). Each
schema class of the API modules must therefore have a name of its own."""

import importlib
import inspect
from collections import defaultdict

from pydantic import BaseModel

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def api_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("houqin."):
            continue
        for name in ("api", "api_records"):
            if module_has_submodule(config.module, name):
                yield importlib.import_module(f"{config.name}.{name}")


def test_every_api_schema_class_has_a_name_of_its_own():
    where = defaultdict(list)
    for module in api_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                where[name].append(module.__name__)
    shared = {name: modules for name, modules in where.items() if len(modules) > 1}
    assert not shared, f"schema classes with the same name in several API modules: {shared}"
