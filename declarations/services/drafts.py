"""Drafts: creating a declaration, copying it to another year, saving the
changes of an entry step or an import, and replacing its goals and rows.

Entry, import, copy and the demo all write a declaration's content through
here; forms and the importer only parse and describe the changes.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from declarations.models import (
    INCOME_LABELS,
    SPENDING_LABELS,
    Declaration,
    DeclarationKind,
    Goal,
    IndicatorRow,
    Organization,
    Period,
    Status,
)
from declarations.models.layouts import current_version
from declarations.services import checking
from declarations.services.errors import (
    DuplicateDeclaration,
    NotEditable,
    UnknownLevel,
)
from declarations.services.versioning import save_versioned
from indicators.taxonomy import Taxonomy


@dataclass
class DraftChanges:
    """What one entry step or one import row changes: the fields to set and,
    where given, the goals and indicator rows that replace the stored ones."""

    fields: dict
    goals: list[str] | None = None
    rows: list[IndicatorRow] | None = None
    # The 中期 (长期, 实施期) goals of a layout that prints them.
    term_goals: list[str] | None = None


def blank_spending_plan(unit: Organization) -> list[list]:
    return [[month, None] for month in unit.default_checkpoints()]


_UNIT_DEFAULTS = {"department_name", "department_code", "implementing_unit"}


def create_declaration(
    organization: Organization,
    *,
    by,
    fields: dict,
    spending_plan: list[list] | None = None,
) -> Declaration:
    """A new draft: a project of a unit, or (kind=department_wide) the
    department's own department-wide declaration, with its layout's defaults."""
    department_wide = fields.get("kind") == DeclarationKind.DEPARTMENT_WIDE
    department = organization.department
    layout = organization.layout_for(
        DeclarationKind.DEPARTMENT_WIDE if department_wide else DeclarationKind.PROJECT
    )
    declaration = Declaration(
        organization=organization,
        layout_id=layout,
        layout_version=current_version(layout),
        department_name=department.name if department else "",
        department_code=department.code if department else "",
        implementing_unit=organization.name,
        spending_plan=[]
        if department_wide
        else spending_plan or blank_spending_plan(organization),
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
            raise DuplicateDeclaration.of_department_wide(
                organization, declaration.year
            ) from None
        raise DuplicateDeclaration.of_project(
            organization, declaration.year, declaration.project_code
        ) from None
    return declaration


@dataclass
class NewDraft:
    """A declaration to create with its content."""

    unit: Organization
    fields: dict
    goals: list[str]
    rows: list[IndicatorRow]
    spending_plan: list[list] | None = None
    term_goals: list[str] | None = None


@transaction.atomic
def create_drafts(new: list[NewDraft], *, by) -> list[Declaration]:
    """Declarations with their goals and indicator rows, in one transaction;
    the goals and rows of all of them are inserted together."""
    declarations = [
        create_declaration(
            draft.unit, by=by, fields=draft.fields, spending_plan=draft.spending_plan
        )
        for draft in new
    ]
    _add_content(
        [
            (declaration, _goals(draft.goals, draft.term_goals), draft.rows)
            for declaration, draft in zip(declarations, new, strict=True)
        ]
    )
    checking.record_findings(declarations)
    return declarations


def create_draft(unit: Organization, *, by, **content) -> Declaration:
    """One declaration with its content (the fields of NewDraft)."""
    (declaration,) = create_drafts([NewDraft(unit, **content)], by=by)
    return declaration


def _goals(annual, term=None) -> list[tuple[str, str]] | None:
    """Goals as (period, text), the year's then the term's."""
    if annual is None and term is None:
        return None
    return [(Period.ANNUAL, t) for t in annual or []] + [
        (Period.TERM, t) for t in term or []
    ]


def replace_content(
    declaration: Declaration,
    *,
    goals: list[str] | None = None,
    rows: list[IndicatorRow] | None = None,
    term_goals: list[str] | None = None,
) -> None:
    """Replace the year's goals, the term's goals and/or the indicator rows,
    numbered in the order given; what is not given stays."""
    if goals is not None:
        declaration.goals.filter(period=Period.ANNUAL).delete()
    if term_goals is not None:
        declaration.goals.filter(period=Period.TERM).delete()
    if rows is not None:
        declaration.indicators.all().delete()
    _add_content([(declaration, _goals(goals, term_goals), rows)])


def _add_content(contents) -> None:
    """Insert the (declaration, goals as (period, text) or None, rows or
    None) of each, numbered."""
    goals, rows = [], []
    for declaration, its_goals, its_rows in contents:
        # Each period's goals are numbered apart, as each prints apart.
        numbers = {}
        for period, text in its_goals or []:
            numbers[period] = numbers.get(period, 0) + 1
            goals.append(
                Goal(
                    declaration=declaration,
                    position=numbers[period],
                    period=period,
                    text=text,
                )
            )
        for position, row in enumerate(its_rows or [], start=1):
            row.pk = None
            row.declaration = declaration
            row.position = position
            row.fill_parsed_value()
            rows.append(row)
    Goal.objects.bulk_create(goals, batch_size=1000)
    IndicatorRow.objects.bulk_create(rows, batch_size=1000)


def _require_editable(declaration: Declaration):
    if not declaration.is_editable:
        raise NotEditable(declaration)


def save_changes(
    pk: int, *, expected_version: int, by, changes: DraftChanges
) -> Declaration:
    """Save a step's (or an import's) changes, refused once submitted."""

    def apply(declaration: Declaration):
        for name, value in changes.fields.items():
            setattr(declaration, name, value)
        replace_content(
            declaration,
            goals=changes.goals,
            rows=changes.rows,
            term_goals=changes.term_goals,
        )

    try:
        with transaction.atomic():
            saved = save_versioned(
                Declaration,
                pk=pk,
                expected_version=expected_version,
                by=by,
                apply=apply,
                check=_require_editable,
            )
            checking.record_findings([saved.pk])
        return saved
    except IntegrityError:
        # The changes gave the declaration a project code its unit already uses.
        declaration = Declaration.objects.select_related("organization").get(pk=pk)
        raise DuplicateDeclaration.of_project(
            declaration.organization,
            changes.fields.get("year", declaration.year),
            changes.fields.get("project_code", declaration.project_code),
        ) from None


@transaction.atomic
def copy_to_year(source: Declaration, *, year: int, by) -> Declaration:
    """A new draft for `year` with the source's fields, goals and indicators."""
    unit = source.organization
    that_year = Declaration.objects.filter(organization=unit, year=year)
    if source.is_department_wide:
        if that_year.filter(kind=source.kind).exists():
            raise DuplicateDeclaration.of_department_wide(unit, year)
    elif source.project_code:
        if that_year.filter(project_code=source.project_code).exists():
            raise DuplicateDeclaration.of_project(unit, year, source.project_code)
    elif that_year.filter(copied_from=source).exists():
        # No code to tell them apart: a second click would make a twin draft.
        raise DuplicateDeclaration.of_copy(source, year)
    copy = Declaration.objects.get(pk=source.pk)
    copy.pk = None
    copy._state.adding = True
    copy.year = year
    copy.status = Status.DRAFT
    copy.grade = ""
    copy.submitted_at = None
    copy.version = 1
    copy.copied_from = source
    # A new year's table is made in the department's layout of today.
    copy.layout_id = unit.layout_for(source.kind)
    copy.layout_version = current_version(copy.layout_id)
    copy.created_by = copy.updated_by = by
    copy.save()
    _add_content(
        [
            (
                copy,
                [(g.period, g.text) for g in source.goals.all()],
                list(source.indicators.all()),
            )
        ]
    )
    checking.record_findings([copy.pk])
    return copy


def rows_from_names(rows, taxonomy: Taxonomy) -> list[IndicatorRow]:
    """Unsaved rows from (一级, 二级, 三级, 描述, 值, 依据); aliases accepted."""
    built = []
    for position, (
        level1_name,
        level2_name,
        level3,
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
        built.append(
            IndicatorRow(
                level1=level1,
                level2=level2,
                level3=level3,
                description=description,
                value=value,
                basis=basis,
            )
        )
    return built
