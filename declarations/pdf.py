"""Print-ready PDFs of declarations, rendered by WeasyPrint.

The renderer fetches no URL: our fetcher serves files from static/pdf/ on
disk and refuses everything else, so neither user text nor a template can
make the server reach the network or read other files. An approved
declaration never changes, so its PDF is kept and served again for free.
"""

import gc
import mimetypes
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from declarations.models import Declaration, Grade, Status
from declarations.tables import indicator_table, level1_groups

PDF_ASSETS = Path(settings.BASE_DIR) / "static" / "pdf"
# Rows of free text longer than this may continue on the next page; shorter
# ones move whole, so that a label is never left alone at the foot of a page.
LONG_TEXT = 400


class RefusedURL(ValueError):
    pass


class StaticOnlyFetcher(URLFetcher):
    """Serves our own files under static/pdf/ and nothing else."""

    def __init__(self, root: Path = PDF_ASSETS):
        super().__init__(allowed_protocols={"file"})
        self.root = root.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"PDF rendering fetches no URL: {url}")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"PDF rendering reads only its own assets: {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), {"Content-Type": content_type}
        )


# Loading the CJK fonts is the slow part of a first render; keep them loaded.
_fonts = FontConfiguration()


@contextmanager
def collector_paused():
    """Layout creates and drops a great many small objects; the collector
    traversing them again and again costs about a sixth of a render. Paused
    for the render, the garbage is collected by the next automatic pass."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> bytes:
    document = HTML(
        string=html,
        base_url=PDF_ASSETS.as_uri() + "/",
        url_fetcher=StaticOnlyFetcher(),
    )
    with collector_paused():
        return document.write_pdf(font_config=_fonts)


@dataclass
class PrintedTable:
    """One declaration's table as the templates print it."""

    declaration: Declaration
    rows: list
    goals: list
    plan_spans: list[tuple[int, object, int]]
    grade_boxes: list[tuple[str, bool]]
    in_book: bool = False  # the book prints the numbered heading itself

    @property
    def long_goals(self) -> bool:
        return sum(len(g) for g in self.goals) > LONG_TEXT

    @property
    def long_duties(self) -> bool:
        return len(self.declaration.duties) > LONG_TEXT

    @property
    def long_fund_use(self) -> bool:
        return len(self.declaration.fund_use) > LONG_TEXT

    @property
    def groups(self):
        return level1_groups(self.rows)

    @property
    def template(self) -> str:
        return f"pdf/table_{self.declaration.layout}.html"


def _plan_spans(plan) -> list[tuple[int, object, int]]:
    """Spread the checkpoints over the six value columns of the Hebei table."""
    n = len(plan) or 1
    base, extra = divmod(6, n)
    return [
        (int(month), percent, base + (1 if i >= n - extra else 0))
        for i, (month, percent) in enumerate(plan)
    ]


def printed_table(declaration: Declaration, *, in_book: bool = False) -> PrintedTable:
    declaration = (
        Declaration.objects.select_related("organization")
        .prefetch_related("goals", "indicators__level1", "indicators__level2")
        .get(pk=declaration.pk)
    )
    return PrintedTable(
        declaration=declaration,
        rows=indicator_table(list(declaration.indicators.all())),
        goals=[g.text for g in declaration.goals.all()],
        plan_spans=_plan_spans(declaration.spending_plan),
        grade_boxes=[(g, g == declaration.grade) for g in Grade.values],
        in_book=in_book,
    )


def render_declaration(declaration: Declaration) -> bytes:
    table = printed_table(declaration)
    html = render_to_string(
        "pdf/declaration.html",
        {
            "table": table,
            "title": declaration.title,
            "watermark": "" if declaration.status == Status.APPROVED else "草稿",
        },
    )
    return html_to_pdf(html)


def _kept_name(declaration: Declaration) -> str:
    # The version changes with every edit and the grade with every approval.
    d = declaration
    return f"pdf/declarations/{d.pk}/v{d.version}-{d.grade}.pdf"


def read_kept(name: str) -> bytes | None:
    """A rendered file kept in storage, if there is one."""
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as kept:
        return kept.read()


def keep(name: str, data: bytes) -> bytes:
    """Keep a rendered file under a name that changes whenever it would."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return data


def declaration_pdf(declaration: Declaration) -> bytes:
    """The PDF to download; an approved one is rendered once and kept."""
    if declaration.status != Status.APPROVED:
        return render_declaration(declaration)
    name = _kept_name(declaration)
    return read_kept(name) or keep(name, render_declaration(declaration))


def filename(declaration: Declaration) -> str:
    code = f"{declaration.project_code}-" if declaration.project_code else ""
    return f"{declaration.year}-{code}{declaration.project_name}.pdf".replace("/", "-")
