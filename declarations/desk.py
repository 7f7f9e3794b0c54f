"""What the home page (the desk) shows each role for a year, read in a fixed
number of queries however many tables there are.

A preparer: returned tables with their unanswered comments, drafts the
checks find errors in, what is not yet submitted as the deadline nears, and
the year's progress. A reviewer: the department's year per unit (tables by
state, budget, tables with warnings), overall progress, the oldest waiting
submission, and two charts drawn here as SVG (no script, and they print)."""

import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from declarations.access import reviewable_organizations, writable_organizations
from declarations.models import (
    Action,
    Deadline,
    Declaration,
    DeclarationEvent,
    DeclarationKind,
    Organization,
    RowComment,
    Status,
)
from indicators.library.categories import CATEGORY_WORDS, categories_of

# The states in the order a table passes them, with the labels of the desk.
STATES = [
    (Status.DRAFT, "草稿"),
    (Status.SUBMITTED, "待审核"),
    (Status.RETURNED, "已退回"),
    (Status.APPROVED, "已审核"),
]
# A deadline this many days ahead, or nearer, is shown as near.
NEAR_DAYS = 14
# Tables listed in a section of the preparer's desk; the count says how many.
SHOWN = 50


@dataclass
class Progress:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def approved(self) -> int:
        return self.counts.get(Status.APPROVED, 0)

    @property
    def percent(self) -> int:
        return round(100 * self.approved / self.total) if self.total else 0

    def states(self) -> list[tuple[str, str, int]]:
        return [(s, label, self.counts.get(s, 0)) for s, label in STATES]


@dataclass
class DeadlineSoon:
    due: datetime.date
    days_left: int
    department: Organization

    @property
    def is_near(self) -> bool:
        return self.days_left <= NEAR_DAYS

    @property
    def is_past(self) -> bool:
        return self.days_left < 0

    @property
    def days_past(self) -> int:
        return -self.days_left


def _deadlines(departments, year: int, today: datetime.date) -> dict[int, DeadlineSoon]:
    return {
        d.department_id: DeadlineSoon(d.due, (d.due - today).days, d.department)
        for d in Deadline.objects.filter(
            department__in=departments, year=year
        ).select_related("department")
    }


def preparer_desk(user, year: int) -> dict | None:
    """What needs the preparer: None if the user prepares nowhere."""
    units = list(writable_organizations(user).select_related("parent"))
    if not units:
        return None
    today = timezone.localdate()
    mine = Declaration.objects.filter(organization__in=units, year=year)
    counts = dict(
        mine.order_by().values_list("status").annotate(n=Count("pk")).order_by()
    )
    returned = list(
        mine.filter(status=Status.RETURNED)
        .select_related("organization")
        .order_by("project_code", "pk")
    )
    open_comments = _unanswered_comments(returned)
    for declaration in returned:
        declaration.open_comments = open_comments.get(declaration.pk, [])
    departments = {u.department.pk: u.department for u in units if u.department}
    deadlines = _deadlines(departments.values(), year, today)
    not_submitted = list(
        mine.filter(status__in=[Status.DRAFT, Status.RETURNED])
        .select_related("organization__parent")
        .order_by("organization__code", "project_code", "pk")[:SHOWN]
    )
    for declaration in not_submitted:
        department = declaration.organization.department
        declaration.deadline = deadlines.get(department.pk) if department else None
    with_errors = mine.filter(status=Status.DRAFT, error_count__gt=0)
    return {
        "year": year,
        "progress": Progress(counts),
        "returned": returned,
        "with_errors": list(
            with_errors.select_related("organization").order_by(
                "organization__code", "project_code", "pk"
            )[:SHOWN]
        ),
        "errors_count": with_errors.count(),
        "not_submitted": not_submitted,
        # Counted, not the length of the list shown (which stops at SHOWN).
        "not_submitted_count": counts.get(Status.DRAFT, 0)
        + counts.get(Status.RETURNED, 0),
        "deadlines": sorted(deadlines.values(), key=lambda d: d.due),
    }


def _unanswered_comments(declarations) -> dict[int, list[RowComment]]:
    """The row comments of each returned table's last return not yet
    answered (one query for them all)."""
    if not declarations:
        return {}
    last_returns = {}
    for declaration_id, event_id in (
        DeclarationEvent.objects.filter(
            declaration__in=declarations, action__in=[Action.RETURN, Action.REOPEN]
        )
        .order_by("created_at", "pk")
        .values_list("declaration_id", "pk")
    ):
        last_returns[declaration_id] = event_id  # the last one stays
    found: dict[int, list[RowComment]] = {}
    for comment in RowComment.objects.filter(
        event_id__in=last_returns.values(), answer=""
    ).select_related("event"):
        found.setdefault(comment.event.declaration_id, []).append(comment)
    return found


@dataclass
class UnitYear:
    unit: Organization
    counts: dict[str, int]
    total: Decimal  # 预算数, not a count: the tables' count is `tables`
    fiscal: Decimal
    with_warnings: int

    @property
    def tables(self) -> int:
        return sum(self.counts.values())

    def states(self) -> list[tuple[str, str, int]]:
        return Progress(self.counts).states()


