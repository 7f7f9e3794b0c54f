"""The project declaration (项目绩效目标表 / 项目支出绩效目标申报表)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from declarations.models.layouts import TableLayout
from declarations.models.organizations import Layout, Organization
from declarations.text import TEXT_LIMITS
from indicators.models import IndicatorLevel1, IndicatorLevel2
from indicators.values import OPERATORS, compose, normalised, parse


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审核"


def default_year() -> int:
    """Budgets are declared in the autumn for the year to come."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= 7 else today.year


# The preparer edits only these; a submitted one must be withdrawn first.
EDITABLE_STATUSES = {Status.DRAFT, Status.RETURNED}


class Grade(models.TextChoices):
    """综合评定等级 of the central template, given on approval."""

    EXCELLENT = "优", "优"
    GOOD = "良", "良"
    FAIR = "中", "中"
    POOR = "差", "差"


class DeclarationKind(models.TextChoices):
    PROJECT = "project", "项目支出"
    DEPARTMENT_WIDE = "department_wide", "部门整体支出"


# The rows a department-wide declaration splits its total into, by default.
INCOME_LABELS = ["公共财政拨款", "政府性基金拨款", "财政专户管理资金", "其他资金"]
SPENDING_LABELS = ["基本支出", "项目支出"]


class ProjectAttribute(models.TextChoices):
    NEW = "new", "新增项目"
    CONTINUING = "continuing", "延续性项目"


def money(verbose_name, **extra):
    """Amounts in 万元 with two decimals; blank when the table leaves it empty."""
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, null=True, blank=True, **extra
    )


