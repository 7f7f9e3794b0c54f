from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from declarations.models.layouts import LayoutKind, TableLayout


class Layout(models.TextChoices):
    """The codes of the layouts shipped with the app (layouts/builtin); an
    administrator adds others in the admin."""

    HEBEI = "hebei", "项目绩效目标表（河北样式）"
    CENTRAL = "central", "项目支出绩效目标申报表（中央样式）"
    # Only for department-wide declarations, never a department's setting.
    DEPARTMENT_WIDE = "department_wide", "部门整体支出绩效目标申报表"


class Organization(models.Model):
    """A 主管部门 (department) or a 单位 (unit) below one."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "主管部门"
        UNIT = "unit", "单位"

    code = models.CharField(
        "代码", max_length=32, unique=True, help_text="如 450 或 450002"
    )
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级主管部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        limit_choices_to={"kind": Kind.DEPARTMENT},
    )
    layout = models.ForeignKey(
        TableLayout,
        verbose_name="申报表样式",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="layout",
        default=Layout.CENTRAL.value,
        limit_choices_to={"kind": LayoutKind.PROJECT},
        related_name="+",
        help_text="主管部门的设置，其下单位沿用；已填的申报表保留原来的样式。",
    )
    department_wide_layout = models.ForeignKey(
        TableLayout,
        verbose_name="部门整体支出申报表样式",
        on_delete=models.PROTECT,
        to_field="code",
        default=Layout.DEPARTMENT_WIDE.value,
        limit_choices_to={"kind": LayoutKind.DEPARTMENT_WIDE},
        related_name="+",
        help_text="主管部门的设置。",
    )
    checkpoint_months = models.CharField(
        "资金支出计划节点（月）",
        max_length=40,
        blank=True,
        help_text="逗号分隔的月份，如 3,6,10,12；留空则按申报表样式默认。",
    )

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}{self.name}"

    @property
    def department(self) -> "Organization":
        return self if self.kind == self.Kind.DEPARTMENT else self.parent

    @property
    def effective_layout(self) -> str:
        """The code of the layout new project declarations are made in."""
        return self.layout_for("project")

    def layout_for(self, kind: str) -> str:
        """The code of the layout a new declaration of `kind` is made in: the
        department's choice."""
        department = self.department or self
        if kind == LayoutKind.DEPARTMENT_WIDE:
            return department.department_wide_layout_id
        return department.layout_id

    def default_checkpoints(self) -> list[int]:
        department = self.department or self
        if department.checkpoint_months:
            return [int(m) for m in department.checkpoint_months.split(",")]
        return list(department.layout.definition.get("checkpoints", [3, 6, 9, 12]))

    def clean(self):
        if self.checkpoint_months:
            try:
                months = [int(m) for m in self.checkpoint_months.split(",")]
            except ValueError:
                months = []
            if (
                not months
                or any(not 1 <= m <= 12 for m in months)
                or months != sorted(set(months))
            ):
                message = "请填写 1–12 之间、由小到大的月份，如 3,6,10,12。"
                raise ValidationError({"checkpoint_months": message})
        if self.kind == self.Kind.DEPARTMENT and self.parent_id:
            raise ValidationError(
                {"parent": "主管部门不能再有上级，请清空“上级主管部门”。"}
            )
        if self.kind == self.Kind.UNIT and not self.parent_id:
            raise ValidationError({"parent": "单位必须选择所属的主管部门。"})


class Role(models.TextChoices):
    PREPARER = "preparer", "填报人"
    REVIEWER = "reviewer", "审核人"
    ADMIN = "admin", "管理员"


class Membership(models.Model):
    """Gives a user one role in one organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name="组织",
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = "成员角色"
        verbose_name_plural = "成员角色"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organization.name} · {self.get_role_display()}"

    def clean(self):
        if (
            self.role == Role.REVIEWER
            and self.organization_id
            and self.organization.kind != Organization.Kind.DEPARTMENT
        ):
            raise ValidationError(
                {"organization": "审核人须设在主管部门上，才能审核其下所有单位。"}
            )