def reviewer_desk(user, year: int) -> dict | None:
    """The department's year at a glance: None if the user reviews nowhere."""
    organizations = list(
        reviewable_organizations(user).select_related("parent").order_by("code")
    )
    if not organizations:
        return None
    of_year = Declaration.objects.filter(organization__in=organizations, year=year)
    per_unit = {
        row["organization_id"]: row
        for row in of_year.order_by()
        .values("organization_id")
        .annotate(
            total=Sum("total"),
            fiscal=Sum("fiscal"),
            with_warnings=Count("pk", filter=Q(warning_count__gt=0)),
            **{state: Count("pk", filter=Q(status=state)) for state, _ in STATES},
        )
    }
    units = [
        UnitYear(
            unit=o,
            counts={s: row.get(s, 0) for s, _ in STATES},
            total=row.get("total") or Decimal(0),
            fiscal=row.get("fiscal") or Decimal(0),
            with_warnings=row.get("with_warnings", 0),
        )
        for o in organizations
        if o.pk in per_unit or o.kind == Organization.Kind.UNIT
        for row in [per_unit.get(o.pk, {})]
    ]
    overall = Progress({s: sum(u.counts[s] for u in units) for s, _ in STATES})
    oldest = (
        of_year.filter(status=Status.SUBMITTED)
        .select_related("organization")
        .order_by("submitted_at", "pk")
        .first()
    )
    departments = [o for o in organizations if o.kind == Organization.Kind.DEPARTMENT]
    return {
        "year": year,
        "units": units,
        "progress": overall,
        "budget": sum((u.total for u in units), Decimal(0)),
        "fiscal": sum((u.fiscal for u in units), Decimal(0)),
        "with_warnings": sum(u.with_warnings for u in units),
        "oldest": oldest,
        "oldest_days": (timezone.now() - oldest.submitted_at).days
        if oldest and oldest.submitted_at
        else None,
        "deadlines": sorted(
            _deadlines(departments, year, timezone.localdate()).values(),
            key=lambda d: d.due,
        ),
        "state_chart": state_chart(units),
        "purpose_chart": purpose_chart(of_year),
    }


# --- charts, drawn as SVG in the template from these shapes ------------------

CHART_WIDTH, BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 640, 18, 8, 200


def short_names(names: list[str]) -> list[str]:
    """Names without the beginning they all share (秦皇岛市北戴河区…), where
    that leaves each something to tell it by."""
    if len(names) < 2:
        return names
    shared = os.path.commonprefix(names)
    if len(shared) < 4 or any(len(n) - len(shared) < 2 for n in names):
        return names
    return [n[len(shared) :] for n in names]


def state_chart(units: list[UnitYear]) -> dict:
    """A bar per unit, its tables stacked by state."""
    labels = short_names([u.unit.name for u in units])
    widest = max((u.tables for u in units), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / widest
    bars = []
    for i, unit in enumerate(units):
        y, x, parts = i * (BAR_HEIGHT + BAR_GAP), LABEL_WIDTH, []
        for state, label, count in unit.states():
            if count:
                parts.append(
                    {
                        "state": state,
                        "label": label,
                        "count": count,
                        "x": x,
                        "width": max(count * scale, 1),
                    }
                )
                x += count * scale
        bars.append(
            {
                "label": labels[i],
                "name": unit.unit.name,
                "y": y,
                "parts": parts,
                "end": x + 4,
                "tables": unit.tables,
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP),
        "bar_height": BAR_HEIGHT,
        "label_width": LABEL_WIDTH,
        "bars": bars,
        "legend": STATES,
    }


def purpose_chart(declarations) -> dict:
    """The year's budget (预算数) by the kind of project it funds, as the
    library groups them (from the project's name and 资金用途); a project of
    several kinds counts under its first."""
    by_purpose: dict[str, Decimal] = {}
    for name, fund_use, total in declarations.filter(
        kind=DeclarationKind.PROJECT
    ).values_list("project_name", "fund_use", "total"):
        kinds = categories_of(f"{name} {fund_use}")
        purpose = next((k for k in CATEGORY_WORDS if k in kinds), "其他")
        by_purpose[purpose] = by_purpose.get(purpose, Decimal(0)) + (total or 0)
    ranked = sorted(by_purpose.items(), key=lambda kv: -kv[1])
    largest = max((v for _, v in ranked), default=Decimal(0)) or Decimal(1)
    scale = (CHART_WIDTH - LABEL_WIDTH - 120) / float(largest)
    return {
        "width": CHART_WIDTH,
        "height": max(len(ranked), 1) * (BAR_HEIGHT + BAR_GAP),
        "bar_height": BAR_HEIGHT,
        "label_width": LABEL_WIDTH,
        "bars": [
            {
                "label": purpose,
                "amount": amount,
                "y": i * (BAR_HEIGHT + BAR_GAP),
                "width": max(float(amount) * scale, 1),
                "end": LABEL_WIDTH + max(float(amount) * scale, 1) + 6,
            }
            for i, (purpose, amount) in enumerate(ranked)
        ],
    }
