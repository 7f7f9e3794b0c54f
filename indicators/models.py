"""The national indicator taxonomy: first and second levels, kept as data.

A province extends it in the admin; the flags below drive the reviewer's checks
so that no check names a level in code.
"""

from django.conf import settings
from django.db import models


class IndicatorLevel1(models.Model):
    name = models.CharField("一级指标", max_length=50, unique=True)
    aliases = models.CharField(
        "别名",
        max_length=200,
        blank=True,
        help_text="旧表格中的其他写法，用顿号或逗号分隔，如“效果指标”。",
    )
    position = models.PositiveSmallIntegerField("排序", default=0)
    required = models.BooleanField(
        "每份申报至少一条", default=False, help_text="如产出、效益、满意度指标。"
    )

    class Meta:
        verbose_name = "一级指标"
        verbose_name_plural = "一级指标"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.replace("、", ",").split(",") if a.strip()]


class IndicatorLevel2(models.Model):
    level1 = models.ForeignKey(
        IndicatorLevel1,
        verbose_name="一级指标",
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("二级指标", max_length=50)
    aliases = models.CharField("别名", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0)
    mandatory = models.BooleanField(
        "必填", default=False, help_text="中央样式申报表标注“必填”。"
    )
    hard = models.BooleanField(
        "硬性指标", default=False, help_text="中央样式申报表标注“必填硬性指标”。"
    )
    quantitative = models.BooleanField(
        "应为定量指标", default=False, help_text="定性指标值会得到提醒。"
    )
    cost = models.BooleanField(
        "成本类指标", default=False, help_text="指标值上限不应超过项目预算。"
    )

    class ValueKind(models.TextChoices):
        ANY = "", "不限"
        COUNT = "count", "数量：个数、人次等，百分比会得到提醒"
        DEADLINE = "deadline", "时效：期限（如“不晚于12月底”）也算可衡量"

    value_kind = models.CharField(
        "指标值类型",
        max_length=16,
        choices=ValueKind.choices,
        default=ValueKind.ANY,
        blank=True,
        help_text="核对时据此判断指标值写法是否合适。",
    )

    class Meta:
        verbose_name = "二级指标"
        verbose_name_plural = "二级指标"
        ordering = ["level1__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["level1", "name"], name="unique_level2_per_level1"
            )
        ]

    def __str__(self):
        return self.name

    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.replace("、", ",").split(",") if a.strip()]

    @property
    def mark(self) -> str:
        """The mark printed after the name in the central template."""
        if self.hard:
            return "(必填硬性指标)"
        return "(必填)" if self.mandatory else ""


class LibraryEntry(models.Model):
    """An indicator of the library (指标库) the entry step suggests from: a
    third-level name under its levels, how it is measured and written, the
    projects it fits, and where it comes from. Only approved entries are
    offered; proposed ones wait for an administrator, retired ones stay for
    the record (and as what a merged duplicate became)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        APPROVED = "approved", "已采用"
        RETIRED = "retired", "已停用"

    class Operator(models.TextChoices):
        GE = "≥", "≥"
        GT = "＞", "＞"
        EQ = "=", "="
        LT = "＜", "＜"
        LE = "≤", "≤"
        QUALITATIVE = "定性", "定性"

    # The second level names its first: an entry cannot disagree with it.
    level2 = models.ForeignKey(
        IndicatorLevel2,
        verbose_name="二级指标",
        on_delete=models.PROTECT,
        related_name="library_entries",
    )
    name = models.CharField("指标名称", max_length=100)
    explanation = models.TextField("指标解释", max_length=500, blank=True)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    operator = models.CharField(
        "计算符号", max_length=4, choices=Operator.choices, blank=True
    )
    values = models.CharField(
        "常见指标值", max_length=200, blank=True, help_text="用顿号分隔，如 ≥95%、100%"
    )
    basis = models.CharField("指标值设定依据", max_length=200, blank=True)
    scoring = models.TextField("评分标准", max_length=500, blank=True)
    categories = models.CharField(
        "项目类别",
        max_length=200,
        blank=True,
        help_text="用顿号分隔，如 培训类、会议类；通用 指适合各类项目",
    )
    sectors = models.CharField(
        "行业领域",
        max_length=200,
        blank=True,
        help_text="用顿号分隔，如 医疗保障、教育",
    )
    keywords = models.CharField(
        "关键词", max_length=200, blank=True, help_text="用于匹配项目名称和资金用途"
    )
    source = models.CharField("来源", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PROPOSED
    )
    uses = models.PositiveIntegerField("采用次数", default=0, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="已合并到",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="有人修改过的条目，更新种子数据时保持原样。",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "指标库条目"
        verbose_name_plural = "指标库"
        ordering = ["level2__level1__position", "level2__position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["level2", "name"], name="one_library_name_per_level2"
            )
        ]
        indexes = [models.Index(fields=["state", "level2"])]

    def __str__(self):
        return f"{self.level2.name} · {self.name}"

    @property
    def level1(self) -> IndicatorLevel1:
        return self.level2.level1

    @staticmethod
    def tags(text: str) -> list[str]:
        return [t.strip() for t in text.replace(",", "、").split("、") if t.strip()]
