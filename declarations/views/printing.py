"""PDF downloads: a declaration's table and a department's book."""

from django.views.decorators.http import require_GET

from declarations.access import declaration_for, department_for
from declarations.http import file_response
from declarations.printing import book, declaration


@require_GET
def declaration_pdf(request, pk):
    found = declaration_for(request.user, pk)
    return file_response(
        declaration.declaration_pdf(found),
        declaration.filename(found),
        "application/pdf",
        download=bool(request.GET.get("download")),
    )


@require_GET
def book_pdf(request, pk, year):
    department = department_for(request.user, pk)
    return file_response(
        book.render_book(department, year),
        book.filename(department, year),
        "application/pdf",
        download=bool(request.GET.get("download")),
    )
