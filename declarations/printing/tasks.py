"""Printing work that follows an approval, after the transaction commits."""

import logging

from declarations.printing import book
from declarations.printing.declaration import declaration_pdf

log = logging.getLogger(__name__)


def keep_approved(declaration):
    """Render and keep the approved declaration's PDF and its book fragment,
    then the department book's own pages, so that downloads only assemble
    kept files. A failure here is logged; the PDF is then rendered at the
    next download."""
    try:
        declaration_pdf(declaration)
        if not declaration.is_department_wide:
            book.keep_fragment(declaration)
            prepare_book(declaration.organization.department, declaration.year)
    except Exception:
        log.exception("Could not keep the PDFs of declaration %s", declaration.pk)


def prepare_book(department, year):
    """The book's contents change when a table enters or leaves it or its
    goals change: lay them out now, so the next download only assembles."""
    try:
        book.render_book(department, year)
    except Exception:
        log.exception("Could not prepare the %s book of %s", year, department)
