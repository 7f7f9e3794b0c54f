"""Every PDF the suite makes must read in every common viewer, not only in
poppler, which forgives broken files that Chrome's and Edge's viewer (PDFium)
shows blank."""

import io
import subprocess
import tempfile

import pypdfium2
from pypdf import PdfReader


def assert_readable_everywhere(data: bytes) -> None:
    """qpdf finds no damage, every font a page uses carries a program, and
    PDFium opens the file and finds text on every page that poppler reads
    text from."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(data)
        file.flush()
        check = subprocess.run(
            ["qpdf", "--check", file.name], capture_output=True, text=True
        )
        assert check.returncode == 0, f"qpdf --check: {check.stdout}{check.stderr}"
        poppler = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", file.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\f")
    _assert_fonts_embedded_whole(data)
    document = pypdfium2.PdfDocument(io.BytesIO(data))
    try:
        assert len(document) == len(poppler) - 1, "PDFium and poppler count pages"
        for number, page in enumerate(document, start=1):
            text = page.get_textpage().get_text_range()
            if poppler[number - 1].strip():
                assert text.strip(), (
                    f"page {number} has text in poppler, none in PDFium"
                )
    finally:
        document.close()


def _assert_fonts_embedded_whole(data: bytes) -> None:
    """Both viewers read text through a font's ToUnicode map, so a page whose
    font program is empty still reads, and prints as blank: every embedded
    program must hold something."""
    seen = set()  # a book's pages share their programs: each is read once
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"]
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    reference = descriptor.raw_get(key) if key in descriptor else None
                    if reference is None or id(reference.get_object()) in seen:
                        continue
                    seen.add(id(reference.get_object()))
                    program = reference.get_object().get_data()
                    assert program, f"page {number}: font {name} has no program"
