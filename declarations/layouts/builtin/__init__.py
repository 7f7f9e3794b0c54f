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
    with the models given (a migration passes its historical ones); an
    existing layout is left as its administrators made it. The codes
    created."""
    created_codes = []
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
            created_codes.append(code)
    return created_codes
