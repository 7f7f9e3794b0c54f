"""Demo organizations and people: the three bureaus of the reference tables.

Loading is idempotent: records are looked up by their natural keys (code,
username) and only created or corrected, so a second run changes nothing.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from declarations.demo.department import BEIDAIHE_GOALS_2020, HENGDONG_2021
from declarations.demo.tables import CENTRAL_2023, HEBEI_2020, HEBEI_PLAN, full_row
from declarations.models import (
    Declaration,
    DeclarationKind,
    DepartmentGoals,
    GoalItem,
    Layout,
    Membership,
    Organization,
    ProjectAttribute,
    Role,
    SafeguardMeasure,
    Status,
)
from declarations.services import drafts, workflow
from declarations.spreadsheet import columns, importing
from indicators.defaults import install as install_default_taxonomy
from indicators.taxonomy import Taxonomy

DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class Bureau:
    department_code: str
    unit_code: str
    name: str
    account_prefix: str
    layout: str


BUREAUS = [
    # Code and name as printed above the Hebei tables: 450002秦皇岛市北戴河区医疗保障局.
    Bureau("450", "450002", "秦皇岛市北戴河区医疗保障局", "bdh", Layout.HEBEI),
    Bureau("640502", "640502001", "中卫市沙坡头区医疗保障局", "spt", Layout.CENTRAL),
    Bureau("430424", "430424001", "衡东县医疗保障局", "hd", Layout.CENTRAL),
]


def _organization(code, **fields) -> Organization:
    org, _ = Organization.objects.update_or_create(code=code, defaults=fields)
    return org


def _user(username, full_name, *, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": full_name,
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_people() -> dict[str, Organization]:
    """Create the departments, their units and one account per role."""
    _user("admin", "系统管理员", superuser=True)
    units = {}
    for bureau in BUREAUS:
        department = _organization(
            bureau.department_code,
            name=bureau.name,
            kind=Organization.Kind.DEPARTMENT,
            parent=None,
            layout_id=bureau.layout,
        )
        unit = _organization(
            bureau.unit_code,
            name=bureau.name,
            kind=Organization.Kind.UNIT,
            parent=department,
        )
        short = bureau.name.removesuffix("医疗保障局")
        preparer = _user(f"{bureau.account_prefix}_tb", f"{short}填报人")
        reviewer = _user(f"{bureau.account_prefix}_sh", f"{short}审核人")
        Membership.objects.get_or_create(
            user=preparer, organization=unit, role=Role.PREPARER
        )
        Membership.objects.get_or_create(
            user=reviewer, organization=department, role=Role.REVIEWER
        )
        # The preparer also prepares the department's own declaration and goals.
        Membership.objects.get_or_create(
            user=preparer, organization=department, role=Role.PREPARER
        )
        units[bureau.unit_code] = unit
    return units


def _import_rows(unit, year, tables, *, spending_plan) -> list[dict]:
    """The tables as the rows of a spreadsheet in the import format."""
    rows = []
    for table in tables:
        declared = {
            columns.UNIT_CODE: unit.code,
            columns.YEAR: year,
            columns.PROJECT_CODE: table.get("project_code", ""),
            columns.PROJECT_NAME: table["project_name"],
            columns.SPENDING_PLAN: columns.SPENDING_PLAN.format(spending_plan),
            columns.GOALS: columns.GOALS.format(table["goals"]),
        }
        for column in columns.FIELDS:
            if column.key in table:
                declared[column] = table[column.key]
        if "attribute" in table:  # as the spreadsheet writes it: 延续性项目
            declared[columns.ATTRIBUTE] = ProjectAttribute(table["attribute"]).label
        for row in table["rows"]:
            cells = full_row(row)
            rows.append(
                {c.header: v for c, v in declared.items()}
                | {c.header: v for c, v in zip(columns.ROW, cells, strict=True)}
            )
    return rows


def _import_tables(unit, year, tables, *, by, spending_plan):
    """Create, through the spreadsheet import, the tables not loaded yet."""
    new = [
        table
        for table in tables
        if not Declaration.objects.filter(
            organization=unit,
            year=year,
            project_code=table.get("project_code", ""),
            project_name=table["project_name"],
        ).exists()
    ]
    import_plan = importing.analyse(
        _import_rows(unit, year, new, spending_plan=spending_plan), by
    )
    if import_plan.blocking:  # the transcribed tables no longer import
        raise ValueError("; ".join(str(p) for p in import_plan.blocking))
    importing.apply(import_plan, by)


@transaction.atomic
def load_declarations(units: dict[str, Organization]):
    """The project tables of the reference files, as declarations, loaded
    through the spreadsheet import so that every `make run` exercises it."""
    install_default_taxonomy()
    User = get_user_model()
    _import_tables(
        units["450002"],
        2020,
        HEBEI_2020,
        by=User.objects.get(username="bdh_tb"),
        spending_plan=HEBEI_PLAN,
    )
    _import_tables(
        units["640502001"],
        2023,
        CENTRAL_2023,
        by=User.objects.get(username="spt_tb"),
        spending_plan=[[3, None], [6, None], [9, None], [12, "100.00"]],
    )


def department_wide_content(table: dict) -> dict:
    """A transcribed department-wide table as create_draft's content."""
    return {
        "fields": {
            "kind": DeclarationKind.DEPARTMENT_WIDE,
            "year": table["year"],
            "total": Decimal(table["total"]),
            "income_split": table["income_split"],
            "spending_split": table["spending_split"],
            "duties": table["duties"],
        },
        "goals": table["goals"],
        "rows": drafts.rows_from_names(
            [full_row(row) for row in table["rows"]], Taxonomy.load()
        ),
    }


@transaction.atomic
def load_department_content():
    """Part one of the Hebei 2020 book, the Hengdong 2021 department-wide
    declaration, and the five Hebei 2020 tables approved as published."""
    User = get_user_model()
    hebei = Organization.objects.get(code="450")
    goals, created = DepartmentGoals.objects.get_or_create(
        organization=hebei,
        year=BEIDAIHE_GOALS_2020["year"],
        defaults={"overall": BEIDAIHE_GOALS_2020["overall"]},
    )
    if created:
        GoalItem.objects.bulk_create(
            GoalItem(goals=goals, position=i, goal=text)
            for i, text in enumerate(BEIDAIHE_GOALS_2020["items"], start=1)
        )
        SafeguardMeasure.objects.bulk_create(
            SafeguardMeasure(goals=goals, position=i, text=text)
            for i, text in enumerate(BEIDAIHE_GOALS_2020["measures"], start=1)
        )

    hengdong = Organization.objects.get(code="430424")
    table = HENGDONG_2021
    if not Declaration.objects.filter(
        organization=hengdong, year=table["year"], kind=DeclarationKind.DEPARTMENT_WIDE
    ).exists():
        drafts.create_draft(
            hengdong,
            by=User.objects.get(username="hd_tb"),
            **department_wide_content(table),
        )

    preparer = User.objects.get(username="bdh_tb")
    reviewer = User.objects.get(username="bdh_sh")
    for declaration in Declaration.objects.filter(
        organization__code="450002", year=2020, status=Status.DRAFT
    ).order_by("pk"):
        workflow.submit(declaration, by=preparer)
        workflow.approve(declaration, by=reviewer, grade="良")
