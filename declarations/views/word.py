"""Word downloads: a declaration's table and a department's book in the
official layout, for a bureau to paste into its 预算公开 document."""

from django.views.decorators.http import require_GET

from declarations.access import declaration_for, department_for
from declarations.http import file_response
from declarations.wordfiles import export

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_GET
def declaration_docx(request, pk):
    found = declaration_for(request.user, pk)
    return file_response(export.declaration_docx(found), export.filename(found), DOCX)


@require_GET
def book_docx(request, pk, year):
    department = department_for(request.user, pk)
    data = export.book_docx(department, year)
    return file_response(data, export.book_filename(department, year), DOCX)
