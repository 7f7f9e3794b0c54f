"""The PDF check every test's PDFs go through finds what poppler forgives."""

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from declarations.printing.render import html_to_pdf
from tests.pdf_checks import assert_readable_everywhere


def test_a_page_whose_content_stream_is_not_indirect_is_refused(tmp_path):
    good = html_to_pdf("<p>第一页</p>")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    page = writer.pages[0]
    # The fault the book assembly once had: the stream itself in /Contents.
    page[NameObject("/Contents")] = ArrayObject([page["/Contents"].get_object()])
    broken = tmp_path / "broken.pdf"
    writer.write(str(broken))  # a path, so the suite's own check lets it pass
    with pytest.raises(AssertionError):
        assert_readable_everywhere(broken.read_bytes())


def test_a_wellformed_pdf_passes():
    assert_readable_everywhere(html_to_pdf("<p>绩效目标</p>"))


def test_a_font_without_its_program_is_refused(tmp_path):
    good = html_to_pdf("<p>第一页</p>")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(good)))
    font = next(iter(writer.pages[0]["/Resources"]["/Font"].values())).get_object()
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    key = next(k for k in descriptor if k.startswith("/FontFile"))
    descriptor[key].get_object().set_data(b"")
    broken = tmp_path / "broken.pdf"
    writer.write(str(broken))
    with pytest.raises(AssertionError, match="no program"):
        assert_readable_everywhere(broken.read_bytes())


def test_the_suite_checks_every_book_the_join_writes(monkeypatch):
    """The check runs on qpdf's output too: a join that left a part's pages
    on their empty font programs (written for the shared ones) is refused
    as the book is written."""
    from declarations.printing import assembly, render

    html = '<link rel="stylesheet" href="print.css"><h1>绩效目标</h1><p>第一页</p>'
    part = render.render_part(html, leave_out_fonts=True)
    fonts = render.render_part(assembly.fonts_page(html))
    monkeypatch.setattr(assembly, "_use_shared_fonts", lambda pages, faces: 0)
    with pytest.raises(AssertionError, match="no program"):
        assembly.join([part], fonts=fonts, title="书", bookmarks=[], links=[])
