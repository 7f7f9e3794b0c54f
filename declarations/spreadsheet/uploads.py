"""Uploaded import files, kept between the preview and the confirmation.

The file is analysed again when the import is confirmed (what is stored
may have changed meanwhile), so it waits in storage under imports/. A
confirmed import removes its file; one whose preview was left is removed
after IMPORT_UPLOAD_HOURS, by the next upload's sweep.
"""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from declarations.printing import kept

FOLDER = "imports"


def keep(content: bytes, suffix: str) -> str:
    """Stores an upload until it is confirmed; returns its path."""
    forget_old()
    return default_storage.save(
        f"{FOLDER}/{uuid.uuid4().hex}.{suffix}", ContentFile(content)
    )


def read(path: str) -> bytes | None:
    """The kept upload, or None once it is confirmed or swept away."""
    if not path.startswith(f"{FOLDER}/") or not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as kept:
        return kept.read()


def forget(path: str) -> None:
    default_storage.delete(path)


def forget_old() -> int:
    """Removes uploads older than IMPORT_UPLOAD_HOURS; returns how many."""
    return kept.forget_older_than(FOLDER, settings.IMPORT_UPLOAD_HOURS)
