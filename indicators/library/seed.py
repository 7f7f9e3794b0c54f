"""The library's seed (seed.json, written by us): loaded into a database
and loaded again after a release without undoing any curation."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from indicators.models import IndicatorLevel2, LibraryEntry

SEED = Path(__file__).with_name("seed.json")
FIELDS = ["explanation", "unit", "operator", "values", "basis", "scoring", "source"]


@dataclass
class Loaded:
    created: int = 0
    updated: int = 0
    kept: int = 0  # curated by someone: left as they made it


def _tags(items) -> str:
    return "、".join(items)


@transaction.atomic
def load_seed(path: Path = SEED) -> Loaded:
    """Create the seed's entries a database lacks and bring up to date those
    nobody has edited; an entry someone has saved, approved, retired or
    merged keeps what they made of it."""
    levels = {
        (l2.level1.name, l2.name): l2
        for l2 in IndicatorLevel2.objects.select_related("level1")
    }
    existing = {(e.level2_id, e.name): e for e in LibraryEntry.objects.all()}
    loaded = Loaded()
    for item in json.loads(path.read_text(encoding="utf-8")):
        level2 = levels[(item["level1"], item["level2"])]
        values = {
            **{name: item.get(name, "") for name in FIELDS},
            "categories": _tags(item.get("categories", [])),
            "sectors": _tags(item.get("sectors", [])),
        }
        entry = existing.get((level2.pk, item["name"]))
        if entry is None:
            LibraryEntry.objects.create(
                level2=level2,
                name=item["name"],
                state=LibraryEntry.State.APPROVED,
                **values,
            )
            loaded.created += 1
        elif (
            entry.updated_by_id is not None
            or entry.state != LibraryEntry.State.APPROVED
        ):
            loaded.kept += 1
        elif any(getattr(entry, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
            loaded.updated += 1
    return loaded
