"""Export to and import from Excel (xlsx) and CSV, and Word files."""

import uuid
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from declarations import selectors
from declarations.access import writable_organizations
from declarations.forms.exchange import TableChoiceForm, UploadForm
from declarations.http import file_response
from declarations.models import ImportJob
from declarations.services import imports
from declarations.services.errors import DomainError
from declarations.spreadsheet import files, uploads
from declarations.spreadsheet.export import export_file
from declarations.wordfiles import choice as word_choice
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


def _page(request, form) -> dict:
    return {
        "form": form,
        "limit": files.human_size(settings.IMPORT_MAX_BYTES),
        "jobs": ImportJob.objects.filter(user=request.user)[:5],
    }


@require_http_methods(["GET", "POST"])
def import_declarations(request):
    if not writable_organizations(request.user).exists():
        messages.error(request, "只有单位的填报人可以导入申报表。")
        return redirect("declaration_list")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = _page(request, form)
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
                suffix = upload.name.lower().rsplit(".", 1)[-1]
                if read.converted is not None:  # kept as LibreOffice made it
                    content, suffix = read.converted, "docx"
                kept = {
                    "path": uploads.keep(content, suffix),
                    "name": upload.name,
                    "year": read.year,
                    "count": len(import_plan.declarations),
                }
                context |= _preview(request, uuid.uuid4().hex, kept, read, import_plan)
    return render(request, "declarations/import.html", context)


def _preview(request, token, kept, read, import_plan, *, ticked=None, message=""):
    """The preview's context. The session keeps the upload under `token`
    with, for a Word file, what the confirm must know of its tables."""
    choice = None
    if read.word:
        choice = word_choice.choose(read, import_plan, user=request.user, ticked=ticked)
        kept = kept | {"offered": asdict(choice.offered())}
    request.session[_session_key(token)] = kept
    count = choice.declarations if choice else len(import_plan.declarations)
    return {
        "import_plan": import_plan,
        "token": token,
        "filename": kept["name"],
        "word": read.word,
        "year": read.year,
        "read": read,
        "choice": choice,
        "choice_message": message,
        "choice_message_level": "info" if message == word_choice.RECHECKED else "",
        "replaces_goals": word_import.goals_exist(read),
        "in_background": count > settings.IMPORT_IN_REQUEST_MAX,
    }


def _preview_again(request, token, kept, content, ticked, message):
    """The preview once more, the user's choice kept, saying why nothing was
    imported (or that the choice was checked)."""
    try:
        with imports.heavy_upload(request.user):
            read, import_plan = imports.analyse_upload(
                content, kept["name"], user=request.user, year=kept.get("year")
            )
    except (files.ImportFileError, DomainError) as error:
        messages.error(request, f"没有导入任何内容：{error}")
        return redirect("declaration_import")
    context = _page(request, UploadForm())
    context |= _preview(
        request, token, kept, read, import_plan, ticked=ticked, message=message
    )
    return render(request, "declarations/import.html", context)


@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    kept = request.session.get(_session_key(token))
    content = uploads.read(kept["path"]) if kept else None
    if content is None:
        messages.error(request, "导入已过期或已完成，请重新上传文件。")
        return redirect("declaration_import")
    left_out, count, offered = frozenset(), kept.get("count", 0), None
    if "offered" in kept:  # a Word file: the tables ticked at the preview
        offered = word_choice.Offered(**kept["offered"])
        form = TableChoiceForm(
            request.POST, numbers=offered.numbers, shown=offered.ticked
        )
        ticked = form.ticked()
        refusal = offered.refusal(ticked)
        if refusal or form.rechecking():
            message = refusal or word_choice.RECHECKED
            return _preview_again(request, token, kept, content, ticked, message)
        left_out, count = offered.left_out(ticked), offered.declarations(ticked)
    if count > settings.IMPORT_IN_REQUEST_MAX:
        job = imports.import_in_background(
            user=request.user,
            path=kept["path"],
            filename=kept["name"],
            year=kept.get("year"),
            count=count,
            left_out=left_out,
        )
        del request.session[_session_key(token)]
        return redirect("import_job", job.pk)
    try:
        with imports.heavy_upload(request.user):
            # Analysed again: the stored data may have changed since the preview.
            read, import_plan = imports.analyse_upload(
                content,
                kept["name"],
                user=request.user,
                year=kept.get("year"),
                leave_out=left_out,
            )
            # A Word file's ticked tables that block (the stored data
            # changed since the preview) show the preview again.
            if offered is None or not import_plan.blocking:
                word_import.apply(import_plan, read, request.user)
    except (files.ImportFileError, DomainError) as error:
        messages.error(request, f"没有导入任何内容：{error}")
        return redirect("declaration_import")
    if offered is not None and import_plan.blocking:
        message = word_choice.STILL_BLOCKED
        return _preview_again(request, token, kept, content, ticked, message)
    uploads.forget(kept["path"])
    del request.session[_session_key(token)]
    left = len(left_out - {word_choice.PART_ONE})
    messages.success(
        request,
        f"导入完成：{import_plan.summary()}。"
        + (f"未勾选的 {left} 张表格没有导入。" if left else ""),
    )
    return redirect("declaration_list")


@require_GET
def import_job(request, pk: int):
    """How an import in the background goes; the page follows it."""
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    job = imports.job_as_it_stands(job)
    return render(request, "declarations/import_job.html", {"job": job})
