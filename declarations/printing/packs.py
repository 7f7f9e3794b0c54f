"""Several declarations' PDFs in one zip: a reviewer's selection. A few are
packed while the browser waits; more are packed by a worker into a kept
file that the reviewer downloads when it is ready."""

import io
import zipfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from declarations.models import Declaration
from declarations.printing import kept
from declarations.printing.declaration import NotPrinted, declaration_pdf, filename

# Packed in the request up to this many; a worker packs more.
IN_REQUEST = 5
# A packed zip waits this long for its download, then the next pack sweeps it.
FOLDER, PACK_HOURS = "packs", 24


def pack(declarations: list[Declaration]) -> bytes:
    """A zip of the declarations' PDFs, named as each downloads alone; those
    that could not be printed are listed in 未能生成的申报表.txt with why."""
    buffer = io.BytesIO()
    refused = []
    names = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for declaration in declarations:
            try:
                data = declaration_pdf(declaration)
            except NotPrinted as error:
                refused.append(f"{declaration.project_name}：{error}")
                continue
            name = filename(declaration)
            if name in names:  # two tables of one name and no code
                name = name.replace(".pdf", f"-{declaration.pk}.pdf")
            names.add(name)
            archive.writestr(name, data)
        if refused:
            archive.writestr("未能生成的申报表.txt", "\n".join(refused) + "\n")
    return buffer.getvalue()


def pack_name(count: int) -> str:
    return f"绩效目标申报表-{count}份.zip"


def kept_pack_name(token: str) -> str:
    return f"{FOLDER}/{token}.zip"


def keep_pack(token: str, data: bytes) -> None:
    """Keep a packed zip for its download; those older than PACK_HOURS go."""
    kept.forget_older_than(FOLDER, PACK_HOURS)
    name = kept_pack_name(token)
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def read_pack(token: str) -> bytes | None:
    """The packed zip, unless it is gone or cut short (its worker killed
    while writing it)."""
    name = kept_pack_name(token)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as kept:
        data = kept.read()
    return data if zipfile.is_zipfile(io.BytesIO(data)) else None
