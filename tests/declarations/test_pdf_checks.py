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