class Declaration(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name="填报单位",
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField(
        "申报类型",
        max_length=16,
        choices=DeclarationKind.choices,
        default=DeclarationKind.PROJECT,
    )
    # The layout and the version of it the declaration is made under; it
    # keeps them when its department moves to another layout.
    layout = models.ForeignKey(
        TableLayout,
        verbose_name="申报表样式",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="layout",
        default=Layout.CENTRAL.value,
        related_name="+",
    )
    layout_version = models.PositiveIntegerField("样式版本", default=1)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    grade = models.CharField(
        "综合评定等级", max_length=2, choices=Grade.choices, blank=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    # 基本信息
    project_code = models.CharField("项目编码", max_length=64, blank=True)
    project_name = models.CharField("项目名称", max_length=200)
    department_name = models.CharField("主管部门", max_length=200, blank=True)
    department_code = models.CharField("主管部门代码", max_length=32, blank=True)
    implementing_unit = models.CharField("实施单位", max_length=200, blank=True)
    attribute = models.CharField(
        "项目属性", max_length=16, choices=ProjectAttribute.choices, blank=True
    )
    period = models.CharField("项目期", max_length=50, blank=True)

    # 资金与支出计划
    total = money("预算数（年度资金总额）")
    fiscal = money("其中：财政资金（财政拨款）")
    other = money("其他资金")
    # The medium term's (中期 or 实施期) funds, where a layout prints them.
    term_total = money("中期资金总额")
    term_fiscal = money("中期财政拨款")
    term_other = money("中期其他资金")
    fund_use = models.TextField(
        "资金用途", max_length=TEXT_LIMITS["fund_use"], blank=True
    )
    # [[month, percent or null], …] — the checkpoints are data, 3/6/10/12 in Hebei.
    spending_plan = models.JSONField("资金支出计划（%）", default=list, blank=True)

    # Department-wide declarations only: [[label, amount or null], …] in 万元.
    income_split = models.JSONField("按收入性质分", default=list, blank=True)
    spending_split = models.JSONField("按支出性质分", default=list, blank=True)
    duties = models.TextField(
        "部门职能职责概述", max_length=TEXT_LIMITS["duties"], blank=True
    )

    # The header fields and side tables a layout defines itself, by key.
    extra = models.JSONField("其他内容", default=dict, blank=True)

    copied_from = models.ForeignKey(
        "self",
        verbose_name="复制自",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
    )
    # What the checks found when the table was last written (for lists and
    # the desk; the check step and review page always check afresh).
    error_count = models.PositiveSmallIntegerField("错误数", default=0)
    warning_count = models.PositiveSmallIntegerField("提醒数", default=0)
    # The table of the same unit and year whose indicator rows this one
    # repeats (the copied-table warning), as last checked: when that table
    # changes, this one is counted again (declarations.copies).
    repeats = models.ForeignKey(
        "self",
        verbose_name="指标相同的表",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "项目绩效目标申报"
        verbose_name_plural = "项目绩效目标申报"
        ordering = ["-year", "project_code", "pk"]
        indexes = [
            models.Index(fields=["organization", "year"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "project_code"],
                condition=~Q(project_code=""),
                name="unique_project_code_per_unit_and_year",
            ),
            models.UniqueConstraint(
                fields=["organization", "year"],
                condition=Q(kind="department_wide"),
                name="one_department_wide_declaration_per_year",
            ),
        ]

    def __str__(self):
        code = f"{self.project_code} " if self.project_code else ""
        return f"{self.year}年 {code}{self.project_name}"

    @property
    def is_department_wide(self) -> bool:
        return self.kind == DeclarationKind.DEPARTMENT_WIDE

    @property
    def title(self) -> str:
        if self.is_department_wide:
            return f"{self.project_name}部门整体支出绩效目标"
        return f"{self.project_name}绩效目标表"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def checkpoints(self) -> list[tuple[int, object]]:
        return [(int(m), p) for m, p in self.spending_plan]


class Period(models.TextChoices):
    """Which goals a goal or an indicator row belongs to: the year's, or the
    longer term's that a layout names 中期, 长期 or 实施期."""

    ANNUAL = "annual", "年度"
    TERM = "term", "中期"


class Goal(models.Model):
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="goals"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    text = models.TextField("绩效目标", max_length=TEXT_LIMITS["goal"])
    period = models.CharField(
        "目标期", max_length=8, choices=Period.choices, default=Period.ANNUAL
    )

    class Meta:
        verbose_name = "绩效目标"
        verbose_name_plural = "绩效目标"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:40]


class ValueKind(models.TextChoices):
    QUANTITATIVE = "quantitative", "定量"
    QUALITATIVE = "qualitative", "定性"


OPERATOR_CHOICES = [(op, op) for op in OPERATORS]


# Indicator rows a declaration holds at most, in the pages and the import
# alike; published tables have 8 to 40.
MAX_INDICATOR_ROWS = 200


def row_signature(level3: str, value: str) -> int | None:
    """A short hash of a row's indicator name and value as the copied-table
    check compares them (stripped), or None for a row without a name. In 64
    bits, two of a unit's n different rows share one with a chance of about
    n² / 2^65: nil for the 10^4 rows of a large unit's year."""
    name = level3.strip()
    if not name:
        return None
    text = f"{len(name)}:{name}{value.strip()}".encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class IndicatorRow(models.Model):
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="indicators"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    # Blank in a draft whose row is not finished: a draft always saves, and
    # the checks name the row (level_missing) and block its submission.
    level1 = models.ForeignKey(
        IndicatorLevel1,
        verbose_name="一级指标",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    level2 = models.ForeignKey(
        IndicatorLevel2,
        verbose_name="二级指标",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    level3 = models.CharField("三级指标", max_length=300, blank=True)
    description = models.TextField(
        "绩效指标描述", max_length=TEXT_LIMITS["description"], blank=True
    )
    value = models.CharField("指标值", max_length=200, blank=True)
    basis = models.CharField("指标值确定依据", max_length=300, blank=True)
    # The parts of `value`, read from it by indicators.values.parse whenever
    # the row is saved; a layout that prints 符号 / 指标值 / 计量单位 edits the
    # parts and `with_parts` writes the text from them, so the two agree.
    value_kind = models.CharField(
        "指标值类型", max_length=16, choices=ValueKind.choices, blank=True
    )
    value_operator = models.CharField(
        "计算符号", max_length=2, choices=OPERATOR_CHOICES, blank=True
    )
    value_number = models.DecimalField(
        "数值", max_digits=20, decimal_places=6, null=True, blank=True
    )
    value_unit = models.CharField("计量单位", max_length=20, blank=True)
    # Fields some provinces' layouts print; the others leave them blank.
    period = models.CharField(
        "目标期", max_length=8, choices=Period.choices, default=Period.ANNUAL
    )
    term_value = models.CharField(
        "中期指标值", max_length=200, blank=True, help_text="中期或实施期的指标值。"
    )
    explanation = models.TextField(
        "指标解释", max_length=TEXT_LIMITS["explanation"], blank=True
    )
    scoring = models.TextField(
        "评分标准", max_length=TEXT_LIMITS["scoring"], blank=True
    )
    weight = models.DecimalField(
        "分值", max_digits=6, decimal_places=2, null=True, blank=True
    )
    history = models.CharField("历史指标值", max_length=200, blank=True)
    # The columns a layout defines beyond these, by the column's key.
    extra = models.JSONField("其他栏目", default=dict, blank=True)
    # row_signature(level3, value), kept with the row so that the
    # copied-table check asks which tables share a table's rows in one query.
    signature = models.BigIntegerField("行签名", null=True, editable=False)

    class Meta:
        verbose_name = "绩效指标"
        verbose_name_plural = "绩效指标"
        ordering = ["position", "pk"]
        indexes = [
            # Suggestions read the rows of a few declarations at one second
            # level; without it SQLite walks every row of the level.
            models.Index(fields=["declaration", "level2"]),
            models.Index(fields=["declaration", "signature"]),
        ]

    def __str__(self):
        return f"{self.level3} {self.value}"

    def save(self, *args, **kwargs):
        self.fill_parsed_value()
        super().save(*args, **kwargs)

    def fill_parsed_value(self):
        """The parts from the text, which is what was typed or imported, and
        the row's signature: every write (save, bulk_create through the
        draft service) comes through here."""
        self.value = normalised(self.value)
        self.signature = row_signature(self.level3, self.value)
        parsed = parse(self.value)
        self.value_kind = (
            ""
            if not self.value.strip()
            else ValueKind.QUANTITATIVE
            if parsed.is_quantitative
            else ValueKind.QUALITATIVE
        )
        field = self._meta.get_field("value_number")
        if parsed.number is not None and abs(parsed.number) >= 10 ** (
            field.max_digits - field.decimal_places
        ):
            # Beyond what value_number holds: the value stays text only.
            self.value_operator, self.value_number, self.value_unit = "", None, ""
            return
        self.value_operator = parsed.operator
        self.value_number = parsed.number
        self.value_unit = parsed.unit[:20]

    def with_parts(self, operator: str, number, unit: str, text: str = ""):
        """Write the value from its parts, as a layout with 符号 / 指标值 /
        计量单位 columns takes it: a number gives ``≥90%``; no number keeps
        the text as a qualitative value. The parts are then read back from
        the text, so they hold what the text says."""
        self.value = compose(operator, number, unit, text)
        self.fill_parsed_value()
        return self

    @property
    def operator_label(self) -> str:
        """What a 符号 column prints: the operator, or 定性."""
        if self.value_kind == ValueKind.QUALITATIVE:
            return "定性"
        return self.value_operator

    @property
    def number_text(self) -> str:
        """What a split 指标值 column prints: the number as typed, or the
        qualitative text."""
        if self.value_kind == ValueKind.QUALITATIVE:
            return self.value
        parsed = parse(self.value)
        return "" if parsed.number is None else format(parsed.number, "f")
