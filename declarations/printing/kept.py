"""Rendered files kept in storage (Django's STORAGES), under names that
change whenever their content would: an approved declaration never changes,
so its PDF is rendered once and served again for free."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone


def declaration_name(declaration) -> str:
    # The version changes with every edit and the grade with every approval.
    d = declaration
    return f"pdf/declarations/{d.pk}/v{d.version}-{d.grade}.pdf"


def book_name(department, year, digest: str) -> str:
    """A department's book of a year, by the digest of what it prints."""
    return f"pdf/books/{department.pk}/{year}/{digest}.pdf"


def read_kept(name: str) -> bytes | None:
    """A rendered file kept in storage, if there is one. A PDF cut short (its
    worker killed while writing it) is removed, so that it is made again."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as kept:
        data = kept.read()
    if name.endswith(".pdf") and not data.rstrip().endswith(b"%%EOF"):
        forget(name)
        return None
    return data


def keep(name: str, data: bytes) -> bytes:
    """Keep a rendered file under a name that changes whenever it would; the
    files kept before it for the same declaration or book go."""
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        _forget_others(saved)
    return data


def _forget_others(name: str) -> None:
    """Each declaration and each department's year has a folder of its own:
    the other files there are earlier versions, never asked for again."""
    folder, _, own = name.rpartition("/")
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for other in files:
        if other != own:
            default_storage.delete(f"{folder}/{other}")


def forget(name: str) -> None:
    """Remove a kept file, so that it is rendered again."""
    if default_storage.exists(name):
        default_storage.delete(name)


def forget_older_than(folder: str, hours: int) -> int:
    """Remove the files of a folder older than `hours`; how many went."""
    if not default_storage.exists(folder):
        return 0
    oldest = timezone.now() - timedelta(hours=hours)
    removed = 0
    for name in default_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < oldest:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # swept by another worker meanwhile
            continue
    return removed
