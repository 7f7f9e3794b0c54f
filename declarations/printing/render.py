"""HTML to PDF with WeasyPrint, fetching no URL.

The renderer's fetcher serves files from static/pdf/ on disk and refuses
everything else, so neither user text nor a template can make the server
reach the network or read other files.

Large documents are laid out in parts, several at once in forked processes
(`rendering_parts`): a process lays out one part, writes its PDF and hands back
the bytes with where its anchors and links fell, so that memory follows the
size of a part, not of the whole document.
"""

import ctypes
import gc
import logging
import mimetypes
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import cssselect2
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.pdf import fonts as wp_fonts
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from declarations.processes import die_with_parent

PDF_ASSETS = Path(settings.BASE_DIR) / "static" / "pdf"


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
    with collector_paused():
        return _html(html).write_pdf(font_config=_fonts)


def _html(html: str) -> HTML:
    root = parsed_as_xml(html)
    if root is not None:
        return _ParsedHTML(root)
    return _PrintHTML(string=html, base_url=_BASE_URL, url_fetcher=StaticOnlyFetcher())


_BASE_URL = PDF_ASSETS.as_uri() + "/"
# Read once: what every print template builds on (static/pdf/base.css says
# why it replaces WeasyPrint's own).
BASE_STYLES = CSS(
    string=(PDF_ASSETS / "base.css").read_text(encoding="utf-8"),
    base_url=_BASE_URL,
    url_fetcher=StaticOnlyFetcher(),
)


class _PrintHTML(HTML):
    """A print template: laid out on our base styles. (`_ua_stylesheets` is
    WeasyPrint's own hook, pinned with it; the tests draw every template's
    pages on both sheets and compare them.)"""

    def _ua_stylesheets(self, forms=False):
        return [BASE_STYLES]


# WeasyPrint reads HTML with tinyhtml5, written in Python: 60 ms of a book
# part's 0.8 s (12 tables). The print templates write well-formed XML once
# the void elements are closed, which the C parser of the standard library
# reads in 2 ms into the same tree. HTML it refuses (a control character in
# a user's text, say) is read as HTML, as before.
_VOID = re.compile(
    r"<(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)\b([^>]*?)/?>"
)
_DOCTYPE = re.compile(r"\A\s*<!doctype html>", re.IGNORECASE)


def parsed_as_xml(html: str) -> ElementTree.Element | None:
    """The document's tree read as XML, or None when it is not well-formed
    XML or declares anything (an entity, say) past the HTML doctype."""
    text = _VOID.sub(r"<\1\2/>", _DOCTYPE.sub("", html, count=1))
    if "<!" in text or "<?" in text:
        return None
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None


class _ParsedHTML(_PrintHTML):
    """What `HTML(string=…)` makes, from a tree already read."""

    def __init__(self, root: ElementTree.Element):
        self.base_url = _BASE_URL
        self.url_fetcher = StaticOnlyFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            root, content_language=None
        )
        self.etree_element = self.wrapper_element.etree_element


# A link to a page of another part: `assembly.join` adds it after joining.
_weasyprint_log = logging.getLogger("weasyprint")


class _ForeignAnchors(logging.Filter):
    def filter(self, record):
        return "anchor" not in record.getMessage()


@dataclass
class Link:
    target: str  # the anchor's name
    page: int  # 0-based, in its part
    rect: tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points


@dataclass
class Rendered:
    """One part of a document: its PDF and where things fell in it."""

    pdf: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # name -> 0-based page
    links: list[Link] = field(default_factory=list)
    # Written with empty font programs, for a join to give it shared ones.
    fonts_left_out: bool = False


def render_part(html: str, *, leave_out_fonts: bool = False) -> Rendered:
    """Lay a part out and write it, noting the page of every anchor and the
    place of every internal link (links to other parts are not resolved).

    `leave_out_fonts` writes every font's program empty, sparing the
    subsetting of the two CJK faces (a tenth of a part's time), for a part
    whose fonts the join replaces with shared ones (`assembly.join`). It
    changes WeasyPrint's font writing for the whole process: only a layout
    process, which renders one part at a time and nothing else, asks for it."""
    if leave_out_fonts:
        with _font_programs_left_out():
            rendered = render_part(html)
        rendered.fonts_left_out = True
        return rendered
    quiet = _ForeignAnchors()
    _weasyprint_log.addFilter(quiet)
    try:
        with collector_paused():
            document = _html(html).render(font_config=_fonts)
            anchors, links = {}, {}
            for number, page in enumerate(document.pages):
                for name in page.anchors:
                    anchors.setdefault(name, number)
                # An <a> and each box inside it carry the link: one rectangle
                # around them all.
                for kind, target, rect, _box in page.links:
                    if kind == "internal":
                        key = (target, number)
                        links[key] = _union(links.get(key), rect)
            data = document.write_pdf()
            found = [
                Link(target, number, _points(rect, document.pages[number].height))
                for (target, number), rect in links.items()
            ]
            return Rendered(data, len(document.pages), anchors, found)
    finally:
        _weasyprint_log.removeFilter(quiet)


