"""`houqin createschool`: register a school (and its district when new), optionally with its first administrator.

Run at the terminal, there is no logged-in actor: the audit events are recorded as done by the system.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from houqin.accounts.models import User, UserRole
from houqin.accounts.roles import Role
from houqin.core import audit
from houqin.orgs.choices import SchoolKind
from houqin.orgs.models import District, School

PASSWORD_NEEDED = gettext_noop("Give --admin-password (or run the command at a terminal to type it).")
CREATED = gettext_noop("School %(school)s created in %(district)s (id %(id)s).")
ADMIN_CREATED = gettext_noop("Administrator %(username)s created.")


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def district_get_or_create(name: str) -> District:
    district = District.objects.filter(name=name).first()
    if district is None:
        district = District(name=name)
        district.full_clean()
        district.save()
        audit.record(
            actor=None,
            action="orgs.district.created",
            target=district,
            district=district,
            changes={"name": [None, name]},
        )
    return district


def school_create(district: District, name: str, **fields: str) -> School:
    school = School(district=district, name=name, **fields)
    school.full_clean()
    school.save()
    changes = {"district": [None, district.name], "name": [None, name], **{k: [None, v] for k, v in fields.items()}}
    audit.record(actor=None, action="orgs.school.created", target=school, school=school, changes=changes)
    return school


def school_admin_create(school: School, username: str, password: str) -> User:
    """The school's first administrator; the password must meet the password rules."""
    user = User(username=username.strip(), school=school, district=school.district)
    user.full_clean(exclude=["password"])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    UserRole.objects.create(user=user, role=Role.SCHOOL_ADMIN)
    audit.record(
        actor=None,
        action="accounts.user.created",
        target=user,
        school=school,
        changes={"username": [None, user.username], "roles": [None, [Role.SCHOOL_ADMIN.value]]},
    )
    return user


class Command(BaseCommand):
    help = "Register a school of a district (created when new), optionally with its first school administrator."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--district", required=True, help="District name, e.g. 示例区教育局.")
        parser.add_argument("--name", required=True, help="School name, e.g. 实验小学.")
        parser.add_argument("--kind", choices=SchoolKind.values, default=SchoolKind.PRIMARY)
        parser.add_argument("--code", default="", help="School code.")
        parser.add_argument("--admin-username", default="", help="Username of the school's first administrator.")
        parser.add_argument("--admin-password", default="", help="Their password (asked for when omitted).")

    def handle(self, *args, **options) -> None:
        username = options["admin_username"].strip()
        password = options["admin_password"]
        if username and not password:
            password = self._ask_password()
        try:
            with transaction.atomic():
                district = district_get_or_create(options["district"].strip())
                school = school_create(district, options["name"].strip(), kind=options["kind"], code=options["code"])
                user = school_admin_create(school, username, password) if username else None
        except ValidationError as error:
            raise CommandError(_messages(error)) from None
        self.stdout.write(self.style.SUCCESS(_(CREATED) % {"school": school, "district": district, "id": school.pk}))
        if user is not None:
            self.stdout.write(self.style.SUCCESS(_(ADMIN_CREATED) % {"username": user.username}))

    @staticmethod
    def _ask_password() -> str:
        if not sys.stdin.isatty():
            raise CommandError(_(PASSWORD_NEEDED))
        return getpass.getpass(_("Password: "))
