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
