from django.db import migrations

from declarations.layouts.builtin import install


def _shipped_fixes(apps, schema_editor):
    """The shipped layouts as this release ships them: the wider level
    columns of 中央中期和年度, 山西, 天津 and 浙江 become the next version of
    each that no administrator has saved; declarations keep their version."""
    install(
        apps.get_model("declarations", "TableLayout"),
        apps.get_model("declarations", "TableLayoutVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("declarations", "0013_more_builtin_layouts")]

    operations = [
        migrations.RunPython(_shipped_fixes, migrations.RunPython.noop),
    ]
