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
    install_default_taxonomy()
    tables_a_department = TABLES_A_UNIT * UNITS_A_DEPARTMENT
    count = max(1, declarations // tables_a_department)
    if Organization.objects.filter(code=department_code(0)).exists():
        raise ValueError("这一年的批量数据已经载入过了。")
    password = make_password(PASSWORD)
    User = get_user_model()
    departments, units, reviewers, preparers = [], [], [], []
    for d in range(count):
        department = Organization.objects.create(
            code=department_code(d),
            name=f"第{d + 1}号主管部门",
            kind=Organization.Kind.DEPARTMENT,
            layout_id=Layout.CENTRAL,
        )
        departments.append(department)
        reviewers.append(
            User(username=f"year{d:02d}_sh", last_name=f"部门{d + 1}审核人")
        )
        for u in range(UNITS_A_DEPARTMENT):
            units.append(
                Organization(
                    code=f"{department.code}{u:03d}",
                    name=f"第{d + 1}号主管部门第{u + 1}单位",
                    kind=Organization.Kind.UNIT,
                    parent=department,
                )
            )
            preparers.append(
                User(
                    username=f"year{d:02d}_{u}_tb",
                    last_name=f"单位{d + 1}-{u + 1}填报人",
                )
            )
    Organization.objects.bulk_create(units)
    for user in reviewers + preparers:
        user.password = password
    User.objects.bulk_create(reviewers + preparers)
    Membership.objects.bulk_create(
        [
            Membership(user=user, organization=dept, role=Role.REVIEWER)
            for user, dept in zip(reviewers, departments, strict=True)
        ]
        + [
            Membership(user=user, organization=unit, role=Role.PREPARER)
            for user, unit in zip(preparers, units, strict=True)
        ]
    )
    template = _template(units[0], preparers[0], year)
    _clone(template, units, preparers, reviewers, year)
    return Year(
        year,
        Declaration.objects.filter(organization__in=units, year=year).count(),
        departments,
        [u.username for u in reviewers],
        [u.username for u in preparers],
    )


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
        action=Action.APPROVE, declaration__organization__in=units
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
