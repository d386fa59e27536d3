"""The `houqin` console script: its commands, createschool, and how serve starts gunicorn."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from houqin.accounts.models import User
from houqin.accounts.roles import Role
from houqin.accounts.services import login_check
from houqin.core.models import AuditEvent
from houqin.orgs.models import District, School

HOUQIN = [sys.executable, "-m", "houqin.cli"]
GOOD_PASSWORD = "Xiaoxue-2026"


class ConsoleScriptTests(SimpleTestCase):
    def test_help_lists_the_houqin_commands(self):
        result = subprocess.run([*HOUQIN, "--help"], capture_output=True, text=True, check=True, timeout=60)
        for command in ("serve", "demo", "createschool", "backup", "restore", "migrate"):
            self.assertIn(f"    {command}\n", result.stdout)


class CreateSchoolTests(TestCase):
    def create(self, **options: str) -> str:
        out = StringIO()
        call_command("createschool", stdout=out, **{"district": "示例区教育局", "name": "某小学", **options})
        return out.getvalue()

    def test_it_creates_the_district_the_school_and_its_administrator(self):
        self.create(admin_username="xiaozhang", admin_password=GOOD_PASSWORD)
        school = School.objects.get(name="某小学", district__name="示例区教育局")
        admin = User.objects.get(username="xiaozhang")
        self.assertEqual((admin.school, admin.district), (school, school.district))
        self.assertEqual(set(admin.role_codes), {Role.SCHOOL_ADMIN})
        self.assertEqual(login_check(username="xiaozhang", password=GOOD_PASSWORD), admin)

    def test_it_audits_each_creation_as_done_by_the_system(self):
        self.create(admin_username="xiaozhang", admin_password=GOOD_PASSWORD)
        actions = set(AuditEvent.objects.filter(actor=None).values_list("action", flat=True))
        self.assertTrue({"orgs.district.created", "orgs.school.created", "accounts.user.created"} <= actions)

    def test_it_adds_a_school_to_an_existing_district(self):
        district = District.objects.create(name="示例区教育局")
        self.create()
        self.assertEqual(School.objects.get(name="某小学").district, district)
        self.assertEqual(District.objects.count(), 1)

    def test_a_weak_password_creates_nothing(self):
        with self.assertRaises(CommandError):
            self.create(admin_username="xiaozhang", admin_password="houqin")
        self.assertFalse(School.objects.exists())
        self.assertFalse(User.objects.exists())

    def test_a_school_name_already_used_in_the_district_is_refused(self):
        self.create()
        with self.assertRaises(CommandError):
            self.create()
        self.assertEqual(School.objects.count(), 1)


class ServeTests(SimpleTestCase):
    def test_it_collects_static_files_then_runs_gunicorn_with_the_houqin_config(self):
        module = "houqin.core.management.commands.serve"
        with mock.patch(f"{module}.call_command") as collect, mock.patch(f"{module}.os.execv") as execv:
            call_command("serve")
        collect.assert_called_once_with("collectstatic", interactive=False, verbosity=0)
        argv = execv.call_args.args[1]
        self.assertEqual(argv[1:3], ["-m", "gunicorn"])
        self.assertIn("python:houqin.gunicorn_conf", argv)
        self.assertEqual(argv[-1], "houqin.wsgi:application")

    def test_a_bad_port_is_refused_before_anything_starts(self):
        with mock.patch.dict(os.environ, {"PORT": "80a"}), self.assertRaises(CommandError):
            call_command("serve")

    def test_gunicorn_config_follows_the_environment(self):
        env = {"HOST": "0.0.0.0", "PORT": "8765", "HOUQIN_WORKERS": "3"}
        with mock.patch.dict(os.environ, env):
            conf = importlib.reload(importlib.import_module("houqin.gunicorn_conf"))
        self.assertEqual((conf.bind, conf.workers, conf.worker_class), ("0.0.0.0:8765", 3, "sync"))
        self.assertEqual((conf.max_requests, conf.max_requests_jitter, conf.timeout), (1000, 100, 60))
        self.assertEqual(conf.accesslog, "-")

    def test_gunicorn_config_defaults_to_loopback_port_8000_and_no_control_socket(self):
        with mock.patch.dict(os.environ, {"HOST": "", "PORT": "", "HOUQIN_WORKERS": ""}):
            conf = importlib.reload(importlib.import_module("houqin.gunicorn_conf"))
        self.assertEqual((conf.bind, conf.workers), ("127.0.0.1:8000", 2))
        self.assertIs(getattr(conf, "control_socket_disable", True), True)
