import os

import hypothesis
import pytest
from hypothesis import HealthCheck

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run inside one unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from declarations.services.layouts import (  # noqa: E402
    install_builtin as install_builtin_layouts,
)
from indicators.defaults import install as install_default_taxonomy  # noqa: E402
from tests.factories import make_department, make_unit, make_user  # noqa: E402


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Kept PDFs and uploads go to a fresh folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _taxonomy_after_flush(request):
    """Transactional tests flush every table afterwards, the taxonomy and the
    layouts that the migrations loaded included: put them back for the test
    at hand."""
    if "transactional_db" in request.fixturenames or "live_server" in (
        request.fixturenames
    ):
        request.getfixturevalue("transactional_db")
        install_default_taxonomy()
        install_builtin_layouts()


@pytest.fixture
def department(db):
    return make_department("450", "秦皇岛市北戴河区医疗保障局")


@pytest.fixture
def unit(department):
    return make_unit(department, "450002", "秦皇岛市北戴河区医疗保障局")


@pytest.fixture
def other_department(db):
    return make_department("430424", "衡东县医疗保障局")


@pytest.fixture
def other_unit(other_department):
    return make_unit(other_department, "430424001", "衡东县医疗保障局")


@pytest.fixture
def preparer(unit):
    return make_user("preparer", "preparer", unit)


@pytest.fixture
def reviewer(department):
    return make_user("reviewer", "reviewer", department)


@pytest.fixture
def outsider(other_unit):
    """A preparer of another department: must never see our declarations."""
    return make_user("outsider", "preparer", other_unit)


@pytest.fixture(autouse=True)
def _every_pdf_reads_everywhere(monkeypatch):
    """Every PDF the code under test writes (WeasyPrint's and the books qpdf
    joins, `printing.assembly`) is checked with qpdf and PDFium as it is
    made."""
    from io import BytesIO

    import pikepdf
    from weasyprint import Document

    from declarations.printing import render
    from tests.pdf_checks import assert_readable_everywhere

    write_pdf, save = Document.write_pdf, pikepdf.Pdf.save

    def checked_write_pdf(self, target=None, *args, **kwargs):
        data = write_pdf(self, target, *args, **kwargs)
        # A book's part written without font programs is no one's PDF: the
        # join gives it shared fonts, and the book is checked.
        if target is None and not render.fonts_left_out():
            assert_readable_everywhere(data)
        return data

    def checked_save(self, stream, *args, **kwargs):
        result = save(self, stream, *args, **kwargs)
        if isinstance(stream, BytesIO):
            assert_readable_everywhere(stream.getvalue())
        return result

    monkeypatch.setattr(Document, "write_pdf", checked_write_pdf)
    monkeypatch.setattr(pikepdf.Pdf, "save", checked_save)


# Generated tests: in CI a fixed number of examples from a fixed seed, so a
# run is short and repeatable; by hand, HYPOTHESIS_PROFILE=thorough.
hypothesis.settings.register_profile(
    "ci",
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis.settings.register_profile(
    "thorough",
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
