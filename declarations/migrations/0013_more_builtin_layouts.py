from django.db import migrations

from declarations.layouts.builtin import install


def _new_builtin_layouts(apps, schema_editor):
    """The layouts shipped since 0012 (中央中期和年度, 浙江, 天津, 山西) in a
    database that has the first three already."""
    install(
        apps.get_model("declarations", "TableLayout"),
        apps.get_model("declarations", "TableLayoutVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("declarations", "0012_layouts_as_data")]

    operations = [
        migrations.RunPython(_new_builtin_layouts, migrations.RunPython.noop),
    ]
