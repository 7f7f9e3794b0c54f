"""Layouts of the printed table, as data (declarations/layouts).

A ``TableLayout`` is what a department chooses; every change of its
definition is kept as a numbered ``TableLayoutVersion`` that is never
changed again, and a declaration names the version it was made under, so
it prints the same when the layout is later edited.
"""

from django.conf import settings
from django.db import models


class LayoutKind(models.TextChoices):
    PROJECT = "project", "项目支出"
    DEPARTMENT_WIDE = "department_wide", "部门整体支出"


class TableLayout(models.Model):
    code = models.SlugField(
        "代码",
        max_length=32,
        unique=True,
        help_text="英文字母、数字和连字符，如 zhejiang",
    )
    name = models.CharField("名称", max_length=100, editable=False)
    kind = models.CharField(
        "申报类型", max_length=16, choices=LayoutKind.choices, editable=False
    )
    definition = models.JSONField("定义")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "申报表样式"
        verbose_name_plural = "申报表样式"
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name


class TableLayoutVersion(models.Model):
    layout = models.ForeignKey(
        TableLayout,
        verbose_name="样式",
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField("版本")
    definition = models.JSONField("定义")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "样式版本"
        verbose_name_plural = "样式版本"
        ordering = ["layout", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["layout", "number"], name="one_number_per_layout_version"
            )
        ]

    def __str__(self):
        return f"{self.layout_id} 第{self.number}版"


def current_version(code: str) -> int:
    """The number of the layout's newest version, which new declarations
    are made under."""
    return TableLayout.objects.values_list("version", flat=True).get(code=code)
