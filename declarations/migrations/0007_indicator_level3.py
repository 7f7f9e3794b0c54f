"""The 三级指标 of an indicator row is `level3`, beside `level1` and `level2`."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("declarations", "0006_department_wide_kind"),
    ]

    operations = [
        migrations.RenameField(
            model_name="indicatorrow", old_name="name", new_name="level3"
        ),
    ]
