"""The department book (部门预算绩效信息): cover, contents, part one (the
department's goals) and part two (every approved project table, numbered).

The tables are laid out in parts of at most MAX_TABLES_PER_PART, several
parts at once in forked processes, so that a book of 350 tables uses both
cores and the memory of a dozen tables a process. The front (cover, contents, part
one) is laid out meanwhile with the page numbers it expects, and again if the
tables took more pages. `assembly.join` then puts the pages in order and
writes the page numbers, bookmarks and contents links, and makes every part
share one subset of each face.

The book is kept under a name made of everything it prints: the department,
the year, each approved table's id, version and grade, the goals' version,
and the print templates and styles themselves. A download serves the kept
book when its name is current, so an old book is never served; a worker lays
the book out again when its contents change (tasks.prepare_book).
"""

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string

from declarations.bounded import OverLimit, time_limit
from declarations.layouts.versions import definitions_of
from declarations.models import DepartmentGoals
from declarations.printing import assembly, cells, kept
from declarations.printing.layout import PRINTED, PrintedTable, table_of
from declarations.printing.render import (
    PDF_ASSETS,
    Rendered,
    print_processes,
    render_part,
    rendering_parts,
)
from declarations.selectors import approved_projects

# A layout holds about 6 MB a table page until it is written: parts of 12
# keep a layout process within about 70 MB of the worker it forks from.
MAX_TABLES_PER_PART = 12
# Fewer tables than this a process are laid out in this process.
MIN_TABLES_PER_PART = 4
PART_ONE, PART_TWO = "part-one", "part-two"
TITLES = {PART_ONE: "第一部分 部门整体绩效目标", PART_TWO: "第二部分 预算项目绩效目标"}


@dataclass
class BookTable:
    number: int
    table: PrintedTable

    @property
    def anchor(self) -> str:
        return f"table-{self.number}"

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.table.declaration.title}"


@dataclass
class BookContents:
    department: object
    year: int
    tables: list[BookTable]
    goals: DepartmentGoals | None


@dataclass
class ContentsEntry:
    level: str
    anchor: str
    title: str
    page: int = 0  # 1-based


def book_contents(department, year) -> BookContents:
    # One query for every table's goals and rows, whatever their number.
    declarations = list(approved_projects(department, year).prefetch_related(*PRINTED))
    definitions_of(declarations)
    tables = [
        BookTable(number, table_of(d, in_book=True))
        for number, d in enumerate(declarations, start=1)
    ]
    goals = _goals(department, year).prefetch_related("items", "measures").first()
    return BookContents(department, year, tables, goals)


def _goals(department, year) -> QuerySet[DepartmentGoals]:
    return DepartmentGoals.objects.filter(organization=department, year=year)


def render_book(department, year) -> bytes:
    """The book, laid out now."""
    contents = book_contents(department, year)
    pages = _guess_pages(contents)
    front_html_guess = front_html(contents, pages)
    chunks = table_parts(contents.tables)
    with rendering_parts(len(chunks) + 2, processes=print_processes()) as parts:
        # The front first, with a guess of where everything will begin (it
        # takes longest: 1.1 s for the contents of 356 tables, and laid out
        # here it left this process 100 MiB larger for the next book), then
        # each part as soon as its HTML is made, the fonts page (which needs
        # all of it) last. The front keeps its own fonts.
        parts.add(front_html_guess)
        htmls = [front_html_guess]
        for chunk in chunks:
            htmls.append(tables_html(contents, chunk))
            parts.add(htmls[-1], leave_out_fonts=True)
        parts.add(assembly.fonts_page("".join(htmls)))
        front, *tables, fonts = parts.results()
    for _ in range(3):  # the front took other pages than guessed: again
        found = _pages(front, tables)
        if found == pages:
            break
        pages = found
        front = render_part(front_html(contents, pages))
    try:
        return _join(contents, front, tables, pages, fonts)
    except assembly.FontsNeeded as needed:  # the front (0) keeps its own
        for index in needed.parts:
            tables[index - 1] = render_part(htmls[index])
        return _join(contents, front, tables, pages, fonts)


