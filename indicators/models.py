"""The national indicator taxonomy: first and second levels, kept as data.

A province extends it in the admin; the flags below drive the reviewer's checks
so that no check names a level in code.
"""

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
