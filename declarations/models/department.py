"""Part one of the department book: 部门整体绩效目标."""

from django.conf import settings
from django.db import models

from declarations.models.organizations import Organization
from declarations.text import TEXT_LIMITS


class DepartmentGoals(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name="主管部门",
        on_delete=models.PROTECT,
        related_name="department_goals",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
    )
    year = models.PositiveSmallIntegerField("年度")
    overall = models.TextField(
        "总体绩效目标", max_length=TEXT_LIMITS["overall"], blank=True
    )
    version = models.PositiveIntegerField("版本", default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "部门整体绩效目标"
        verbose_name_plural = "部门整体绩效目标"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_goals_per_department_year"
            )
        ]

    def __str__(self):
        return f"{self.organization.name} {self.year}年部门整体绩效目标"


class GoalItem(models.Model):
    """分项绩效目标: a numbered goal with its indicators as text."""

    goals = models.ForeignKey(
        DepartmentGoals, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    goal = models.TextField("绩效目标", max_length=TEXT_LIMITS["goal_item"])
    indicators = models.TextField(
        "绩效指标", max_length=TEXT_LIMITS["goal_item"], blank=True
    )

    class Meta:
        verbose_name = "分项绩效目标"
        verbose_name_plural = "分项绩效目标"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.goal[:40]


class SafeguardMeasure(models.Model):
    """工作保障措施, numbered."""

    goals = models.ForeignKey(
        DepartmentGoals, on_delete=models.CASCADE, related_name="measures"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    text = models.TextField("工作保障措施", max_length=TEXT_LIMITS["measure"])

    class Meta:
        verbose_name = "工作保障措施"
        verbose_name_plural = "工作保障措施"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:40]
