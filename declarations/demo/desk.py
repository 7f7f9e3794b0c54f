"""A demo year for the desk: the Beidaihe bureau's next budget year, filed by
three units, with tables in every state (drafts, one with errors, waiting
submissions, a return with row comments, approvals) and a deadline, so that
both desks, the lists and batch review have something to show.

Idempotent: a year that has its tables already is left as it is."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from declarations.demo.loading import DEMO_PASSWORD
from declarations.models import (
    Deadline,
    Declaration,
    Membership,
    Organization,
    Role,
    default_year,
)
from declarations.services import drafts, workflow

# (code, name, preparer account, preparer's name)
UNITS = [
    ("450002", None, "bdh_tb", None),
    ("450003", "秦皇岛市北戴河区医疗保障服务中心", "bdh_fw_tb", "北戴河服务中心填报人"),
    (
        "450004",
        "秦皇岛市北戴河区医疗保障基金稽核中心",
        "bdh_jh_tb",
        "北戴河稽核中心填报人",
    ),
]
# What happens to each unit's copies of the five tables, in order.
FATES = {
    "450002": ["approved", "approved", "submitted", "returned", "draft"],
    "450003": ["approved", "submitted", "submitted", "draft", "draft-with-errors"],
    "450004": ["submitted", "submitted", "returned"],
}
COPIED = [
    "project_code",
    "project_name",
    "attribute",
    "period",
    "total",
    "fiscal",
    "other",
    "fund_use",
    "department_name",
    "department_code",
]


def _preparer(unit, username, full_name):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": full_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organization=unit, role=Role.PREPARER)
    return user


def _copy(source: Declaration, unit, year: int, by, *, goals=True) -> Declaration:
    return drafts.create_draft(
        unit,
        by=by,
        fields={
            **{name: getattr(source, name) for name in COPIED},
            "year": year,
            "implementing_unit": unit.name,
        },
        goals=[g.text for g in source.goals.all()] if goals else [],
        rows=list(source.indicators.all()),
        spending_plan=source.spending_plan,
    )


@transaction.atomic
def load_desk_year(year: int | None = None) -> int:
    """The year's tables for the desk; how many were made (0 if there)."""
    year = year or default_year()
    department = Organization.objects.get(code="450")
    if Declaration.objects.filter(organization__parent=department, year=year).exists():
        return 0
    User = get_user_model()
    reviewer = User.objects.get(username="bdh_sh")
    sources = list(
        Declaration.objects.filter(organization__code="450002", year=2020)
        .prefetch_related("goals", "indicators")
        .order_by("pk")
    )
    made = 0
    for code, name, username, full_name in UNITS:
        unit = Organization.objects.filter(
            code=code
        ).first() or Organization.objects.create(
            code=code, name=name, kind=Organization.Kind.UNIT, parent=department
        )
        preparer = (
            User.objects.get(username=username)
            if full_name is None
            else _preparer(unit, username, full_name)
        )
        for source, fate in zip(sources, FATES[code], strict=False):
            table = _copy(
                source, unit, year, preparer, goals=fate != "draft-with-errors"
            )
            made += 1
            if fate.startswith("draft"):
                continue
            workflow.submit(table, by=preparer)
            if fate == "approved":
                workflow.approve(table, by=reviewer, grade="良")
            elif fate == "returned":
                workflow.return_for_revision(
                    table,
                    by=reviewer,
                    comment="请按审核意见修改后重新提交。",
                    row_comments={1: "数量指标请写明测算依据。"},
                )
    Deadline.objects.get_or_create(
        department=department,
        year=year,
        defaults={"due": timezone.localdate() + datetime.timedelta(days=10)},
    )
    return made
