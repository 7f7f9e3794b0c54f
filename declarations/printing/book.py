"""The department book (部门预算绩效信息): cover, contents, part one (the
department's goals) and part two (every approved project table, numbered).

Two ways to the same pages. From nothing, one WeasyPrint pass lays out the
whole book. When every approved table's fragment is already kept (they are
kept on approval), WeasyPrint lays out only a skeleton — cover, contents,
part one, and for each table a headed page per fragment page with the page
numbers — and pypdf lays the kept fragments onto those pages.
"""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, StreamObject

from declarations.models import DepartmentGoals
from declarations.printing import kept
from declarations.printing.layout import (
    PRINTED,
    PrintedTable,
    printed_table,
    table_of,
)
from declarations.printing.render import collector_paused, html_to_pdf
from declarations.selectors import approved_projects


@dataclass
class BookTable:
    number: int
    table: PrintedTable
    fragment: bytes | None = None

    @property
    def anchor(self) -> str:
        return f"table-{self.number}"

    @property
    def extra_pages(self) -> range:
        """The fragment's pages after its first, as blank skeleton pages."""
        return range(len(PdfReader(io.BytesIO(self.fragment)).pages) - 1)


def kept_fragment(declaration) -> bytes | None:
    return kept.read_kept(kept.fragment_name(declaration))


def keep_fragment(declaration) -> bytes:
    """Render and keep the table as the book prints it (no heading, no footer)."""
    html = render_to_string(
        "pdf/book_fragment.html", {"table": printed_table(declaration, in_book=True)}
    )
    return kept.keep(kept.fragment_name(declaration), html_to_pdf(html))


def _context(department, year, tables):
    goals = (
        DepartmentGoals.objects.filter(organization=department, year=year)
        .prefetch_related("items", "measures")
        .first()
    )
    return {"department": department, "year": year, "goals": goals, "tables": tables}


def _tables(department, year, *, use_kept: bool) -> list[BookTable]:
    # One query for every table's goals and rows, whatever their number.
    declarations = approved_projects(department, year).prefetch_related(*PRINTED)
    tables = [
        BookTable(number, table_of(d, in_book=True))
        for number, d in enumerate(declarations, start=1)
    ]
    if use_kept:
        for item in tables:
            item.fragment = kept_fragment(item.table.declaration)
    return tables


def render_book(department, year, *, use_kept: bool = True) -> bytes:
    """The book: assembled from kept files when every table's fragment is
    kept, else laid out in one pass."""
    return _book(department, year, _tables(department, year, use_kept=use_kept))


def prepared_book(department, year, *, render_up_to: int) -> bytes | None:
    """The book for a download: assembled from kept files, or laid out now
    when it has at most `render_up_to` tables; None when it is larger and not
    yet prepared (the caller has it prepared in the background)."""
    tables = _tables(department, year, use_kept=True)
    if not _all_kept(tables) and len(tables) > render_up_to:
        return None
    return _book(department, year, tables)


def _all_kept(tables) -> bool:
    return bool(tables) and all(item.fragment for item in tables)


def _book(department, year, tables) -> bytes:
    if _all_kept(tables):
        return _assemble(department, year, tables)
    return html_to_pdf(_one_pass_html(department, year, tables))


def book_html(department, year) -> str:
    """The whole book's HTML, as one pass lays it out."""
    return _one_pass_html(department, year, _tables(department, year, use_kept=False))


def _one_pass_html(department, year, tables) -> str:
    return render_to_string("pdf/book.html", _context(department, year, tables))


def prepare(department, year) -> None:
    """Keep every table's fragment and the book's own pages, so that the
    next download only assembles kept files."""
    tables = _tables(department, year, use_kept=True)
    for item in tables:
        if item.fragment is None:
            item.fragment = keep_fragment(item.table.declaration)
    if tables:
        _skeleton(_skeleton_html(department, year, tables))


def _skeleton(html: str) -> bytes:
    """The skeleton's PDF, kept by the hash of its HTML: it changes only when
    the contents, part one or a table's page count change."""
    name = kept.skeleton_name(html)
    return kept.read_kept(name) or kept.keep(name, html_to_pdf(html))


def _skeleton_html(department, year, tables) -> str:
    return render_to_string(
        "pdf/book.html", {**_context(department, year, tables), "skeleton": True}
    )


def _assemble(department, year, tables) -> bytes:
    skeleton = _skeleton(_skeleton_html(department, year, tables))
    with collector_paused():
        return _lay_fragments(skeleton, tables)


def _lay_fragments(skeleton: bytes, tables) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(skeleton)))
    starts = {
        name: writer.get_destination_page_number(destination)
        for name, destination in writer.named_destinations.items()
    }
    for item in tables:
        first = starts[item.anchor]
        for offset, page in enumerate(PdfReader(io.BytesIO(item.fragment)).pages):
            _overlay(
                writer,
                writer.pages[first + offset],
                page,
                f"/Table{item.number}p{offset}",
            )
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _overlay(writer, page, fragment_page, name):
    """Draw a fragment page over a skeleton page as a form XObject: its
    content is copied, not parsed, which keeps assembly fast."""
    contents = fragment_page["/Contents"].get_object()
    if isinstance(contents, StreamObject):
        # WeasyPrint writes one compressed stream a page: copy it as it is.
        form = contents.clone(writer, force_duplicate=True)
    else:
        form = StreamObject()
        form.set_data(fragment_page.get_contents().get_data())
        form = form.flate_encode()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): fragment_page.mediabox,
            NameObject("/Resources"): fragment_page["/Resources"].clone(writer),
        }
    )
    form_ref = writer._add_object(form)
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject(name)] = form_ref
    # The skeleton's own stream leaves its coordinate transformation in force;
    # wrap it in q … Q so that the fragment is drawn in the page's own space.
    save, restore_and_draw = StreamObject(), StreamObject()
    save.set_data(b"q\n")
    restore_and_draw.set_data(f"\nQ q {name} Do Q\n".encode())
    # A page's content streams must be indirect objects: keep the reference
    # (page["/Contents"] would resolve it and embed the stream directly,
    # which PDFium, and so Chrome's and Edge's viewers, show as a blank page).
    contents = page.raw_get("/Contents")
    existing = contents.get_object()
    parts = list(existing) if isinstance(existing, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [writer._add_object(save), *parts, writer._add_object(restore_and_draw)]
    )


def filename(department, year) -> str:
    return f"{year}年部门预算绩效信息-{department.name}.pdf"
