"""Export to and import from Excel (xlsx) and CSV."""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from declarations import exchange, importing
from declarations.access import readable_organizations, writable_organizations
from declarations.forms import DeclarationFilterForm
from declarations.models import Declaration, Organization, Status
from declarations.views.responses import file_response

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@require_GET
def export_declarations(request):
    file_format = request.GET.get("format", "xlsx")
    if file_format not in exchange.FORMATS:
        file_format = "xlsx"
    units = readable_organizations(request.user)
    filters = DeclarationFilterForm(
        request.GET, units=units.filter(kind=Organization.Kind.UNIT)
    )
    declarations = Declaration.objects.filter(organization__in=units)
    year = unit = status = None
    if filters.is_valid():
        year, unit = filters.cleaned_data["year"], filters.cleaned_data["unit"]
    if request.GET.get("status") in Status.values:
        status = request.GET["status"]
    declarations = exchange.filter_for_export(
        declarations, year=year, unit=unit, status=status
    )
    data = exchange.export_file(declarations, file_format)
    name = f"绩效目标申报{'-' + str(year) if year else ''}.{file_format}"
    return file_response(data, name, CONTENT_TYPES[file_format])


class UploadForm(forms.Form):
    file = forms.FileField(
        label="申报数据文件（.xlsx 或 .csv）",
        error_messages={"required": "请选择要导入的文件。", "empty": "文件是空的。"},
    )


def _session_key(token):
    return f"import-{token}"


@require_http_methods(["GET", "POST"])
def import_declarations(request):
    if not writable_organizations(request.user).exists():
        messages.error(request, "只有单位的填报人可以导入申报表。")
        return redirect("declaration_list")
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "limit": importing.human_size(settings.IMPORT_MAX_BYTES)}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                f"文件有 {importing.human_size(upload.size)}，"
                f"超过了 {context['limit']} 的上限。"
                "请按年度或单位分成几个文件分别导入。",
            )
        else:
            content = upload.read()
            try:
                plan = importing.analyse(
                    importing.read_rows(content, upload.name), request.user
                )
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                token = uuid.uuid4().hex
                suffix = upload.name.lower().rsplit(".", 1)[-1]
                path = default_storage.save(
                    f"imports/{token}.{suffix}", ContentFile(content)
                )
                request.session[_session_key(token)] = {
                    "path": path,
                    "name": upload.name,
                }
                context.update(plan=plan, token=token, filename=upload.name)
    return render(request, "declarations/import.html", context)


@require_POST
def import_confirm(request):
    token = request.POST.get("token", "")
    stored = request.session.get(_session_key(token))
    if not stored or not default_storage.exists(stored["path"]):
        messages.error(request, "导入已过期或已完成，请重新上传文件。")
        return redirect("declaration_import")
    with default_storage.open(stored["path"], "rb") as f:
        content = f.read()
    try:
        # Analysed again: the stored data may have changed since the preview.
        plan = importing.analyse(
            importing.read_rows(content, stored["name"]), request.user
        )
        importing.apply(plan, request.user)
    except (importing.ImportFileError, importing.ImportRefused) as error:
        messages.error(request, f"没有导入任何内容：{error}")
        return redirect("declaration_import")
    default_storage.delete(stored["path"])
    del request.session[_session_key(token)]
    messages.success(
        request,
        f"导入完成：新建 {plan.count('create')} 份，更新 {plan.count('update')} 份，"
        f"{plan.count('unchanged')} 份与系统中相同，未改动。",
    )
    return redirect("declaration_list")
