"""Export to and import from Excel (xlsx) and CSV, and Word files."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from declarations import selectors
from declarations.access import writable_organizations
from declarations.forms.exchange import UploadForm
from declarations.http import file_response
from declarations.models import ImportJob
from declarations.services import imports
from declarations.services.errors import DomainError
from declarations.spreadsheet import files, uploads
from declarations.spreadsheet.export import export_file
from declarations.wordfiles import importing as word_import


@require_GET
def export_declarations(request):
    file_format = request.GET.get("format", "xlsx")
    if file_format not in files.FORMATS:
        file_format = "xlsx"
    # What the list shows with the same query string, every page of it.
    filtered = selectors.declaration_list(request.user, request.GET)
    declarations = filtered.qs
    year = filtered.form.cleaned_data.get("year") if filtered.is_valid() else None
    name = f"绩效目标申报{'-' + str(year) if year else ''}.{file_format}"
    return file_response(
        export_file(declarations, file_format), name, files.CONTENT_TYPES[file_format]
    )


def _session_key(token):
    return f"import-{token}"


@require_http_methods(["GET", "POST"])
def import_declarations(request):
    if not writable_organizations(request.user).exists():
        messages.error(request, "只有单位的填报人可以导入申报表。")
        return redirect("declaration_list")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {
        "form": form,
        "limit": files.human_size(settings.IMPORT_MAX_BYTES),
        "jobs": ImportJob.objects.filter(user=request.user)[:5],
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if message := files.too_large_message(upload.size):
            form.add_error("file", message)
        else:
            content = upload.read()
            year = form.cleaned_data["year"]
            try:
                with imports.heavy_upload(request.user):
                    read, import_plan = imports.analyse_upload(
                        content, upload.name, user=request.user, year=year
                    )
            except (files.ImportFileError, DomainError) as error:
                form.add_error("file", str(error))
            else:
                token = uuid.uuid4().hex
                path = uploads.keep(content, upload.name.lower().rsplit(".", 1)[-1])
                request.session[_session_key(token)] = {
                    "path": path,
                    "name": upload.name,
                    "year": read.year,
                    "count": len(import_plan.declarations),
                }
                context.update(
                    import_plan=import_plan,
                    token=token,
                    filename=upload.name,
                    word=read.word,
                    year=read.year,
                    read=read,
                    replaces_goals=word_import.goals_exist(read),
                    in_background=len(import_plan.declarations)
                    > settings.IMPORT_IN_REQUEST_MAX,
                )
    return render(request, "declarations/import.html", context)


@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    stored = request.session.get(_session_key(token))
    content = uploads.read(stored["path"]) if stored else None
    if content is None:
        messages.error(request, "导入已过期或已完成，请重新上传文件。")
        return redirect("declaration_import")
    if stored.get("count", 0) > settings.IMPORT_IN_REQUEST_MAX:
        job = imports.import_in_background(
            user=request.user,
            path=stored["path"],
            filename=stored["name"],
            year=stored.get("year"),
            count=stored["count"],
        )
        del request.session[_session_key(token)]
        return redirect("import_job", job.pk)
    try:
        with imports.heavy_upload(request.user):
            # Analysed again: the stored data may have changed since the preview.
            read, import_plan = imports.analyse_upload(
                content, stored["name"], user=request.user, year=stored.get("year")
            )
            word_import.apply(import_plan, read, request.user)
    except (files.ImportFileError, DomainError) as error:
        messages.error(request, f"没有导入任何内容：{error}")
        return redirect("declaration_import")
    uploads.forget(stored["path"])
    del request.session[_session_key(token)]
    messages.success(request, f"导入完成：{import_plan.summary()}。")
    return redirect("declaration_list")


@require_GET
def import_job(request, pk: int):
    """How an import in the background goes; the page follows it."""
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    job = imports.job_as_it_stands(job)
    return render(request, "declarations/import_job.html", {"job": job})
