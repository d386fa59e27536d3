"""User administration pages: the users of a school (or, for bureau administrators, of the district), creating a
login, editing roles and the active flag, resetting a password. The services in accounts/services.py do the work."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

import django_filters

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from houqin.accounts import services
from houqin.accounts.models import User
from houqin.accounts.roles import BUREAU_ROLES, SCHOOL_ROLES, Role
from houqin.core.audit import history_for
from houqin.core.forms import Form
from houqin.core.mixins import ScopedListView, ServiceFormView
from houqin.orgs.filters import ScopedFilterSet
from houqin.orgs.models import Person, School

PASSWORDS_DIFFER = _("The two passwords do not match.")


def role_choices(actor: User, target_school: bool | None) -> list[tuple[str, Any]]:
    """The roles `actor` may hand out: school roles for a school's user, bureau roles for a bureau user."""
    allowed = set(Role.values)
    if target_school is True or actor.school_id is not None:
        allowed &= SCHOOL_ROLES
    elif target_school is False:
        allowed &= BUREAU_ROLES
    if not (actor.is_superuser or Role.BUREAU_ADMIN in actor.role_codes):
        allowed.discard(Role.BUREAU_ADMIN)
    return [(code, label) for code, label in Role.choices if code in allowed]


def person_choices(actor: User, current: Person | None) -> models.QuerySet:
    """Staff records without a login yet (and the one already linked), from the actor's school or district."""
    people = Person.objects.visible_to(actor).select_related("school")
    return people.filter(is_active=True, user__isnull=True) | people.filter(pk=getattr(current, "pk", None))


class PasswordFields(Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, mixing at least 3 of: lower case, upper case, digits, symbols."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, user: Any = None, instance: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor, self.instance = user, instance

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", PASSWORDS_DIFFER)
        return data


class RoleCheckboxes(forms.CheckboxSelectMultiple):
    """One Bootstrap form-check per role, two columns from tablet width up."""

    template_name = "accounts/user_role_checkboxes.html"
    option_template_name = "accounts/user_role_option.html"


class RoleFields(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50, required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=RoleCheckboxes)
    person = forms.ModelChoiceField(label=_("Staff record"), queryset=Person.objects.none(), required=False)

    def setup(self, actor: User, target_school: bool | None, person: Person | None) -> None:
        self.fields["roles"].choices = role_choices(actor, target_school)
        self.fields["roles"].widget.attrs["class"] = "form-check-input"
        self.fields["person"].queryset = person_choices(actor, person)


class UserCreateForm(RoleFields, PasswordFields):
    username = forms.CharField(
        label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocapitalize": "none"})
    )
    school = forms.ModelChoiceField(
        label=_("School"),
        queryset=School.objects.none(),
        required=False,
        help_text=_("Leave empty for a bureau user."),
    )
    field_order = ["username", "name", "school", "password", "password2", "roles", "person"]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.setup(self.actor, None, None)
        if self.actor.school_id is not None:
            del self.fields["school"]
        else:
            self.fields["school"].queryset = School.objects.visible_to(self.actor)


class UserUpdateForm(RoleFields, Form):
    is_active = forms.BooleanField(label=_("Active"), required=False)
    field_order = ["name", "roles", "person", "is_active"]

    def __init__(self, *args: Any, user: Any = None, instance: User, **kwargs: Any):
        initial = {
            **kwargs.pop("initial", {}),
            "name": instance.name,
            "roles": sorted(instance.role_codes),
            "person": instance.person_id,
            "is_active": instance.is_active,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.setup(user, instance.school_id is not None, instance.person)


class UserPasswordForm(PasswordFields):
    pass


def _password_errors_on_field(call: Any) -> Any:
    """The password rules raise a plain list of messages: show them beside the password field."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            raise
        raise ValidationError({"password": error.messages}) from None


#
# Views
#


class UserFilter(ScopedFilterSet):
    role = django_filters.ChoiceFilter(label=_("Role"), field_name="role_assignments__role", choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta(ScopedFilterSet.Meta):
        model = User
        fields: list[str] = []


class UserListView(ScopedListView):
    """The users of the school (or district): username, name, roles, active, locked."""

    model = User
    permission_required = "accounts.view_user"
    template_name = "accounts/user_list.html"
    export_name = _("Users")
    export_columns = [
        (_("Username"), attrgetter("username")),
        (_("Name"), attrgetter("name")),
        (_("School"), attrgetter("school")),
        (_("Roles"), lambda u: "、".join(u.role_labels)),
        (_("Active"), attrgetter("is_active")),
        (_("Locked"), attrgetter("is_locked")),
    ]

    def filtered_queryset(self) -> models.QuerySet:
        queryset = self.scoped_queryset().with_roles()
        for word in self.request.GET.get("q", "").split():
            queryset = queryset.filter(Q(username__icontains=word) | Q(name__icontains=word))
        self.filterset = UserFilter(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("accounts.add_user"):
            context["add_url"] = reverse("accounts:user_create")
        return context


class UserFormView(ServiceFormView):
    model = User
    template_name = "accounts/user_form.html"
    title: Any = ""

    def get_success_url(self) -> str:
        return reverse("accounts:user_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if self.object is not None:
            context["history"] = history_for(self.object)[:50]
        return context


class UserCreateView(UserFormView):
    permission_required = "accounts.add_user"
    form_class = UserCreateForm
    title = _("New user")

    def perform(self, form: Any) -> User:
        data = form.cleaned_data
        actor = self.request.user
        school = actor.school or data.get("school")
        return _password_errors_on_field(
            lambda: services.user_create(
                actor=actor,
                username=data["username"],
                password=data["password"],
                name=data["name"],
                school=school,
                district=None if school else actor.district,
                roles=data["roles"],
                person=data["person"],
            )
        )


class UserUpdateView(UserFormView):
    permission_required = "accounts.change_user"
    form_class = UserUpdateForm
    title = _("Edit user")

    def perform(self, form: Any) -> User:
        data = form.cleaned_data
        return services.user_update(
            actor=self.request.user,
            user=self.object,
            roles=data["roles"],
            name=data["name"],
            person=data["person"],
            is_active=data["is_active"],
        )


class UserPasswordView(UserFormView):
    permission_required = "accounts.change_user"
    form_class = UserPasswordForm
    title = _("Reset password")
    success_message = _("The new password is set; the account is unlocked.")

    def perform(self, form: Any) -> User:
        password = form.cleaned_data["password"]
        return _password_errors_on_field(
            lambda: services.user_set_password(actor=self.request.user, user=self.object, password=password)
        )
