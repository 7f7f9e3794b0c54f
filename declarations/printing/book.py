"""The department book (部门预算绩效信息): cover, contents, part one (the
department's goals) and part two (every approved project table, numbered).

The whole book is laid out in one WeasyPrint pass, so that it embeds each
font face once, and kept under a name made of everything it prints: the
department, the year, each approved table's id, version and grade, the goals'
version, and the print templates and styles themselves. A download serves the
kept book when its name is current, so an old book is never served; a worker
lays the book out again when its contents change (tasks.prepare_book).
"""

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string

from declarations.models import DepartmentGoals
from declarations.printing import kept
from declarations.printing.layout import PRINTED, PrintedTable, table_of
from declarations.printing.render import PDF_ASSETS, html_to_pdf
from declarations.selectors import approved_projects


@dataclass
class BookTable:
    number: int
    table: PrintedTable

    @property
    def anchor(self) -> str:
        return f"table-{self.number}"


def render_book(department, year) -> bytes:
    """The book, laid out now."""
    return html_to_pdf(book_html(department, year))


def book_html(department, year) -> str:
    # One query for every table's goals and rows, whatever their number.
    declarations = approved_projects(department, year).prefetch_related(*PRINTED)
    tables = [
        BookTable(number, table_of(d, in_book=True))
        for number, d in enumerate(declarations, start=1)
    ]
    goals = _goals(department, year).prefetch_related("items", "measures").first()
    return render_to_string(
        "pdf/book.html",
        {"department": department, "year": year, "goals": goals, "tables": tables},
    )


def _goals(department, year) -> QuerySet[DepartmentGoals]:
    return DepartmentGoals.objects.filter(organization=department, year=year)


def kept_name(department, year) -> str:
    """The name the book is kept under; it changes whenever the book would."""
    tables = list(
        approved_projects(department, year).values_list("pk", "version", "grade")
    )
    goals = _goals(department, year).first()
    content = json.dumps(
        [
            department.pk,
            department.name,
            year,
            tables,
            goals and [goals.pk, goals.version],
            _layout_fingerprint(),
        ]
    )
    digest = hashlib.sha256(content.encode()).hexdigest()[:32]
    return kept.book_name(department, year, digest)


@cache
def _layout_fingerprint() -> str:
    """The print templates and styles: a new release lays books out anew."""
    templates = Path(settings.BASE_DIR) / "templates" / "pdf"
    files = sorted([*templates.glob("*.html"), *PDF_ASSETS.glob("*.css")])
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def prepared_book(department, year, *, render_up_to: int) -> bytes | None:
    """The book for a download: the kept one when it is current, else laid out
    now (and kept) when it has at most `render_up_to` tables; None when it is
    larger and not yet prepared (the caller has it prepared in the background)."""
    name = kept_name(department, year)
    data = kept.read_kept(name)
    if data is not None:
        return data
    if approved_projects(department, year).count() > render_up_to:
        return None
    return kept.keep(name, render_book(department, year))


def prepare(department, year) -> None:
    """Lay the book out and keep it, unless the current one is kept already."""
    name = kept_name(department, year)
    if kept.read_kept(name) is None:
        kept.keep(name, render_book(department, year))


def filename(department, year) -> str:
    return f"{year}年部门预算绩效信息-{department.name}.pdf"
