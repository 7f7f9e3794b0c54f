"""The layouts shipped with the app, one JSON definition a file, named by
the layout's code."""

import json
from pathlib import Path

FOLDER = Path(__file__).parent


def documents() -> dict[str, dict]:
    """Each shipped definition by its code, in file-name order."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(FOLDER.glob("*.json"))
    }


def install(layout_model, version_model) -> list[str]:
    """Create the shipped layouts a database lacks, each as its first version,
    with the models given (a migration passes its historical ones). A shipped
    layout no administrator has saved gets the shipped definition as its next
    version when that has changed (a fix in a release); one an administrator
    has saved is left as they made it. The codes created or brought up to
    date."""
    changed_codes = []
    for code, document in documents().items():
        layout, created = layout_model.objects.get_or_create(
            code=code,
            defaults={
                "name": document["name"],
                "kind": document["kind"],
                "definition": document,
            },
        )
        if created:
            version_model.objects.create(layout=layout, number=1, definition=document)
        elif layout.updated_by_id is None and layout.definition != document:
            layout.version += 1
            layout.definition = document
            layout.name = document["name"]
            layout.save(update_fields=["version", "definition", "name"])
            version_model.objects.create(
                layout=layout, number=layout.version, definition=document
            )
        else:
            continue
        changed_codes.append(code)
    return changed_codes
