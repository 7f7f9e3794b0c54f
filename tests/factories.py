"""Small builders for the people and organizations the tests talk about."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from declarations.models import Membership, Organization
from declarations.services import drafts
from indicators.taxonomy import Taxonomy

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


def make_declaration(unit, user=None, *, year=2024, rows=None, goals=None, **fields):
    """A complete, clean declaration unless told otherwise."""
    defaults = {
        "year": year,
        "project_code": "450-0101-TEST",
        "project_name": "医保经办工作经费",
        "attribute": "continuing",
        "period": "1年期",
        "total": Decimal("35.00"),
        "fiscal": Decimal("35.00"),
        "fund_use": "保障医保业务正常办理",
    }
    return drafts.create_draft(
        unit,
        by=user,
        fields={**defaults, **fields},
        goals=["确保医保业务正常办理"] if goals is None else goals,
        rows=drafts.rows_from_names(
            STANDARD_ROWS if rows is None else rows, Taxonomy.load()
        ),
        spending_plan=[[3, "25.00"], [6, "50.00"], [10, "75.00"], [12, "100.00"]],
    )


STANDARD_ROWS = [
    ("产出指标", "数量指标", "参保人数", "", "≥30万人", "计划标准"),
    ("产出指标", "质量指标", "一站式结算率", "", "≥90%", "行业标准"),
    ("产出指标", "时效指标", "待遇支付及时率", "", "100%", "计划标准"),
    ("产出指标", "成本指标", "业务经费", "", "≤35万元", "预算支出标准"),
    ("效益指标", "社会效益指标", "政策知晓率", "", "≥80%", "历史标准"),
    ("效益指标", "可持续影响指标", "经办能力", "", "显著提升", "其他标准"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "", "≥90%", "行业标准"),
]


def use_layout(unit, code: str):
    """The unit's department files its project tables in layout `code`."""
    department = unit.parent
    department.layout_id = code
    department.save()
    unit.refresh_from_db()
    return unit


def formset_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    """The POST data of a formset with `rows`, each a dict of field values."""
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for i, fields in enumerate(rows):
        for name, value in fields.items():
            data[f"{prefix}-{i}-{name}"] = value
    return data
