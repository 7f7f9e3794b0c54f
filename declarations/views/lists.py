"""The declaration list, new declarations and copies of earlier years."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from declarations import selectors
from declarations.access import (
    can_edit,
    declaration_for,
    preparing_departments,
    preparing_units,
)
from declarations.filters import SORTS
from declarations.forms.basic import BasicInfoForm, DepartmentWideBasicForm
from declarations.forms.lists import CopyForm
from declarations.http import ids_of
from declarations.models import DeclarationKind, default_year
from declarations.services import drafts
from declarations.services.batch import BATCH_LIMIT
from declarations.services.errors import DomainError

PAGE_SIZE = 20


def declaration_list(request):
    filtered = selectors.declaration_list(request.user, request.GET)
    page = Paginator(filtered.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    # Ticked again after a batch that was refused as a whole (no grade …).
    ticked = params.pop("selected", [""])[0]
    selected = set(ids_of(ticked.split(","), most=BATCH_LIMIT + 1)) if ticked else set()
    year = filtered.form.cleaned_data.get("year") if filtered.is_valid() else None
    return render(
        request,
        "declarations/list.html",
        {
            "filters": filtered.form,
            "page": page,
            "pages": page.paginator.get_elided_page_range(page.number),
            "query": params.urlencode(),
            "columns": sort_columns(params),
            "may_review": selectors.is_reviewer(request.user),
            "selected": selected,
            "can_create": preparing_units(request.user).exists(),
            "can_create_department_wide": preparing_departments(request.user).exists(),
            "pending_copies": selectors.continuing_not_yet_declared(request.user, year),
            "year": year,
        },
    )


def sort_columns(params) -> dict[str, dict]:
    """For each sortable column, the query string that sorts by it (the
    other way round if the list is sorted by it now) and how it is sorted."""
    current = params.get("sort", "")
    columns = {}
    for key, _, label in SORTS:
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        sorted_by = params.copy()
        sorted_by["sort"] = f"-{key}" if direction == "asc" else key
        columns[key] = {
            "label": label,
            "query": sorted_by.urlencode(),
            "direction": direction,
        }
    return columns


def _new_initial(units) -> dict:
    """The year, and for a preparer of one unit its department and name; of
    several, they stay blank and follow the unit chosen when saved."""
    initial = {"year": default_year()}
    if len(units) == 1:
        (unit,) = units
        department = unit.department
        initial.update(
            department_name=department.name if department else "",
            department_code=department.code if department else "",
            implementing_unit=unit.name,
        )
    return initial


@require_http_methods(["GET", "POST"])
def declaration_new(request):
    units = preparing_units(request.user)
    if not units.exists():
        messages.error(request, "只有单位的填报人可以新建项目申报表。")
        return redirect("declaration_list")
    form = BasicInfoForm(request.POST or None, units=units, initial=_new_initial(units))
    if request.method == "POST" and form.is_valid():
        try:
            declaration = drafts.create_declaration(
                form.cleaned_data["organization"],
                by=request.user,
                fields=form.changes().fields,
            )
        except DomainError as error:
            form.add_error("project_code", str(error))
        else:
            messages.success(request, "已新建申报表，请继续填写资金与支出计划。")
            return redirect("declaration_step", pk=declaration.pk, step="funds")
    sources = selectors.copy_sources(request.user)
    return render(
        request,
        "declarations/new.html",
        {
            "form": form,
            "copy_form": CopyForm(sources=sources),
            "has_sources": sources.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def department_wide_new(request):
    departments = preparing_departments(request.user)
    if not departments.exists():
        messages.error(
            request, "只有主管部门的填报人可以新建部门整体支出绩效目标申报表。"
        )
        return redirect("declaration_list")
    form = DepartmentWideBasicForm(
        request.POST or None,
        departments=departments,
        initial={"year": default_year(), "project_name": departments[0].name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            declaration = drafts.create_declaration(
                form.cleaned_data["organization"],
                by=request.user,
                fields={
                    "kind": DeclarationKind.DEPARTMENT_WIDE,
                    **form.changes().fields,
                },
            )
        except DomainError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request, "已新建部门整体支出绩效目标申报表，请填写年度预算申请。"
            )
            return redirect("declaration_step", pk=declaration.pk, step="funds")
    return render(request, "declarations/new_department_wide.html", {"form": form})


@require_POST
def declaration_copy(request):
    form = CopyForm(request.POST, sources=selectors.copy_sources(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("declaration_new")
    try:
        copy = drafts.copy_to_year(
            form.cleaned_data["source"], year=form.target_year(), by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("declaration_new")
    messages.success(
        request,
        f"已从 {copy.copied_from.year} 年申报复制为 {copy.year} 年草稿，"
        "请逐项核对金额、文字中的年份和指标值。",
    )
    return redirect("declaration_step", pk=copy.pk, step="basic")


@require_POST
def declaration_copy_next_year(request, pk):
    # An approved declaration is read-only, but it may still be copied.
    source = declaration_for(request.user, pk)
    if not can_edit(request.user, source):
        raise PermissionDenied("只有本单位的填报人可以复制申报表。")
    try:
        copy = drafts.copy_to_year(source, year=source.year + 1, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("declaration_detail", pk=source.pk)
    messages.success(
        request,
        f"已复制为 {copy.year} 年草稿，请逐项核对金额、文字中的年份和指标值。",
    )
    return redirect("declaration_step", pk=copy.pk, step="basic")
