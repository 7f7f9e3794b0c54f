"""Background imports: the tables of a Word file left out at its preview."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("declarations", "0021_login_lockout")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="left_out",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
