"""Loads the national first and second indicator levels (DOMAIN.md §5)."""

from django.db import migrations

from indicators.defaults import install


def load(apps, schema_editor):
    install(
        apps.get_model("indicators", "IndicatorLevel1"),
        apps.get_model("indicators", "IndicatorLevel2"),
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_taxonomy")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
