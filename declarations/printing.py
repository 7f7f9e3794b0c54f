"""Printing work that follows an approval, after the transaction commits."""

import logging

log = logging.getLogger(__name__)


def keep_approved(declaration):
    """Render and keep the approved declaration's PDF and its book fragment,
    so that downloads and the department book only assemble kept files. A
    failure here is logged; the PDF is then rendered at the next download."""
    from declarations import book, pdf

    try:
        pdf.declaration_pdf(declaration)
        if not declaration.is_department_wide:
            book.keep_fragment(declaration)
    except Exception:
        log.exception("Could not keep the PDFs of declaration %s", declaration.pk)
