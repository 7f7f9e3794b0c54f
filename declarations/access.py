"""Who may see and change what.

Every view that takes an id loads its object through these helpers, so that an
id from another department is simply not found (404) rather than forbidden.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from declarations.models import (
    Declaration,
    DepartmentGoals,
    Membership,
    Organization,
    Role,
)
from declarations.services.errors import not_editable_message


def readable_organizations(user) -> QuerySet[Organization]:
    """Organizations whose declarations the user may read.

    A preparer or admin reads their own organization; a reviewer or admin of a
    department also reads every unit below it.
    """
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    memberships = Membership.objects.filter(user=user)
    direct = memberships.values("organization_id")
    reaching_down = memberships.filter(
        role__in=[Role.REVIEWER, Role.ADMIN],
        organization__kind=Organization.Kind.DEPARTMENT,
    ).values("organization_id")
    return Organization.objects.filter(
        Q(pk__in=direct) | Q(parent_id__in=reaching_down)
    )


def writable_organizations(user) -> QuerySet[Organization]:
    """Organizations in which the user prepares (creates and edits) declarations."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=Role.PREPARER
    ).distinct()


def preparing_units(user) -> QuerySet[Organization]:
    """Units in which the user prepares project declarations."""
    return writable_organizations(user).filter(kind=Organization.Kind.UNIT)


def preparing_departments(user) -> QuerySet[Organization]:
    """Departments whose own declaration and goals the user prepares."""
    return writable_organizations(user).filter(kind=Organization.Kind.DEPARTMENT)


def reviewable_organizations(user) -> QuerySet[Organization]:
    """Departments the user reviews, with every unit below them."""
    if not user.is_authenticated:
        return Organization.objects.none()
    departments = Membership.objects.filter(
        user=user,
        role=Role.REVIEWER,
        organization__kind=Organization.Kind.DEPARTMENT,
    ).values("organization_id")
    return Organization.objects.filter(
        Q(pk__in=departments) | Q(parent_id__in=departments)
    )


def declaration_for(user, pk, *, write: bool = False):
    """The declaration if the user may read it (404 otherwise).

    With write=True a reader who may not edit it gets 403.
    """
    declaration = get_object_or_404(
        Declaration.objects.select_related("organization__parent", "updated_by"),
        pk=pk,
        organization__in=readable_organizations(user),
    )
    if write and not can_edit(user, declaration):
        raise PermissionDenied(
            "您只能查看这份申报表，不能修改。修改须由本单位填报人进行。"
        )
    if write and not declaration.is_editable:
        raise PermissionDenied(not_editable_message(declaration))
    return declaration


def can_edit(user, record) -> bool:
    """A preparer of the organization a declaration (or its goals) belongs to."""
    return writable_organizations(user).filter(pk=record.organization_id).exists()


def department_goals_for(user, pk) -> DepartmentGoals:
    """A department's goals (part one of its book) if the user reads the
    department (404 otherwise)."""
    return get_object_or_404(
        DepartmentGoals.objects.select_related("organization", "updated_by"),
        pk=pk,
        organization__in=readable_departments(user),
    )


def department_for(user, pk) -> Organization:
    """A department the user reads (404 otherwise)."""
    return get_object_or_404(readable_departments(user), pk=pk)


def readable_departments(user) -> QuerySet[Organization]:
    """The departments among the organizations the user reads."""
    return readable_organizations(user).filter(kind=Organization.Kind.DEPARTMENT)