def table_parts(tables: list[BookTable]) -> list[list[BookTable]]:
    """The tables in consecutive parts of nearly equal size: one per process
    when there are enough, and none larger than MAX_TABLES_PER_PART."""
    if not tables:
        return []
    wanted = min(print_processes(), len(tables) // MIN_TABLES_PER_PART)
    count = max(1, wanted, math.ceil(len(tables) / MAX_TABLES_PER_PART))
    size = math.ceil(len(tables) / count)
    return [tables[i : i + size] for i in range(0, len(tables), size)]


def front_html(contents: BookContents, pages: dict[str, int]) -> str:
    """Cover, contents and part one; `pages` gives the 0-based page where
    each part and table begins."""
    entries = [
        *(ContentsEntry("toc-part", part, TITLES[part]) for part in TITLES),
        *(ContentsEntry("toc-table", t.anchor, t.heading) for t in contents.tables),
    ]
    for entry in entries:
        entry.page = pages[entry.anchor] + 1
    return render_to_string(
        "pdf/book_front.html",
        {
            "department": contents.department,
            "year": contents.year,
            "goals": contents.goals,
            "contents": entries,
            "part_one_title": TITLES[PART_ONE],
            "part_two_title": TITLES[PART_TWO],
            "has_tables": bool(contents.tables),
        },
    )


def tables_html(contents: BookContents, tables: list[BookTable]) -> str:
    return render_to_string(
        "pdf/book_tables.html",
        {"department": contents.department, "year": contents.year, "tables": tables},
    )


# What a contents page holds, measured on the layout of book.css: the first
# page (under its title) 37 one-line entries of tables besides the two part
# lines, every further page 42; a line holds CONTENTS_LINE Chinese
# characters (a digit or a Latin letter is half of one). A wrong guess costs
# a second layout of the front (1.5 s at 250 tables).
CONTENTS_FIRST_PAGE, CONTENTS_PAGE, CONTENTS_LINE = 37, 42, 42


def _contents_lines(heading: str) -> int:
    width = sum(1 if ord(c) > 0x2000 else 0.5 for c in heading)
    return math.ceil(width / CONTENTS_LINE)


def _guess_pages(contents: BookContents) -> dict[str, int]:
    """Cover, the contents, a page of part one, the divider, then a page a
    table."""
    lines = sum(_contents_lines(t.heading) for t in contents.tables)
    more = max(0, lines - CONTENTS_FIRST_PAGE)
    part_one = 2 + math.ceil(more / CONTENTS_PAGE)
    pages = {PART_ONE: part_one, PART_TWO: part_one + 1}
    pages.update((t.anchor, part_one + 2 + i) for i, t in enumerate(contents.tables))
    return pages


def _pages(front: Rendered, tables: list[Rendered]) -> dict[str, int]:
    """Where each part and table begins, once all are laid out."""
    pages = {PART_ONE: front.anchors[PART_ONE], PART_TWO: front.anchors[PART_TWO]}
    offset = front.pages
    for part in tables:
        pages.update(
            (name, offset + page)
            for name, page in part.anchors.items()
            if name.startswith("table-")
        )
        offset += part.pages
    return pages


def _join(contents, front: Rendered, tables: list[Rendered], pages, fonts) -> bytes:
    bookmarks = [
        assembly.Bookmark(TITLES[PART_ONE], pages[PART_ONE]),
        assembly.Bookmark(
            TITLES[PART_TWO],
            pages[PART_TWO],
            [assembly.Bookmark(t.heading, pages[t.anchor]) for t in contents.tables],
        ),
    ]
    links = [
        assembly.PageLink(link.page, link.rect, pages[link.target])
        for link in front.links
        if link.target in pages
    ]
    return assembly.join(
        [front, *tables],
        fonts=fonts,
        title=f"{contents.year}年部门预算绩效信息 · {contents.department.name}",
        bookmarks=bookmarks,
        links=links,
        numbered_from=1,  # the cover carries no number
    )


def kept_name(department, year) -> str:
    """The name the book is kept under; it changes whenever the book would."""
    # A unit's name is printed with its tables: renaming it changes the book.
    tables = list(
        approved_projects(department, year).values_list(
            "pk", "version", "grade", "organization__name"
        )
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
    files = sorted(
        [
            *templates.glob("*.html"),
            *PDF_ASSETS.glob("*.css"),
            *PDF_ASSETS.glob("*.svg"),
        ]
    )
    files.append(Path(cells.__file__))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()


def prepared_book(department, year, *, render_up_to: int) -> bytes | None:
    """The book for a download: the kept one when it is current, else laid out
    now (and kept) when it has at most `render_up_to` tables and takes at most
    PRINT_SECONDS; None when it is larger or slower and not yet prepared (the
    caller has it prepared in the background)."""
    name = kept_name(department, year)
    data = kept.read_kept(name)
    if data is not None:
        return data
    if approved_projects(department, year).count() > render_up_to:
        return None
    try:
        with time_limit(settings.PRINT_SECONDS):
            data = render_book(department, year)
    except OverLimit:  # slower than a request may take: the worker's job
        return None
    return kept.keep(name, data)


def prepare(department, year) -> None:
    """Lay the book out and keep it, unless the current one is kept already."""
    name = kept_name(department, year)
    if kept.read_kept(name) is None:
        kept.keep(name, render_book(department, year))


def filename(department, year) -> str:
    return f"{year}年部门预算绩效信息-{department.name}.pdf"
