"""PDF downloads: a declaration's table and a department's book."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from declarations.access import declaration_for, department_for
from declarations.http import file_response
from declarations.printing import book, declaration, tasks


@require_GET
def declaration_pdf(request, pk):
    found = declaration_for(request.user, pk)
    try:
        data = declaration.declaration_pdf(found)
    except declaration.NotPrinted as refused:
        return render(
            request,
            "declarations/not_printed.html",
            {"declaration": found, "message": str(refused)},
        )
    return file_response(
        data,
        declaration.filename(found),
        "application/pdf",
        download=bool(request.GET.get("download")),
    )


@require_GET
def book_pdf(request, pk, year):
    department = department_for(request.user, pk)
    data = book.prepared_book(
        department, year, render_up_to=settings.BOOK_RENDER_IN_REQUEST_MAX
    )
    if data is None:
        # Too large to lay out during a request: a worker prepares it,
        # unless its last layout failed: then the page offers to try again.
        status = tasks.book_status(department, year)
        if status == "waiting":
            tasks.book_changed(department, year)
        return render(
            request,
            "declarations/book_preparing.html",
            {"department": department, "year": year, "status": status},
            status=202 if status == "waiting" else 500,
        )
    return file_response(
        data,
        book.filename(department, year),
        "application/pdf",
        download=bool(request.GET.get("download")),
    )


@require_POST
def book_retry(request, pk, year):
    """Lay out again a book whose last layout failed."""
    department = department_for(request.user, pk)
    tasks.book_changed(department, year)
    return redirect("department_book", pk=department.pk, year=year)
