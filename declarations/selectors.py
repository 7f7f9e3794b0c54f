"""Every read that is more than a .get(): queues, lists, the previous year,
the latest return, the book's tables and who may review what.

Views reach the database through these, `access` and `services` only.
"""

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from declarations.access import (
    readable_departments,
    readable_organizations,
    reviewable_organizations,
    writable_organizations,
)
from declarations.checks import findings_for
from declarations.filters import DeclarationFilter
from declarations.layouts.versions import definition_of
from declarations.models import (
    Action,
    Declaration,
    DeclarationEvent,
    DeclarationKind,
    DepartmentGoals,
    Membership,
    Organization,
    ProjectAttribute,
    Status,
)
from declarations.printing.cells import printed_parts
from declarations.printing.layout import indicator_table
from declarations.snapshots import diff
from indicators.checks import Severity
from indicators.taxonomy import Taxonomy


def may_review(user, declaration: Declaration) -> bool:
    """A reviewer of the declaration's department."""
    return (
        reviewable_organizations(user).filter(pk=declaration.organization_id).exists()
    )


def memberships_of(user) -> QuerySet[Membership]:
    return user.memberships.select_related("organization__parent").order_by(
        "organization__code", "role"
    )


def is_reviewer(user) -> bool:
    return reviewable_organizations(user).exists()


def waiting_counts(user) -> dict[str, int]:
    """What awaits the user: returns to fix, submissions to review."""
    return {
        "returned": Declaration.objects.filter(
            organization__in=writable_organizations(user), status=Status.RETURNED
        ).count(),
        "to_review": Declaration.objects.filter(
            organization__in=reviewable_organizations(user), status=Status.SUBMITTED
        ).count(),
    }


def review_queue(user) -> tuple[QuerySet[Declaration], QuerySet]:
    """Submissions awaiting the user's review, oldest first, and their count
    and oldest submission per unit."""
    waiting = (
        Declaration.objects.filter(
            organization__in=reviewable_organizations(user), status=Status.SUBMITTED
        )
        .select_related("organization")
        .order_by("submitted_at", "pk")
    )
    per_unit = (
        waiting.order_by()
        .values("organization__code", "organization__name")
        .annotate(count=Count("pk"), oldest=Min("submitted_at"))
        .order_by("organization__code")
    )
    return waiting, per_unit


def declaration_list(user, params=None) -> DeclarationFilter:
    """The declarations the user may read, filtered and sorted by the query
    string (`params`); `.qs` is the queryset, `.form` the filters shown back."""
    organizations = readable_organizations(user)
    return DeclarationFilter(
        params or None,
        Declaration.objects.filter(organization__in=organizations).select_related(
            "organization"
        ),
        units=organizations.filter(kind=Organization.Kind.UNIT).order_by("code"),
    )


def readable_declarations(user, ids: list[int]) -> list[Declaration]:
    """The declarations of the ids that the user may read, in the order of
    the ids (each once); the others are left out."""
    found = Declaration.objects.filter(
        pk__in=ids, organization__in=readable_organizations(user)
    ).select_related("organization__parent")
    by_pk = {d.pk: d for d in found}
    return [by_pk[i] for i in dict.fromkeys(ids) if i in by_pk]


def batch_result(user, kept: dict) -> dict:
    """What a batch review did, from what the batch kept in the session:
    the declarations it moved and those it refused, with why."""
    refused = dict(kept["refused"])
    declarations = {
        d.pk: d for d in readable_declarations(user, [*kept["done"], *refused])
    }
    return {
        "approved": kept["decision"] == "approve",
        "done": [declarations[pk] for pk in kept["done"] if pk in declarations],
        "refused": [
            (declarations[pk], reason)
            for pk, reason in refused.items()
            if pk in declarations
        ],
        "unknown": kept["unknown"],
        "back": kept["back"],
    }


def declarations_of(
    organizations, *, year=None, unit=None, status=None
) -> QuerySet[Declaration]:
    """The declarations of the organizations, of the year, unit and status given."""
    declarations = Declaration.objects.filter(organization__in=organizations)
    if year:
        declarations = declarations.filter(year=year)
    if unit:
        declarations = declarations.filter(organization=unit)
    if status:
        declarations = declarations.filter(status=status)
    return declarations


def continuing_not_yet_declared(user, year: int | None) -> list[Declaration]:
    """Last year's projects of the user's units, not marked new, that are
    not declared in `year`."""
    if not year:
        return []
    units = writable_organizations(user)
    declared = set(
        Declaration.objects.filter(organization__in=units, year=year).values_list(
            "organization_id", "project_code"
        )
    )
    # A table that does not say it is 新增 may well go on (many leave 项目属性
    # blank): only those marked new are not offered.
    last_year = (
        Declaration.objects.filter(
            organization__in=units, year=year - 1, kind=DeclarationKind.PROJECT
        )
        .exclude(attribute=ProjectAttribute.NEW)
        .select_related("organization")
    )
    return [
        d
        for d in last_year
        if not d.project_code or (d.organization_id, d.project_code) not in declared
    ]


def copy_sources(user) -> QuerySet[Declaration]:
    """Declarations the user may copy into a new year."""
    return (
        Declaration.objects.filter(organization__in=writable_organizations(user))
        .select_related("organization")
        .order_by("-year", "project_code")
    )


def previous_declaration(declaration: Declaration) -> Declaration | None:
    """Last year's declaration of the same project code in the same unit."""
    if not declaration.project_code:
        return None
    return (
        Declaration.objects.filter(
            organization=declaration.organization,
            project_code=declaration.project_code,
            year__lt=declaration.year,
        )
        .order_by("-year")
        .first()
    )


