"""Small builders for the people and organizations the tests talk about."""

from django.contrib.auth import get_user_model

from declarations.models import Membership, Organization

PASSWORD = "Test@pass-2026"


def make_department(code: str, name: str) -> Organization:
    return Organization.objects.create(
        code=code, name=name, kind=Organization.Kind.DEPARTMENT
    )


def make_unit(department: Organization, code: str, name: str) -> Organization:
    return Organization.objects.create(
        code=code, name=name, kind=Organization.Kind.UNIT, parent=department
    )


def make_user(username: str, role: str | None = None, organization=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, **extra
    )
    if role:
        Membership.objects.create(user=user, organization=organization, role=role)
    return user
