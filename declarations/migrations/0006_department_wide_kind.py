"""部门整体支出 is `department_wide`, so that `department` means 主管部门 alone:
the declaration kind and the layout of department-wide declarations change
their stored value from "department" to "department_wide"."""

from django.db import migrations, models


def _rename(apps, schema_editor, old, new):
    Declaration = apps.get_model("declarations", "Declaration")
    Declaration.objects.filter(kind=old).update(kind=new)
    Declaration.objects.filter(layout=old).update(layout=new)
    if schema_editor.connection.vendor == "postgresql":
        # The update leaves deferred foreign-key checks pending, and
        # PostgreSQL builds no index on the table until they have run.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, "department", "department_wide")


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, "department_wide", "department")


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0005_one_department_wide"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="declaration",
            name="one_department_wide_declaration_per_year",
        ),
        migrations.AlterField(
            model_name="declaration",
            name="kind",
            field=models.CharField(
                choices=[("project", "项目支出"), ("department_wide", "部门整体支出")],
                default="project",
                max_length=16,
                verbose_name="申报类型",
            ),
        ),
        migrations.AlterField(
            model_name="declaration",
            name="layout",
            field=models.CharField(
                choices=[
                    ("hebei", "项目绩效目标表（河北样式）"),
                    ("central", "项目支出绩效目标申报表（中央样式）"),
                    ("department_wide", "部门整体支出绩效目标申报表"),
                ],
                default="central",
                max_length=16,
                verbose_name="申报表样式",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddConstraint(
            model_name="declaration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "department_wide")),
                fields=("organization", "year"),
                name="one_department_wide_declaration_per_year",
            ),
        ),
    ]
