"""Every write to a declaration goes through here, in a transaction.

Saves are optimistic: each form carries the version it was opened at, and a
save against a newer version is refused rather than silently overwriting
someone else's work.
"""

from collections.abc import Callable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from declarations.models import (
    INCOME_LABELS,
    SPENDING_LABELS,
    Declaration,
    Goal,
    IndicatorRow,
    Kind,
    Layout,
    Organization,
    Status,
)
from indicators.checks import DeclarationData, Finding, check
from indicators.taxonomy import Taxonomy


class DomainError(Exception):
    """A rule of the domain was broken; the message is for the user."""


class StaleVersion(DomainError):
    def __init__(self, current):
        self.current = current
        who = current.updated_by.get_full_name() if current.updated_by else "其他用户"
        when = timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")
        super().__init__(
            f"保存未成功：这份内容已被{who or current.updated_by}于 {when} 修改"
            f"（现为第 {current.version} 版）。您填写的内容仍保留在本页，"
            "请先复制需要保留的内容，再打开最新版本重新修改。"
        )


class DuplicateDeclaration(DomainError):
    pass


class NotEditable(DomainError):
    def __init__(self, declaration: Declaration):
        super().__init__(not_editable_message(declaration))


def not_editable_message(declaration: Declaration) -> str:
    hint = {
        Status.SUBMITTED: "如需修改，请先在申报表页面“撤回”。",
        Status.APPROVED: "如需修改，请联系审核人“撤销审核”。",
    }.get(declaration.status, "")
    return f"这份申报表{declaration.get_status_display()}，不能修改。{hint}"


def blank_spending_plan(unit: Organization) -> list[list]:
    return [[month, None] for month in unit.default_checkpoints()]


_UNIT_DEFAULTS = {"department_name", "department_code", "implementing_unit"}


def create_declaration(
    organization: Organization, *, by, fields: dict, plan: list[list] | None = None
) -> Declaration:
    """A new draft: a project of a unit, or (kind=department) the department's
    own department-wide declaration, with the defaults of its layout."""
    department_wide = fields.get("kind") == Kind.DEPARTMENT
    department = organization.department
    declaration = Declaration(
        organization=organization,
        layout=Layout.DEPARTMENT if department_wide else organization.effective_layout,
        department_name=department.name if department else "",
        department_code=department.code if department else "",
        implementing_unit=organization.name,
        spending_plan=[]
        if department_wide
        else plan or blank_spending_plan(organization),
        income_split=[[label, None] for label in INCOME_LABELS]
        if department_wide
        else [],
        spending_split=[[label, None] for label in SPENDING_LABELS]
        if department_wide
        else [],
        created_by=by,
        updated_by=by,
    )
    if department_wide:
        declaration.project_name = organization.name
    for name, value in fields.items():
        # Left blank, the department and implementing unit come from the unit.
        if value in ("", None) and name in _UNIT_DEFAULTS:
            continue
        setattr(declaration, name, value)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        if department_wide:
            raise DuplicateDeclaration(
                f"{organization.name} {declaration.year} 年已有部门整体支出"
                "绩效目标申报表，请在列表中打开它继续填写。"
            ) from None
        raise _duplicate(
            organization, declaration.year, declaration.project_code
        ) from None
    return declaration


def _duplicate(unit, year, code) -> DuplicateDeclaration:
    return DuplicateDeclaration(
        f"{unit.name} {year} 年已有项目编码为 {code} 的申报表，"
        "请在列表中打开它继续填写，或改用其他项目编码。"
    )


def save_versioned(model, pk: int, *, expected_version: int, by, apply, check=None):
    """Apply changes under a row lock, if nobody saved in between.

    `check(record)` may refuse the save (raise) before anything is applied.
    """
    with transaction.atomic():
        # Lock only the row itself: PostgreSQL refuses FOR UPDATE on the
        # nullable side of the join to updated_by.
        record = (
            model.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .get(pk=pk)
        )
        if record.version != expected_version:
            raise StaleVersion(record)
        if check is not None:
            check(record)
        apply(record)
        record.version += 1
        record.updated_by = by
        record.save()
    return record


def _require_editable(declaration: Declaration):
    if not declaration.is_editable:
        raise NotEditable(declaration)