@contextmanager
def _font_programs_left_out():
    clean = wp_fonts.Font.clean
    wp_fonts.Font.clean = _left_out
    try:
        yield
    finally:
        wp_fonts.Font.clean = clean


def fonts_left_out() -> bool:
    """Whether this process is writing a part without font programs."""
    return wp_fonts.Font.clean is _left_out


def _left_out(font, to_unicode, hinting):
    """In place of `Font.clean`, which subsets the program to be embedded:
    no program at all. A page drawn with it shows nothing until the join
    points it at a shared subset."""
    font.file_content = b""


def _union(a, b):
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


# WeasyPrint lays out in CSS pixels and draws 0.75 point to the pixel.
POINTS_PER_PIXEL = 0.75


def _points(rect, page_height):
    """CSS pixels from the top left to PDF points from the bottom left."""
    x1, y1, x2, y2 = (v * POINTS_PER_PIXEL for v in rect)
    height = page_height * POINTS_PER_PIXEL
    return (x1, height - y2, x2, height - y1)


@contextmanager
def rendering_parts(count: int, *, processes: int):
    """Render `count` parts, in the order they are added (`.add(html)`), in
    up to `processes` forked processes at once: each part starts as soon as
    it is added, while the block goes on making the next ones or does other
    work, then calls `.results()`. With one part or one process they render
    in this process, when the results are asked for.

    A forked process inherits the loaded fonts and styles and renders HTML
    only: it touches no database connection. A process that dies fails the
    whole rendering (BrokenProcessPool) instead of leaving it waiting."""
    processes = min(processes, count)
    if processes <= 1:
        yield _InThisProcess()
        return
    give_back_memory()  # the layout processes share what the worker holds
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(
        processes,
        mp_context=context,
        initializer=_start_layout_process,
        initargs=(os.getpid(),),
    )
    try:
        yield _InProcesses(pool)
    except BaseException:
        # Stopped (a time limit, an error): the parts not begun never are,
        # and the caller does not wait for those being laid out.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _start_layout_process(parent: int) -> None:
    # A worker killed mid-book takes its layout processes with it; without
    # this they waited for parts that would never come, until killed by hand.
    die_with_parent(parent)
    gc.freeze()


# In a layout process the worker's objects are frozen at the start (the
# collector never walks them, nor copies their pages by touching them), and
# each part's garbage is collected after it: without that a process grew by
# the cycles of every part it laid out (114 to 229 MiB over 15 parts of the
# 356-table book), with it it stays at about 150 MiB.
def _render_and_collect(html: str, leave_out_fonts: bool) -> Rendered:
    rendered = render_part(html, leave_out_fonts=leave_out_fonts)
    gc.collect()
    give_back_memory()
    return rendered


def give_back_memory() -> None:
    """Hand the memory this process has freed back to the system. The C
    allocator keeps freed memory for reuse, so a worker that laid out a book
    or read a large file stays as large as it was at its fullest, and layout
    processes forked from it inherit that. Only glibc can be asked."""
    if _libc is not None:
        _libc.malloc_trim(0)


def _glibc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 (glibc's own, absent elsewhere)
    except (OSError, AttributeError):
        return None
    return libc


_libc = _glibc()


class _InThisProcess:
    def __init__(self):
        self.htmls = []

    def add(self, html: str, *, leave_out_fonts: bool = False) -> None:
        # This process may render other documents meanwhile (a threaded
        # server): its parts keep their fonts whatever is asked.
        self.htmls.append(html)

    def results(self) -> list[Rendered]:
        return [render_part(html) for html in self.htmls]


class _InProcesses:
    def __init__(self, pool: ProcessPoolExecutor):
        self.pool, self.started = pool, []

    def add(self, html: str, *, leave_out_fonts: bool = False) -> None:
        """`leave_out_fonts`: the part is joined with shared fonts, so it is
        written without its own (`render_part(leave_out_fonts=True)`)."""
        self.started.append(
            self.pool.submit(_render_and_collect, html, leave_out_fonts)
        )

    def results(self) -> list[Rendered]:
        return [future.result() for future in self.started]


def print_processes() -> int:
    """How many processes lay out a large document at once."""
    return settings.PRINT_PROCESSES or os.cpu_count() or 1
