"""Indicator row signatures for the copied-table check, and whom each table
repeats, filled for the rows and tables already stored."""

import hashlib
from collections import Counter

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count

BATCH = 2000


def _signature(level3, value):
    # declarations.models.declarations.row_signature as of this migration.
    name = level3.strip()
    if not name:
        return None
    text = f"{len(name)}:{name}{value.strip()}".encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def fill_signatures(apps, schema_editor):
    IndicatorRow = apps.get_model("declarations", "IndicatorRow")
    last = 0
    while batch := list(
        IndicatorRow.objects.filter(pk__gt=last)
        .order_by("pk")
        .only("pk", "level3", "value")[:BATCH]
    ):
        for row in batch:
            row.signature = _signature(row.level3, row.value)
        IndicatorRow.objects.bulk_update(batch, ["signature"], batch_size=BATCH)
        last = batch[-1].pk


def fill_repeats(apps, schema_editor):
    """As declarations.copies finds it: the project table of the same unit
    and year holding at least 80 % of a table's at least 4 different rows,
    the one sharing the most, then the first made."""
    Declaration = apps.get_model("declarations", "Declaration")
    IndicatorRow = apps.get_model("declarations", "IndicatorRow")
    years = (
        Declaration.objects.values_list("organization_id", "year")
        .annotate(tables=Count("pk"))
        .filter(tables__gte=2)
        .order_by()
    )
    for organization, year, _ in years:
        kinds = dict(
            Declaration.objects.filter(
                organization_id=organization, year=year
            ).values_list("pk", "kind")
        )
        own = {}
        for pk, signature in IndicatorRow.objects.filter(
            declaration_id__in=kinds, signature__isnull=False
        ).values_list("declaration_id", "signature"):
            own.setdefault(pk, set()).add(signature)
        holders = {}
        for pk, signatures in own.items():
            if kinds[pk] == "project":
                for signature in signatures:
                    holders.setdefault(signature, []).append(pk)
        found = []
        for pk, signatures in own.items():
            if len(signatures) < 4:
                continue
            shared = Counter(
                other for s in signatures for other in holders.get(s, ()) if other != pk
            )
            best = max(
                (
                    (n, -other)
                    for other, n in shared.items()
                    if n >= 0.8 * len(signatures)
                ),
                default=None,
            )
            if best:
                found.append(Declaration(pk=pk, repeats_id=-best[1]))
        Declaration.objects.bulk_update(found, ["repeats"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("declarations", "0019_task_leases")]

    operations = [
        migrations.AddField(
            model_name="declaration",
            name="repeats",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="declarations.declaration",
                verbose_name="指标相同的表",
            ),
        ),
        migrations.AddField(
            model_name="indicatorrow",
            name="signature",
            field=models.BigIntegerField(
                editable=False, null=True, verbose_name="行签名"
            ),
        ),
        migrations.AddIndex(
            model_name="indicatorrow",
            index=models.Index(
                fields=["declaration", "signature"],
                name="declaration_declara_8055d1_idx",
            ),
        ),
        migrations.RunPython(fill_signatures, migrations.RunPython.noop),
        migrations.RunPython(fill_repeats, migrations.RunPython.noop),
    ]
