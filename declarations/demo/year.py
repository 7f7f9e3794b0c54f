"""A province's year at scale, to try every feature on: by default 40
departments of 5 units, 50 project tables a unit (10,000 declarations, 80,000
indicator rows), each unit's tables 30 drafts, 10 submitted and 10 approved.

Made in bulk from one table written through the draft service, so it takes
seconds, not the hours typing them would. Every account shares one password
(hashed once: hashing 240 passwords apart would take a minute).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from declarations.models import (
    Action,
    Declaration,
    DeclarationEvent,
    Goal,
    Grade,
    IndicatorRow,
    Layout,
    Membership,
    Organization,
    Role,
    Status,
    Submission,
)
from declarations.services import drafts
from declarations.snapshots import snapshot
from indicators.defaults import install as install_default_taxonomy
from indicators.taxonomy import Taxonomy

PASSWORD = "Year@2027-load"
TABLES_A_UNIT = 50
UNITS_A_DEPARTMENT = 5
# Of a unit's tables: the first are drafts, then submitted, then approved.
SUBMITTED_FROM, APPROVED_FROM = 30, 40

_ROWS = [
    ("产出指标", "数量指标", "参保人数", "≥2000人"),
    ("产出指标", "质量指标", "业务办理准确率", "≥98%"),
    ("产出指标", "时效指标", "按时办结率", "100%"),
    ("产出指标", "成本指标", "项目成本", "≤30万元"),
    ("效益指标", "社会效益指标", "群众办事便利程度", "明显提升"),
    ("效益指标", "可持续影响指标", "长效机制建立", "逐步完善"),
    ("满意度指标", "服务对象满意度指标", "参保群众满意度", "≥90%"),
    ("产出指标", "数量指标", "宣传培训场次", "≥12场"),
]


@dataclass
class Year:
    year: int
    declarations: int
    departments: list[Organization]
    reviewers: list[str]
    preparers: list[str]


def department_code(d: int) -> str:
    return f"98{d:02d}"


@transaction.atomic
def load_year(*, declarations: int = 10_000, year: int = 2027) -> Year:
    """Loads `year` into the bulk departments, making those (and their units
    and accounts) that an earlier year did not already make."""
    install_default_taxonomy()
    tables_a_department = TABLES_A_UNIT * UNITS_A_DEPARTMENT
    count = max(1, declarations // tables_a_department)
    departments, units, reviewers, preparers = _people(count)
    if Declaration.objects.filter(organization__in=units, year=year).exists():
        raise ValueError(f"{year} 年的批量数据已经载入过了，请换一个年度。")
    template = _template(units[0], preparers[0], year)
    _clone(template, units, preparers, reviewers, year)
    return Year(
        year,
        Declaration.objects.filter(organization__in=units, year=year).count(),
        departments,
        [u.username for u in reviewers],
        [u.username for u in preparers],
    )


def _people(count):
    """`count` departments of UNITS_A_DEPARTMENT units, a reviewer for each
    department and a preparer for each unit: those already there are kept."""
    User = get_user_model()
    codes = [department_code(d) for d in range(count)]
    unit_codes = [f"{c}{u:03d}" for c in codes for u in range(UNITS_A_DEPARTMENT)]
    there = Organization.objects.in_bulk(codes + unit_codes, field_name="code")
    departments, units, new_units = [], [], []
    for d, code in enumerate(codes):
        department = there.get(code) or Organization.objects.create(
            code=code,
            name=f"第{d + 1}号主管部门",
            kind=Organization.Kind.DEPARTMENT,
            layout_id=Layout.CENTRAL,
        )
        departments.append(department)
        for u in range(UNITS_A_DEPARTMENT):
            unit = there.get(f"{code}{u:03d}") or Organization(
                code=f"{code}{u:03d}",
                name=f"第{d + 1}号主管部门第{u + 1}单位",
                kind=Organization.Kind.UNIT,
                parent=department,
            )
            units.append(unit)
            if unit.pk is None:
                new_units.append(unit)
    Organization.objects.bulk_create(new_units)
    wanted = [
        (f"year{d:02d}_sh", f"部门{d + 1}审核人", dept, Role.REVIEWER)
        for d, dept in enumerate(departments)
    ] + [
        (
            f"year{i // UNITS_A_DEPARTMENT:02d}_{i % UNITS_A_DEPARTMENT}_tb",
            f"单位{i // UNITS_A_DEPARTMENT + 1}-{i % UNITS_A_DEPARTMENT + 1}填报人",
            unit,
            Role.PREPARER,
        )
        for i, unit in enumerate(units)
    ]
    names = [name for name, *_ in wanted]
    users = User.objects.in_bulk(names, field_name="username")
    made = {name for name, *_ in wanted if name not in users}
    # Hashed once, and only for new accounts: a hash takes a third of a second.
    password = make_password(PASSWORD) if made else ""
    User.objects.bulk_create(
        [
            User(username=name, last_name=last_name, password=password)
            for name, last_name, *_ in wanted
            if name in made
        ]
    )
    users |= User.objects.in_bulk(made, field_name="username")
    Membership.objects.bulk_create(
        [
            Membership(user=users[name], organization=org, role=role)
            for name, _, org, role in wanted
            if name in made
        ]
    )
    accounts = [users[name] for name in names]
    return departments, units, accounts[:count], accounts[count:]


def _template(unit, preparer, year) -> Declaration:
    """One complete table, through the draft service like any other."""
    taxonomy = Taxonomy.load()
    rows = [
        (l1, l2, l3, "围绕年度任务开展相关工作", value, "计划标准")
        for l1, l2, l3, value in _ROWS
    ]
    declaration = drafts.create_draft(
        unit,
        by=preparer,
        fields={
            "year": year,
            "project_code": "YEAR-TEMPLATE",
            "project_name": "医疗保障经办服务项目",
            "total": 35,
            "fiscal": 35,
            "fund_use": "保障医疗保障经办业务正常开展",
        },
        goals=["确保医保业务正常办理", "提高参保缴费率，实现应保尽保"],
        rows=drafts.rows_from_names(rows, taxonomy),
        spending_plan=[[3, "25.00"], [6, "50.00"], [10, "75.00"], [12, "100.00"]],
    )
    return Declaration.objects.prefetch_related("goals", "indicators").get(
        pk=declaration.pk
    )


def _clone(template, units, preparers, reviewers, year):
    goals = list(template.goals.all())
    rows = list(template.indicators.all())
    content = snapshot(template)
    template_pk = template.pk
    now = timezone.now()
    made = []
    for u, (unit, preparer) in enumerate(zip(units, preparers, strict=True)):
        for t in range(TABLES_A_UNIT):
            if (u, t) == (0, 0):
                continue  # the template itself is this unit's first table
            copy = Declaration(
                **{
                    f.attname: getattr(template, f.attname)
                    for f in Declaration._meta.concrete_fields
                    if not f.primary_key
                }
            )
            copy.organization = unit
            copy.implementing_unit = unit.name
            copy.department_name = unit.parent.name
            copy.department_code = unit.parent.code
            copy.project_code = f"{unit.code}-{t:03d}"
            copy.project_name = f"{template.project_name}{t + 1}"
            copy.created_by = copy.updated_by = preparer
            if t >= SUBMITTED_FROM:
                copy.status, copy.submitted_at = Status.SUBMITTED, now
            if t >= APPROVED_FROM:
                copy.status, copy.grade = Status.APPROVED, Grade.values[t % 4]
            made.append(copy)
    Declaration.objects.bulk_create(made, batch_size=1000)
    made = list(
        Declaration.objects.filter(organization__in=units, year=year)
        .exclude(pk=template_pk)
        .order_by("pk")
    )
    Goal.objects.bulk_create(
        [
            Goal(declaration=d, position=g.position, text=g.text)
            for d in made
            for g in goals
        ],
        batch_size=2000,
    )
    IndicatorRow.objects.bulk_create(
        [
            IndicatorRow(
                **{
                    f.attname: getattr(row, f.attname)
                    for f in IndicatorRow._meta.concrete_fields
                    if not f.primary_key
                }
                | {"declaration_id": d.pk}
            )
            for d in made
            for row in rows
        ],
        batch_size=2000,
    )
    _history([d for d in made if d.status != Status.DRAFT], content, reviewers, now)
    # Events are dated as they happened: the approval after the submission.
    DeclarationEvent.objects.filter(
        action=Action.APPROVE,
        declaration__organization__in=units,
        declaration__year=year,
    ).update(created_at=now + timedelta(minutes=1))


def _history(reviewed, content, reviewers, now):
    """A submission and its events for every table past draft."""
    codes = [department_code(d) for d in range(len(reviewers))]
    reviewer_of = dict(zip(codes, reviewers, strict=True))
    submissions = Submission.objects.bulk_create(
        [
            Submission(declaration=d, version=d.version, content=content)
            for d in reviewed
        ],
        batch_size=1000,
    )
    events = []
    for d, submission in zip(reviewed, submissions, strict=True):
        events.append(
            DeclarationEvent(
                declaration=d,
                action=Action.SUBMIT,
                from_status=Status.DRAFT,
                to_status=Status.SUBMITTED,
                actor_id=d.created_by_id,
                submission=submission,
            )
        )
        if d.status == Status.APPROVED:
            events.append(
                DeclarationEvent(
                    declaration=d,
                    action=Action.APPROVE,
                    from_status=Status.SUBMITTED,
                    to_status=Status.APPROVED,
                    actor=reviewer_of[d.department_code],
                    grade=d.grade,
                    comment="同意",
                    submission=submission,
                )
            )
    DeclarationEvent.objects.bulk_create(events, batch_size=2000)