def latest_return(declaration: Declaration) -> DeclarationEvent | None:
    """The return (or reopening) the preparer should act on, if any."""
    return to_act_on(declaration, open_return(declaration))


def to_act_on(
    declaration: Declaration, standing: DeclarationEvent | None
) -> DeclarationEvent | None:
    """The standing return (open_return, already read), while the table is
    returned to its preparer."""
    return standing if declaration.status == Status.RETURNED else None


def open_return(declaration: Declaration) -> DeclarationEvent | None:
    """The last return (or reopening) whose row comments still stand: shown
    beside their rows to the preparer, and to the reviewer on the next look,
    until an approval settles them (a new return brings new ones)."""
    if declaration.status == Status.APPROVED or declaration.submitted_at is None:
        return None  # approved, or never submitted: nothing was returned
    last = (
        declaration.events.filter(
            action__in=[Action.RETURN, Action.REOPEN, Action.APPROVE]
        )
        .select_related("actor")
        .prefetch_related("row_comments__answered_by")
        .last()
    )
    return last if last is not None and last.action != Action.APPROVE else None


def comments_by_row(rows, event) -> dict[int, list]:
    """An open return's row comments by the index of the row they are about:
    the row of that name if there is one (rows move as they are edited),
    else the row of that number."""
    if event is None:
        return {}
    names = {}
    for i, row in enumerate(rows):
        names.setdefault(row.level3.strip(), i)
    placed: dict[int, list] = {}
    for comment in event.row_comments.all():
        i = names.get(comment.row_name.strip(), comment.row_number - 1)
        if 0 <= i < len(rows):
            placed.setdefault(i, []).append(comment)
    return placed


def checked_declaration(declaration: Declaration) -> dict:
    """The declaration laid out as the printed table, with the checks'
    findings, the reviewer's latest comments beside their rows, and the
    history: what the 核对 page and the review page show."""
    taxonomy = Taxonomy.load()
    declaration = (
        Declaration.objects.select_related("organization__parent", "updated_by")
        .prefetch_related("goals", "indicators__level1", "indicators__level2")
        .get(pk=declaration.pk)
    )
    findings = findings_for(declaration, taxonomy)
    table = indicator_table(list(declaration.indicators.all()), findings)
    standing = open_return(declaration)
    returned = to_act_on(declaration, standing)
    placed = comments_by_row([item.row for item in table], standing)
    for i, comments in placed.items():
        table[i].comments.extend(comments)
    return {
        "returned": returned,
        "events": declaration.events.select_related("actor", "submission")
        .prefetch_related("row_comments")
        .order_by("-created_at", "-pk"),
        "declaration": declaration,
        "table": table,
        "paper": printed_parts(
            declaration,
            definition_of(declaration),
            list(declaration.goals.all()),
            table,
            grade=True,
        ),
        "findings": findings,
        "general_findings": [f for f in findings if f.row is None],
        "error_count": sum(f.is_error for f in findings),
        "warning_count": sum(f.severity == Severity.WARNING for f in findings),
        "previous": previous_declaration(declaration),
    }


def changes_since_last_submission(declaration: Declaration):
    """What changed between the last two submissions, and those two; (None,
    None) when there is only one or nothing changed."""
    submissions = list(declaration.submissions.all())
    if len(submissions) < 2:
        return None, None
    changes = diff(submissions[-2].content, submissions[-1].content)
    return changes, (submissions[-2:] if changes else None)


def approved_projects(department: Organization, year: int) -> QuerySet[Declaration]:
    """The project tables of a department's book, in the order it prints them."""
    return (
        Declaration.objects.filter(
            Q(organization=department) | Q(organization__parent=department),
            year=year,
            kind=DeclarationKind.PROJECT,
            status=Status.APPROVED,
        )
        .select_related("organization")
        # The order the tables were declared in, unit by unit, as the book prints.
        .order_by("organization__code", "pk")
    )


def department_years(user) -> list[dict]:
    """Per department and year: the goals, the department-wide declaration,
    and how many of the project tables are approved. Four queries however
    many departments, years and tables."""
    departments = {d.pk: d for d in readable_departments(user).order_by("code")}
    writable = set(writable_organizations(user).values_list("pk", flat=True))
    # A department may file project tables itself, beside its units.
    projects = (
        Declaration.objects.filter(
            Q(organization_id__in=departments)
            | Q(organization__parent_id__in=departments),
            kind=DeclarationKind.PROJECT,
        )
        .annotate(department=Coalesce("organization__parent_id", "organization_id"))
        .values("department", "year")
        .annotate(
            count=Count("pk"),
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
        )
        .order_by()
    )
    counts = {(p["department"], p["year"]): p for p in projects}
    wide = {
        (d.organization_id, d.year): d
        for d in Declaration.objects.filter(
            organization_id__in=departments, kind=DeclarationKind.DEPARTMENT_WIDE
        ).only("pk", "organization_id", "year", "status")
    }
    goals = {
        (g.organization_id, g.year): g
        for g in DepartmentGoals.objects.filter(organization_id__in=departments).only(
            "pk", "organization_id", "year"
        )
    }
    rows = []
    for pk, department in departments.items():
        years = {y for d, y in [*counts, *wide, *goals] if d == pk}
        for year in sorted(years, reverse=True):
            of_year = counts.get((pk, year), {})
            rows.append(
                {
                    "department": department,
                    "year": year,
                    "goals": goals.get((pk, year)),
                    "wide": wide.get((pk, year)),
                    "approved": of_year.get("approved", 0),
                    "projects": of_year.get("count", 0),
                    "can_edit": pk in writable,
                }
            )
    return rows
