"""Reading our PDFs back, as a person comparing them with the paper would."""

import io
import re
from unittest import mock

import pdfplumber
import pypdfium2

WATERMARK = set("草稿")


def _squeeze(text):
    return re.sub(r"\s+", "", text or "")


def table_rows(pdf_bytes: bytes) -> list[list[str]]:
    """Every table row of every page, cells squeezed, merged (empty) cells
    dropped, and the indicator header that repeats on a new page dropped."""
    rows, seen_headers = [], set()
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for raw in table:
                    cells = [_squeeze(c) for c in raw if c]
                    cells = [c for c in cells if c and set(c) - WATERMARK]
                    if not cells:
                        continue
                    # The central table's 绩效指标 column is one tall cell, so
                    # its label is not always read as part of the header row.
                    cells = [c for c in cells if c != "绩效指标"] or cells
                    if cells[0] == "一级指标":
                        if tuple(cells) in seen_headers:
                            continue
                        seen_headers.add(tuple(cells))
                    rows.append(cells)
    return rows


def page_texts(pdf_bytes: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def body_text(pdf_bytes: bytes) -> str:
    """All pages' text, squeezed, without the page-number footers."""
    lines = [
        line
        for text in page_texts(pdf_bytes)
        for line in text.splitlines()
        if not re.fullmatch(r"第 \d+ 页 共 \d+ 页", line.strip())
    ]
    return _squeeze("".join(lines))


def font_names(pdf_bytes: bytes) -> set[str]:
    """Font names without the subset prefix and hyphens: NotoSerifCJKSC …"""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        names = {char["fontname"] for page in pdf.pages for char in page.chars}
    return {name.split("+")[-1].replace("-", "") for name in names}


def row_holds(actual: list[str], expected: list[str]) -> bool:
    """Each expected cell is found in the row, in order, none straddling two
    printed cells (several may share one, as the goals do)."""
    joined = "\x00".join(actual)
    position = 0
    for cell in (_squeeze(c) for c in expected if c):
        found = joined.find(cell, position)
        if found < 0:
            return False
        position = found + len(cell)
    return True


def drawn_pages(pdf_bytes: bytes, scale: float = 2) -> list[bytes]:
    """Each page's pixels as PDFium draws it, then its bookmarks."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    pages = [page.render(scale=scale).to_pil().tobytes() for page in document]
    marks = [(mark.level, mark.get_title()) for mark in document.get_toc()]
    return [*pages, repr(marks).encode()]


def prints_as_on_weasyprints_own_styles(html: str) -> bool:
    """Whether a print template draws the same pages on our base styles
    (static/pdf/base.css) as on WeasyPrint's stylesheet for all of HTML."""
    from weasyprint import HTML

    from declarations.printing import render

    ours = drawn_pages(render.render_part(html).pdf)
    own = HTML._ua_stylesheets
    with mock.patch.object(render._PrintHTML, "_ua_stylesheets", own):
        theirs = drawn_pages(render.render_part(html).pdf)
    return len(ours) > 1 and ours == theirs