def save_step(
    pk: int, *, expected_version: int, by, apply: Callable[[Declaration], None]
) -> Declaration:
    """Apply one step's changes, refused once the declaration is submitted."""
    applied = []

    def remembering(declaration):
        applied.append(declaration)
        apply(declaration)

    try:
        return save_versioned(
            Declaration,
            pk,
            expected_version=expected_version,
            by=by,
            apply=remembering,
            check=_require_editable,
        )
    except IntegrityError:
        # The step gave the declaration a project code its unit already uses.
        declaration = applied[0]
        raise _duplicate(
            declaration.organization, declaration.year, declaration.project_code
        ) from None


@transaction.atomic
def copy_declaration(source: Declaration, *, year: int, by) -> Declaration:
    """A new draft for `year` with the source's fields, goals and indicators."""
    unit = source.organization
    if (
        source.project_code
        and Declaration.objects.filter(
            organization=unit, year=year, project_code=source.project_code
        ).exists()
    ):
        raise _duplicate(unit, year, source.project_code)
    copy = Declaration.objects.get(pk=source.pk)
    copy.pk = None
    copy._state.adding = True
    copy.year = year
    copy.status = Status.DRAFT
    copy.version = 1
    copy.copied_from = source
    copy.created_by = copy.updated_by = by
    copy.save()
    Goal.objects.bulk_create(
        Goal(declaration=copy, position=g.position, text=g.text)
        for g in source.goals.all()
    )
    rows = []
    for r in source.indicators.all():
        row = IndicatorRow(
            declaration=copy,
            position=r.position,
            level1_id=r.level1_id,
            level2_id=r.level2_id,
            name=r.name,
            description=r.description,
            value=r.value,
            basis=r.basis,
        )
        row.fill_parsed_value()
        rows.append(row)
    IndicatorRow.objects.bulk_create(rows)
    return copy


class UnknownLevel(DomainError):
    pass


def indicator_rows_from_names(rows, taxonomy: Taxonomy) -> list[IndicatorRow]:
    """Unsaved rows from (一级, 二级, 三级, 描述, 值, 依据); aliases accepted."""
    built = []
    for position, (
        level1_name,
        level2_name,
        name,
        description,
        value,
        basis,
    ) in enumerate(rows, start=1):
        level1 = taxonomy.find_level1(level1_name)
        if level1 is None:
            raise UnknownLevel(
                f"第 {position} 行：一级指标“{level1_name}”不在指标体系中。"
            )
        level2 = taxonomy.find_level2(level1, level2_name)
        if level2 is None:
            raise UnknownLevel(
                f"第 {position} 行：二级指标“{level2_name}”不属于“{level1.name}”。"
            )
        row = IndicatorRow(
            position=position,
            level1=level1,
            level2=level2,
            name=name,
            description=description,
            value=value,
            basis=basis,
        )
        row.fill_parsed_value()
        built.append(row)
    return built


@transaction.atomic
def create_with_content(
    unit: Organization,
    *,
    by,
    fields: dict,
    goals: list[str],
    rows: list[tuple],
    plan: list[list] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Declaration:
    """A declaration with its goals and indicator rows, in one transaction."""
    indicator_rows = indicator_rows_from_names(rows, taxonomy or Taxonomy.load())
    declaration = create_declaration(unit, by=by, fields=fields, plan=plan)
    Goal.objects.bulk_create(
        Goal(declaration=declaration, position=i, text=text)
        for i, text in enumerate(goals, start=1)
    )
    for row in indicator_rows:
        row.declaration = declaration
    IndicatorRow.objects.bulk_create(indicator_rows)
    return declaration


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


def findings_for(declaration: Declaration, taxonomy: Taxonomy | None = None):
    """Errors and warnings of a stored declaration (goals/indicators prefetched)."""
    return check(
        DeclarationData.from_declaration(declaration), taxonomy or Taxonomy.load()
    )


def plan_from_pairs(pairs: list[tuple[int, Decimal | None]]) -> list[list]:
    return [[int(m), None if p is None else f"{p:.2f}"] for m, p in pairs]


__all__ = [
    "DomainError",
    "DuplicateDeclaration",
    "Finding",
    "StaleVersion",
    "copy_declaration",
    "create_declaration",
    "findings_for",
    "previous_declaration",
    "save_step",
]
